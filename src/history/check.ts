import { orderStatuses } from '../orders/index.ts';
import { returnReasons, returnStatuses } from '../returns/index.ts';
import { trackingStatuses } from '../tracking/index.ts';
import type { HistoryOrder } from './record.ts';

/** One problem of the validation report: the file's row, the field, what is wrong. */
export interface ReportEntry {
  row: number;
  field: string;
  problem: string;
}

/** What checking a record needs to know of the database. */
export interface CheckContext {
  currency: string;
  skus: ReadonlySet<string>;
  /** Location IDs and codes → the location's ID. */
  locations: ReadonlyMap<string, string>;
}

const MAX_AMOUNT = 9_000_000_000_000;
const MAX_LIST = 500;
const paymentKinds = ['authorization', 'capture', 'void', 'refund'];
const paymentStatuses = ['succeeded', 'failed', 'pending'];
const shipmentStatuses = ['label_created', ...trackingStatuses];

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collects a record's problems under field paths (`lines[0].sku`). */
class Checker {
  readonly problems: { field: string; problem: string }[] = [];

  fail(field: string, problem: string): void {
    this.problems.push({ field, problem });
  }

  text(o: Obj, key: string, at: string, optional = false, max = 200): void {
    const v = o[key];
    if (v === undefined && optional) return;
    if (typeof v !== 'string' || v.trim() === '' || v.length > max)
      this.fail(at + key, `must be a non-empty string of at most ${max} characters`);
  }

  oneOf(o: Obj, key: string, at: string, allowed: readonly string[], optional = false): void {
    const v = o[key];
    if (v === undefined && optional) return;
    if (typeof v !== 'string' || !allowed.includes(v)) this.fail(at + key, `must be one of ${allowed.join(', ')}`);
  }

  count(o: Obj, key: string, at: string, optional = false, min = 0, max = MAX_AMOUNT): void {
    const v = o[key];
    if (v === undefined && optional) return;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
      this.fail(at + key, `must be an integer from ${min} to ${max}`);
  }

  date(o: Obj, key: string, at: string, optional = false): void {
    const v = o[key];
    if (v === undefined && optional) return;
    if (typeof v !== 'string' || !/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d/.test(v) || Number.isNaN(Date.parse(v)))
      this.fail(at + key, 'must be an ISO 8601 date and time');
  }

  /** The array at `key` (empty when absent and optional), its objects checked by `each`. */
  list(o: Obj, key: string, at: string, each: (item: Obj, at: string) => void, optional = true): Obj[] {
    const v = o[key];
    if (v === undefined && optional) return [];
    if (!Array.isArray(v) || v.length > MAX_LIST || (!optional && v.length === 0)) {
      this.fail(at + key, `must be a${optional ? 'n' : ' non-empty'} array of at most ${MAX_LIST} items`);
      return [];
    }
    const items: Obj[] = [];
    v.forEach((item, i) => {
      if (!isObject(item)) return this.fail(`${at}${key}[${i}]`, 'must be an object');
      each(item, `${at}${key}[${i}].`);
      items.push(item);
    });
    return items;
  }

  /** Every item's `id` must be unique within the list. */
  unique(items: Obj[], key: string, field = 'id'): void {
    const seen = new Set<unknown>();
    items.forEach((item, i) => {
      if (seen.has(item[field])) this.fail(`${key}[${i}].${field}`, `repeats ${String(item[field])}`);
      seen.add(item[field]);
    });
  }
}

/** The shape of a record: types, ranges and vocabularies, field by field. */
function checkShape(c: Checker, o: Obj, context: CheckContext): void {
  c.text(o, 'id', '');
  c.oneOf(o, 'status', '', orderStatuses);
  c.text(o, 'original_status', '', true, 100);
  c.date(o, 'placed_at', '');
  if (o.currency !== undefined && o.currency !== context.currency)
    c.fail('currency', `must be the channel's currency, ${context.currency}`);
  if (!isObject(o.customer)) c.fail('customer', 'must be an object');
  else {
    for (const key of ['id', 'name', 'phone']) c.text(o.customer, key, 'customer.', true);
    c.text(o.customer, 'email', 'customer.', true, 254);
  }
  if (o.shipping_address !== undefined && !isObject(o.shipping_address))
    c.fail('shipping_address', 'must be an object');
  if (o.metadata !== undefined && !isObject(o.metadata)) c.fail('metadata', 'must be an object');
  for (const key of ['shipping_minor', 'discount_minor', 'tax_minor']) c.count(o, key, '', true);
  c.count(o, 'total_minor', '');
  const lines = c.list(
    o,
    'lines',
    '',
    (l, at) => {
      c.text(l, 'id', at, false, 64);
      c.text(l, 'sku', at, false, 100);
      if (typeof l.sku === 'string' && !context.skus.has(l.sku))
        c.fail(`${at}sku`, `no product ${l.sku} in the catalog`);
      c.text(l, 'name', at, true, 300);
      c.count(l, 'quantity', at, false, 1, 1_000_000);
      c.count(l, 'unit_price_minor', at);
      c.count(l, 'discount_minor', at, true);
      c.count(l, 'tax_minor', at, true);
    },
    false,
  );
  c.unique(lines, 'lines');
  checkMoney(c, o);
  checkShipments(c, o, context);
  checkReturns(c, o);
}

function checkMoney(c: Checker, o: Obj): void {
  const payment = (p: Obj, at: string) => {
    c.text(p, 'id', at);
    c.count(p, 'amount_minor', at);
    c.text(p, 'gateway', at, false, 60);
    c.text(p, 'reference', at, true);
    c.date(p, 'at', at, true);
  };
  const payments = c.list(o, 'payments', '', (p, at) => {
    payment(p, at);
    c.oneOf(p, 'kind', at, paymentKinds);
    c.oneOf(p, 'status', at, paymentStatuses, true);
  });
  c.unique(payments, 'payments');
  c.unique(c.list(o, 'refunds', '', payment), 'refunds');
}

function checkShipments(c: Checker, o: Obj, context: CheckContext): void {
  const shipments = c.list(o, 'shipments', '', (s, at) => {
    c.text(s, 'id', at);
    c.text(s, 'location', at, false, 64);
    if (typeof s.location === 'string' && !context.locations.has(s.location))
      c.fail(`${at}location`, `no location ${s.location}`);
    c.text(s, 'carrier', at, false, 100);
    c.text(s, 'service', at, true, 100);
    c.text(s, 'tracking_number', at, true, 100);
    c.oneOf(s, 'status', at, shipmentStatuses);
    c.date(s, 'shipped_at', at);
    c.date(s, 'delivered_at', at, true);
    c.unique(
      c.list(s, 'lines', at, (l, lat) => lineRef(c, l, lat), false),
      `${at}lines`,
      'line',
    );
  });
  c.unique(shipments, 'shipments');
}

function checkReturns(c: Checker, o: Obj): void {
  const returns = c.list(o, 'returns', '', (r, at) => {
    c.text(r, 'id', at);
    c.oneOf(r, 'status', at, returnStatuses);
    c.date(r, 'created_at', at);
    c.list(
      r,
      'lines',
      at,
      (l, lat) => {
        lineRef(c, l, lat);
        c.oneOf(l, 'reason', lat, returnReasons, true);
        c.count(l, 'received', lat, true);
        c.count(l, 'refunded', lat, true);
        if (Number(l.received ?? 0) > Number(l.quantity)) c.fail(`${lat}received`, 'must not exceed quantity');
        if (Number(l.refunded ?? 0) > Number(l.received ?? 0)) c.fail(`${lat}refunded`, 'must not exceed received');
      },
      false,
    );
  });
  c.unique(returns, 'returns');
}

function lineRef(c: Checker, l: Obj, at: string): void {
  c.text(l, 'line', at, false, 64);
  c.count(l, 'quantity', at, false, 1, 1_000_000);
}

/** Checks one raw record; the record typed when it has no problem. */
export function checkRecord(
  value: unknown,
  context: CheckContext,
): { ok: true; order: HistoryOrder } | { ok: false; problems: { field: string; problem: string }[] } {
  const c = new Checker();
  if (!isObject(value)) return { ok: false, problems: [{ field: '(order)', problem: 'must be a JSON object' }] };
  checkShape(c, value, context);
  return c.problems.length === 0
    ? { ok: true, order: value as unknown as HistoryOrder }
    : { ok: false, problems: c.problems };
}
