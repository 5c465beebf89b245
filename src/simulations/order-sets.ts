import { sql } from 'drizzle-orm';
import { query, queryOne, toIso, type Executor } from '../db/index.ts';
import { resolveChannelId } from '../network/index.ts';
import { destinationOf, type ShippingAddress } from '../orders/index.ts';
import { newId } from '../shared/ids.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';

/**
 * An uploaded set of orders to simulate instead of a period's (docs/routing-simulation.md):
 * each order is checked on its own; a rejected one is reported (row, field, problem) and left
 * out, the others are stored with their locations resolved to IDs and their destination
 * located, so every simulation of the set replays exactly the same orders.
 */

/** One problem of the validation report: the order's row (its index + 1), the field, what is wrong. */
export interface SetReportEntry {
  row: number;
  field: string;
  problem: string;
}

/** A set order as stored: what the replay needs, resolved. */
interface SetOrder {
  external_id: string;
  channel_id: string;
  placed_at: string;
  delivery_method: 'ship' | 'pickup' | 'curbside';
  pickup_location_id: string | null;
  allow_ship_fallback: boolean;
  shipping_address: ShippingAddress | null;
  destination: { latitude: number; longitude: number } | null;
  lines: { line_id: string; sku: string; quantity: number; ship_from_location_id: string | null }[];
}

export interface OrderSet {
  id: string;
  name: string;
  stock_at: string;
  orders: number;
  first_placed_at: string;
  last_placed_at: string;
  created_by: string | null;
  created_at: string;
}

export interface OrderSetUpload {
  name?: string | undefined;
  /** The channel (ID or code) of orders that name none. */
  channel?: string | undefined;
  /** The instant whose stock the set is replayed on; default: now. */
  stock_at?: string | undefined;
  orders: unknown[];
}

/** At most this many orders in a set: a simulation holds them in memory. */
export const MAX_SET_ORDERS = 200_000;
const MAX_LINES = 200;
const methods = ['ship', 'pickup', 'curbside'] as const;

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, max = 200): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= max;
const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 && v <= 1_000_000;
const isInstant = (v: unknown): v is string =>
  typeof v === 'string' && /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d/.test(v) && !Number.isNaN(Date.parse(v));

/** What checking an order needs of the database: channels, locations and SKUs by what an order may call them. */
interface Names {
  channels: Map<string, string>;
  locations: Map<string, string>;
  skus: Set<string>;
}

async function readNames(executor: Executor, orders: unknown[]): Promise<Names> {
  const skus = new Set<string>();
  for (const o of orders)
    if (isObject(o) && Array.isArray(o.lines))
      for (const l of o.lines) if (isObject(l) && typeof l.sku === 'string') skus.add(l.sku);
  const [channels, locations, products] = await Promise.all([
    query<{ id: string; code: string }>(executor, sql`select id, code from channels`),
    query<{ id: string; code: string }>(executor, sql`select id, code from locations`),
    query<{ sku: string }>(executor, sql`select sku from products where sku = any(${sql.param([...skus])}::text[])`),
  ]);
  const byIdOrCode = (rows: { id: string; code: string }[]) =>
    new Map(rows.flatMap((r) => [[r.id, r.id] as const, [r.code, r.id] as const]));
  return {
    channels: byIdOrCode(channels),
    locations: byIdOrCode(locations),
    skus: new Set(products.map((p) => p.sku)),
  };
}

/** Checks one uploaded order; the stored order, or its problems. */
function checkOrder(
  value: unknown,
  names: Names,
  channelId: string | null,
): SetOrder | { field: string; problem: string }[] {
  const problems: { field: string; problem: string }[] = [];
  const failed = (field: string, what: string) => problems.push({ field, problem: what });
  if (!isObject(value)) return [{ field: '', problem: 'must be an object' }];
  const known = [
    'external_id',
    'channel',
    'placed_at',
    'delivery_method',
    'pickup_location',
    'allow_ship_fallback',
    'shipping_address',
    'lines',
  ];
  for (const key of Object.keys(value))
    if (!known.includes(key)) failed(key, `is not a field of a set order (${known.join(', ')})`);
  if (!isText(value.external_id)) failed('external_id', 'must be a non-empty string of at most 200 characters');
  let channel = channelId;
  if (value.channel !== undefined) {
    channel = (typeof value.channel === 'string' && names.channels.get(value.channel)) || null;
    if (channel === null) failed('channel', 'names no channel (give its ID or code)');
  } else if (channel === null) failed('channel', 'is required when the set names no channel');
  if (!isInstant(value.placed_at)) failed('placed_at', 'must be an ISO 8601 date and time');
  const method = value.delivery_method ?? 'ship';
  if (!methods.includes(method as SetOrder['delivery_method']))
    failed('delivery_method', `must be one of ${methods.join(', ')}`);
  let pickup: string | null = null;
  if (value.pickup_location !== undefined) {
    pickup = (typeof value.pickup_location === 'string' && names.locations.get(value.pickup_location)) || null;
    if (pickup === null) failed('pickup_location', 'names no location (give its ID or code)');
  } else if (method === 'pickup' || method === 'curbside') failed('pickup_location', `is required for ${method}`);
  if (value.allow_ship_fallback !== undefined && typeof value.allow_ship_fallback !== 'boolean')
    failed('allow_ship_fallback', 'must be true or false');
  const address = value.shipping_address;
  if (address !== undefined) checkAddress(address, failed);
  else if (method === 'ship') failed('shipping_address', 'is required to ship');
  const lines: SetOrder['lines'] = [];
  if (!Array.isArray(value.lines) || value.lines.length === 0 || value.lines.length > MAX_LINES)
    failed('lines', `must be a non-empty array of at most ${MAX_LINES} lines`);
  else
    value.lines.forEach((line: unknown, i) => {
      const at = `lines[${i}].`;
      if (!isObject(line)) return failed(`lines[${i}]`, 'must be an object');
      if (!isText(line.sku, 100)) failed(`${at}sku`, 'must be a non-empty string');
      else if (!names.skus.has(line.sku)) failed(`${at}sku`, `${line.sku} is not in the catalogue`);
      if (!isCount(line.quantity)) failed(`${at}quantity`, 'must be an integer from 1 to 1000000');
      let from: string | null = null;
      if (line.ship_from_location !== undefined) {
        from = (typeof line.ship_from_location === 'string' && names.locations.get(line.ship_from_location)) || null;
        if (from === null) failed(`${at}ship_from_location`, 'names no location (give its ID or code)');
      }
      lines.push({
        line_id: isText(line.line_id, 64) ? line.line_id : String(i + 1),
        sku: line.sku as string,
        quantity: line.quantity as number,
        ship_from_location_id: from,
      });
    });
  if (problems.length > 0) return problems;
  return {
    external_id: value.external_id as string,
    channel_id: channel!,
    placed_at: new Date(Date.parse(value.placed_at as string)).toISOString(),
    delivery_method: method as SetOrder['delivery_method'],
    pickup_location_id: pickup,
    allow_ship_fallback: (value.allow_ship_fallback as boolean | undefined) ?? false,
    shipping_address: (address as ShippingAddress | undefined) ?? null,
    destination: null,
    lines,
  };
}

function checkAddress(address: unknown, failed: (field: string, what: string) => void): void {
  if (!isObject(address)) return failed('shipping_address', 'must be an object');
  if (typeof address.country !== 'string' || !/^[A-Z]{2}$/.test(address.country))
    failed('shipping_address.country', 'must be an ISO 3166-1 alpha-2 code (US, BR)');
  if (address.postal_code !== undefined && !isText(address.postal_code, 20))
    failed('shipping_address.postal_code', 'must be a non-empty string of at most 20 characters');
  for (const [key, limit] of [
    ['latitude', 90],
    ['longitude', 180],
  ] as const) {
    const v = address[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > limit))
      failed(`shipping_address.${key}`, `must be a number from -${limit} to ${limit}`);
  }
  if ((address.latitude === undefined) !== (address.longitude === undefined))
    failed('shipping_address.latitude', 'and longitude go together');
}

const presentSet = (row: {
  id: string;
  name: string;
  stock_at: string;
  orders_count: number;
  first_placed_at: string;
  last_placed_at: string;
  created_by: string | null;
  created_at: string;
}): OrderSet => ({
  id: row.id,
  name: row.name,
  stock_at: toIso(row.stock_at)!,
  orders: row.orders_count,
  first_placed_at: toIso(row.first_placed_at)!,
  last_placed_at: toIso(row.last_placed_at)!,
  created_by: row.created_by,
  created_at: toIso(row.created_at)!,
});

/**
 * Checks every uploaded order and stores the valid ones as a set; the set and the validation
 * report. Fails, writing nothing, when no order is valid or the set or its channel is refused.
 */
export async function createOrderSet(
  executor: Executor,
  upload: OrderSetUpload,
  actor: string | null,
): Promise<Result<{ order_set: OrderSet; rejected: SetReportEntry[] }>> {
  if (upload.orders.length === 0 || upload.orders.length > MAX_SET_ORDERS)
    return fail(
      problem('validation_failed', `A set holds 1 to ${MAX_SET_ORDERS.toLocaleString('en-US')} orders.`, {
        errors: [{ pointer: '/orders', message: `must hold 1 to ${MAX_SET_ORDERS} orders` }],
      }),
    );
  if (upload.stock_at !== undefined && !isInstant(upload.stock_at))
    return fail(
      problem('validation_failed', '/stock_at must be an ISO 8601 date and time.', {
        errors: [{ pointer: '/stock_at', message: 'must be an ISO 8601 date and time' }],
      }),
    );
  let channelId: string | null = null;
  if (upload.channel !== undefined) {
    channelId = (await resolveChannelId(executor, upload.channel)) ?? null;
    if (channelId === null)
      return fail(
        problem('not_found', `No channel ${upload.channel}: give a channel's ID or code (GET /v1/channels).`),
      );
  }
  const names = await readNames(executor, upload.orders);
  const rejected: SetReportEntry[] = [];
  const orders: SetOrder[] = [];
  const seen = new Set<string>();
  const located = new Map<string, SetOrder['destination']>();
  for (const [i, value] of upload.orders.entries()) {
    const checked = checkOrder(value, names, channelId);
    if (Array.isArray(checked)) {
      rejected.push(...checked.map((p) => ({ row: i + 1, ...p })));
      continue;
    }
    const key = `${checked.channel_id}\u0000${checked.external_id}`;
    if (seen.has(key)) {
      rejected.push({ row: i + 1, field: 'external_id', problem: `${checked.external_id} is already in the set` });
      continue;
    }
    seen.add(key);
    // Located once per address key: a set of thousands of orders shares few postal codes.
    const address = checked.shipping_address;
    if (address !== null) {
      const where = `${address.country}|${address.postal_code ?? ''}|${address.latitude ?? ''}|${address.longitude ?? ''}`;
      if (!located.has(where)) located.set(where, await destinationOf(executor, address));
      checked.destination = located.get(where)!;
    }
    orders.push(checked);
  }
  if (orders.length === 0)
    return fail(
      problem(
        'validation_failed',
        `No order of the set is valid: row ${rejected[0]!.row}, ${rejected[0]!.field} ${rejected[0]!.problem}.`,
        {
          errors: rejected
            .slice(0, 100)
            .map((r) => ({ pointer: `/orders/${r.row - 1}/${r.field.replaceAll('.', '/')}`, message: r.problem })),
        },
      ),
    );
  const placed = orders.map((o) => Date.parse(o.placed_at));
  const id = newId('oset');
  const row = await queryOne<Parameters<typeof presentSet>[0]>(
    executor,
    sql`insert into routing_order_sets (id, name, stock_at, orders_count, first_placed_at, last_placed_at, created_by)
        values (${id}, ${upload.name ?? `${orders.length} orders`}, ${upload.stock_at ?? new Date().toISOString()}::timestamptz,
                ${orders.length}, ${new Date(Math.min(...placed)).toISOString()}::timestamptz,
                ${new Date(Math.max(...placed)).toISOString()}::timestamptz, ${actor})
        returning *`,
  );
  await executor.execute(sql`
    insert into routing_order_set_orders (set_id, seq, external_id, channel_id, placed_at, body)
    select ${id}, t.n::int, t.body ->> 'external_id', t.body ->> 'channel_id', (t.body ->> 'placed_at')::timestamptz, t.body
    from jsonb_array_elements(${JSON.stringify(orders)}::jsonb) with ordinality as t(body, n)`);
  return ok({ order_set: presentSet(row!), rejected });
}

export async function getOrderSet(executor: Executor, id: string): Promise<OrderSet | undefined> {
  const row = await queryOne<Parameters<typeof presentSet>[0]>(
    executor,
    sql`select * from routing_order_sets where id = ${id}`,
  );
  return row && presentSet(row);
}

/** Newest first; `limit` sets after the cursor's ID. */
export async function listOrderSets(
  executor: Executor,
  limit: number,
  before: string | undefined,
): Promise<OrderSet[]> {
  const rows = await query<Parameters<typeof presentSet>[0]>(
    executor,
    sql`select * from routing_order_sets ${before ? sql`where id < ${before}` : sql``} order by id desc limit ${limit}`,
  );
  return rows.map(presentSet);
}

/** A set's orders of one channel (or all), in placed order, then upload order. */
export async function readSetOrders(
  executor: Executor,
  setId: string,
  channelId: string | null,
): Promise<{ seq: number; order: SetOrder }[]> {
  const rows = await query<{ seq: number; body: SetOrder }>(
    executor,
    sql`select seq, body from routing_order_set_orders
        where set_id = ${setId} ${channelId ? sql`and channel_id = ${channelId}` : sql``}
        order by placed_at, seq`,
  );
  return rows.map((r) => ({ seq: r.seq, order: r.body }));
}
