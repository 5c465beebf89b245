import { createHash } from 'node:crypto';
import type { ImportedShipment } from '../fulfillment/index.ts';
import type { ImportedFulfillment, ImportedLine, ImportedOrder, OrderStatus } from '../orders/index.ts';
import type { ImportedPayment } from '../payments/index.ts';
import type { ImportedReturn } from '../returns/index.ts';
import { newId } from '../shared/ids.ts';
import type { HistoryOrder, HistoryShipment } from './record.ts';

/** Everything one accepted record writes. */
export interface PreparedOrder {
  order: ImportedOrder;
  payments: ImportedPayment[];
  shipments: ImportedShipment[];
  returns: ImportedReturn[];
}

type Problems = { field: string; problem: string }[];

const OPEN: readonly string[] = ['created', 'confirmed', 'in_process', 'partially_shipped'];
const SHIPPED_WHOLE: readonly string[] = ['shipped', 'partially_delivered', 'delivered'];
const OPEN_RETURN: readonly string[] = ['initiated', 'authorized'];

export const isOpenStatus = (status: string) => OPEN.includes(status);

/** The hash of a record: a re-run of the same ID with other content is reported, not written. */
export function recordHash(record: HistoryOrder): string {
  return createHash('sha256').update(JSON.stringify(record)).digest('hex');
}

function sumBy<T>(items: T[], key: (item: T) => string, amount: (item: T) => number): Map<string, number> {
  const sums = new Map<string, number>();
  for (const item of items) sums.set(key(item), (sums.get(key(item)) ?? 0) + amount(item));
  return sums;
}

/** Units per line: shipped and delivered from the shipments, else from the order's status. */
function shippedUnits(record: HistoryOrder) {
  const shipments = record.shipments ?? [];
  const lines = (list: HistoryShipment[]) => list.flatMap((s) => s.lines);
  if (shipments.length > 0) {
    const delivered = shipments.filter((s) => s.status === 'delivered');
    return {
      shipped: sumBy(
        lines(shipments),
        (l) => l.line,
        (l) => l.quantity,
      ),
      delivered: sumBy(
        lines(delivered),
        (l) => l.line,
        (l) => l.quantity,
      ),
    };
  }
  const whole = (statuses: readonly string[]) =>
    new Map(record.lines.map((l) => [l.id, statuses.includes(record.status) ? l.quantity : 0]));
  return { shipped: whole(SHIPPED_WHOLE), delivered: whole(['delivered']) };
}

/** Line buckets as the previous system left them, with the problems of units that do not add up. */
function lineBuckets(record: HistoryOrder, problems: Problems): ImportedLine[] {
  const { shipped, delivered } = shippedUnits(record);
  const returnLines = (record.returns ?? []).flatMap((r) => r.lines.map((l) => ({ ...l, status: r.status })));
  const received = sumBy(
    returnLines,
    (l) => l.line,
    (l) => l.received ?? 0,
  );
  const requested = sumBy(
    returnLines.filter((l) => OPEN_RETURN.includes(l.status)),
    (l) => l.line,
    (l) => l.quantity - (l.received ?? 0),
  );
  const refunded = sumBy(
    returnLines,
    (l) => l.line,
    (l) => l.refunded ?? 0,
  );
  const known = new Set(record.lines.map((l) => l.id));
  for (const id of [...shipped.keys(), ...received.keys(), ...requested.keys()])
    if (!known.has(id)) problems.push({ field: 'lines', problem: `a shipment or return names no line ${id}` });
  return record.lines.map((l, i) => {
    const out = shipped.get(l.id) ?? 0;
    const rest = l.quantity - out;
    const line = {
      line_id: l.id,
      line_no: i + 1,
      sku: l.sku,
      name: l.name ?? null,
      unit_price_minor: l.unit_price_minor,
      discount_minor: l.discount_minor ?? 0,
      tax_minor: l.tax_minor ?? 0,
      quantity: l.quantity,
      backordered: isOpenStatus(record.status) ? rest : 0,
      cancelled: isOpenStatus(record.status) ? 0 : rest,
      shipped: out,
      delivered: delivered.get(l.id) ?? 0,
      return_requested: requested.get(l.id) ?? 0,
      returned: received.get(l.id) ?? 0,
      refunded: refunded.get(l.id) ?? 0,
    };
    if (rest < 0) problems.push({ field: `lines[${i}].quantity`, problem: `${out} units shipped of ${l.quantity}` });
    if (line.returned + line.return_requested > line.delivered)
      problems.push({
        field: `lines[${i}].quantity`,
        problem: `${line.returned + line.return_requested} units returned of ${line.delivered} delivered`,
      });
    return line;
  });
}

/** Order totals from the lines; the record's total must be what they add up to. */
function totals(record: HistoryOrder, lines: ImportedLine[], problems: Problems) {
  const subtotal = lines.reduce((n, l) => n + l.quantity * l.unit_price_minor, 0);
  const discount = lines.reduce((n, l) => n + l.discount_minor, 0) + (record.discount_minor ?? 0);
  const tax = record.tax_minor ?? lines.reduce((n, l) => n + l.tax_minor, 0);
  const shipping = record.shipping_minor ?? 0;
  const expected = subtotal - discount + shipping + tax;
  if (expected !== record.total_minor)
    problems.push({
      field: 'total_minor',
      problem: `is ${record.total_minor}; the lines, discounts, shipping and tax add up to ${expected}`,
    });
  return { subtotal, discount, tax, shipping };
}

function statusProblems(record: HistoryOrder, problems: Problems): void {
  const shipments = record.shipments ?? [];
  if (record.status === 'cancelled' && shipments.length > 0)
    problems.push({ field: 'status', problem: 'a cancelled order has no shipments' });
  if ((record.status === 'partially_shipped' || record.status === 'partially_delivered') && shipments.length === 0)
    problems.push({ field: 'shipments', problem: `a ${record.status} order needs its shipments` });
  if ((record.returns ?? []).length > 0 && shipments.length === 0 && record.status !== 'delivered')
    problems.push({ field: 'returns', problem: 'returns need delivered units' });
}

/** One fulfillment order per location the shipments left from: delivered when all its parcels were. */
function fulfillmentsOf(record: HistoryOrder, locations: ReadonlyMap<string, string>) {
  const byLocation = new Map<string, ImportedFulfillment>();
  for (const s of record.shipments ?? []) {
    const locationId = locations.get(s.location)!;
    const known = byLocation.get(locationId);
    const status = s.status === 'delivered' && (known?.status ?? 'delivered') === 'delivered' ? 'delivered' : 'shipped';
    byLocation.set(locationId, { id: known?.id ?? newId('fo'), location_id: locationId, status });
  }
  return byLocation;
}

/** What the previous system said of the order that Consign's columns do not hold. */
export function importedMetadata(record: HistoryOrder): Record<string, unknown> {
  return {
    ...record.metadata,
    imported: true,
    ...(record.original_status ? { original_status: record.original_status } : {}),
  };
}

type LineOf = ReadonlyMap<string, ImportedLine>;

function paymentsOf(record: HistoryOrder, orderId: string, currency: string): ImportedPayment[] {
  return [
    ...(record.payments ?? []).map((p) => ({ ...p, status: p.status ?? ('succeeded' as const) })),
    ...(record.refunds ?? []).map((r) => ({ ...r, kind: 'refund' as const, status: 'succeeded' as const })),
  ].map((p) => ({
    id: newId('pay'),
    order_id: orderId,
    kind: p.kind,
    status: p.status,
    amount_minor: p.amount_minor,
    currency,
    gateway: p.gateway,
    reference: p.reference ?? null,
    idempotency_key: `import:${p.kind}:${p.id}`,
    created_at: p.at ?? record.placed_at,
  }));
}

function shipmentsOf(
  record: HistoryOrder,
  orderId: string,
  locations: ReadonlyMap<string, string>,
  fulfillments: ReadonlyMap<string, ImportedFulfillment>,
  lineOf: LineOf,
): ImportedShipment[] {
  return (record.shipments ?? []).map((s) => {
    const locationId = locations.get(s.location)!;
    return {
      id: newId('shp'),
      order_id: orderId,
      fulfillment_order_id: fulfillments.get(locationId)!.id,
      location_id: locationId,
      carrier: s.carrier,
      service: s.service ?? null,
      tracking_number: s.tracking_number ?? null,
      status: s.status as ImportedShipment['status'],
      shipped_at: s.shipped_at,
      delivered_at: s.delivered_at ?? null,
      lines: s.lines.map((l) => ({ line_id: l.line, sku: lineOf.get(l.line)!.sku, quantity: l.quantity })),
    };
  });
}

function returnsOf(
  record: HistoryOrder,
  orderId: string,
  context: { channelId: string; currency: string },
  lineOf: LineOf,
): ImportedReturn[] {
  return (record.returns ?? []).map((r) => ({
    id: newId('rma'),
    order_id: orderId,
    channel_id: context.channelId,
    status: r.status as ImportedReturn['status'],
    currency: context.currency,
    customer_email: record.customer.email?.toLowerCase() ?? null,
    refunded_minor: r.lines.reduce((n, l) => n + (l.refunded ?? 0) * lineOf.get(l.line)!.unit_price_minor, 0),
    created_at: r.created_at,
    lines: r.lines.map((l) => ({
      line_id: l.line,
      line_no: lineOf.get(l.line)!.line_no,
      sku: lineOf.get(l.line)!.sku,
      quantity: l.quantity,
      reason: (l.reason ?? 'other') as ImportedReturn['lines'][number]['reason'],
      received: l.received ?? 0,
      refunded: l.refunded ?? 0,
    })),
  }));
}

/**
 * Turns a checked record into the rows it writes, with new Consign IDs; the original IDs stay
 * as the order's external ID and each payment's key. Problems of units or money that do not add
 * up are returned instead.
 */
export function prepareOrder(
  record: HistoryOrder,
  context: {
    channelId: string;
    currency: string;
    locations: ReadonlyMap<string, string>;
    managed: boolean;
    requestHash: string;
  },
): { ok: true; value: PreparedOrder } | { ok: false; problems: Problems } {
  const problems: Problems = [];
  statusProblems(record, problems);
  const lines = lineBuckets(record, problems);
  const money = totals(record, lines, problems);
  if (problems.length > 0) return { ok: false, problems };
  const orderId = newId('ord');
  const fulfillments = fulfillmentsOf(record, context.locations);
  const lineOf = new Map(lines.map((l) => [l.line_id, l]));
  const payments = paymentsOf(record, orderId, context.currency);
  const order: ImportedOrder = {
    id: orderId,
    channel_id: context.channelId,
    external_id: record.id,
    request_hash: context.requestHash,
    status: record.status as OrderStatus,
    managed: context.managed,
    customer: record.customer,
    customer_email: record.customer.email?.toLowerCase() ?? null,
    shipping_address: record.shipping_address ?? null,
    currency: context.currency,
    subtotal_minor: money.subtotal,
    discount_minor: money.discount,
    shipping_minor: money.shipping,
    tax_minor: money.tax,
    total_minor: record.total_minor,
    authorized_minor: payments
      .filter((p) => p.kind === 'authorization' && p.status === 'succeeded')
      .reduce((n, p) => n + p.amount_minor, 0),
    metadata: importedMetadata(record),
    placed_at: record.placed_at,
    lines,
    fulfillments: [...fulfillments.values()],
  };
  return {
    ok: true,
    value: {
      order,
      payments,
      shipments: shipmentsOf(record, orderId, context.locations, fulfillments, lineOf),
      returns: returnsOf(record, orderId, context, lineOf),
    },
  };
}
