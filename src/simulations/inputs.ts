import { sql } from 'drizzle-orm';
import { query, toIso, type Executor } from '../db/index.ts';
import { readLeaves } from '../catalog/index.ts';
import { preorderOpen, type CandidateRow, type OpenLine, type OrderForRouting } from '../orders/index.ts';
import type { BundleLeaves } from '../routing/index.ts';
import { readSetOrders, type OrderSet } from './order-sets.ts';

/** Which orders a simulation replays: those placed in [from, to), of one channel or all. */
interface OrderSelection {
  from: string;
  to: string;
  channelId?: string | undefined;
}

/** One order as it was captured: every line with its whole ordered quantity. */
export interface PastOrder {
  order: OrderForRouting;
  externalId: string;
  lines: OpenLine[];
  /** When Consign received it: the replay's clock, and the instant its stock is read at. */
  receivedAtMs: number;
}

/** A stock movement of the ledger, as a change of available (on hand − reserved) at one level. */
interface Movement {
  atMs: number;
  locationId: string;
  sku: string;
  delta: number;
  /** The order the movement belongs to (its reservation, release, commit or shipment), if any. */
  orderId: string | null;
}

/** Fulfillment work of an order outside the replayed set: it used a location's capacity that day. */
interface OtherWork {
  atMs: number;
  locationId: string;
}

export type LocationRow = Omit<CandidateRow, 'in_channel_group' | 'capacity_used_today'>;

/** Everything a replay reads, read once: the replay itself touches no database. */
export interface SimulationInputs {
  orders: PastOrder[];
  /** Every location, by ID. */
  locations: LocationRow[];
  /** The locations of each channel's location group. */
  groups: Map<string, Set<string>>;
  leaves: BundleLeaves;
  /** (on hand − reserved) per location and SKU just before `from`, from the ledger. */
  opening: Map<string, Map<string, number>>;
  /** Safety stock per location and SKU, as configured now. */
  safety: Map<string, Map<string, number>>;
  /** The ledger's movements from `from` until the last replayed order was received, in order. */
  movements: Movement[];
  otherWork: OtherWork[];
  /** The uploaded set the orders come from, when they are not a period's. */
  orderSet?: OrderSet;
}

const ms = (value: string | Date) => Date.parse(toIso(value)!);

interface OrderRow extends OrderForRouting {
  external_id: string;
}

interface LineRow extends OpenLine {
  order_id: string;
}

/** At most this many orders per simulation: the replay holds them, and the stock they read, in memory. */
const MAX_SIMULATED_ORDERS = 200_000;

/** Reads the selected orders (received order, then ID) and the stock, work and network they were routed on. */
export async function loadSimulationInputs(executor: Executor, selection: OrderSelection): Promise<SimulationInputs> {
  const inPeriod = sql`o.placed_at >= ${selection.from}::timestamptz and o.placed_at < ${selection.to}::timestamptz
    ${selection.channelId ? sql`and o.channel_id = ${selection.channelId}` : sql``}`;
  const orderRows = await query<OrderRow>(
    executor,
    sql`select o.id, o.external_id, o.channel_id, c.code as channel_code, o.currency, o.delivery_method, o.pickup_location_id,
               o.allow_ship_fallback, o.destination_latitude, o.destination_longitude, o.shipping_address, o.placed_at,
               o.created_at, false as on_hold
        from orders o join channels c on c.id = o.channel_id
        where ${inPeriod}
        order by o.created_at, o.id
        limit ${MAX_SIMULATED_ORDERS + 1}`,
  );
  if (orderRows.length > MAX_SIMULATED_ORDERS)
    throw new Error(
      `The period holds more than ${MAX_SIMULATED_ORDERS.toLocaleString('en-US')} orders: simulate a shorter period, or one channel.`,
    );
  const lineRows = await query<LineRow>(
    executor,
    sql`select l.order_id, l.line_id, l.sku, l.quantity as need, coalesce(p.weight_grams, 0) as weight_grams,
               coalesce(p.allow_backorder, false) or ${preorderOpen('l.sku')} as allow_backorder, l.ship_from_location_id
        from orders o join order_lines l on l.order_id = o.id left join products p on p.sku = l.sku
        where ${inPeriod}
        order by l.order_id, l.line_no`,
  );
  const linesByOrder = new Map<string, OpenLine[]>();
  for (const { order_id, ...line } of lineRows) {
    const lines = linesByOrder.get(order_id) ?? [];
    lines.push(line);
    linesByOrder.set(order_id, lines);
  }
  const orders = orderRows.map(({ external_id, ...order }) => ({
    order,
    externalId: external_id,
    lines: linesByOrder.get(order.id) ?? [],
    receivedAtMs: ms(order.created_at),
  }));

  const fromMs = Date.parse(selection.from);
  const untilMs = orders.reduce((latest, o) => Math.max(latest, o.receivedAtMs), fromMs);
  const until = new Date(untilMs).toISOString();
  const network = await readNetwork(
    executor,
    lineRows.map((l) => l.sku),
    selection.from,
  );
  const skus = sql.param(network.stockSkus);
  const [movements, otherWork] = await Promise.all([
    query<{ location_id: string; sku: string; delta: number; occurred_at: string; order_id: string | null }>(
      executor,
      sql`select l.location_id, l.sku, l.on_hand_delta - l.reserved_delta as delta, l.occurred_at,
                 case l.reference_type
                   when 'order' then l.reference_id
                   when 'fulfillment_order' then (select f.order_id from fulfillment_orders f where f.id = l.reference_id)
                   when 'shipment' then (select s.order_id from shipments s where s.id = l.reference_id)
                 end as order_id
          from inventory_ledger l
          where l.sku = any(${skus}::text[]) and l.on_hand_delta <> l.reserved_delta
            and l.occurred_at >= ${selection.from}::timestamptz and l.occurred_at <= ${until}::timestamptz
          order by l.occurred_at, l.id`,
    ),
    query<{ location_id: string; order_id: string; created_at: string }>(
      executor,
      sql`select f.location_id, f.order_id, f.created_at from fulfillment_orders f join locations l on l.id = f.location_id
          where l.daily_capacity is not null and f.status not in ('rejected', 'cancelled')
            and f.created_at >= ${selection.from}::timestamptz - interval '1 day' and f.created_at <= ${until}::timestamptz
          order by f.created_at, f.id`,
    ),
  ]);
  const replayed = new Set(orders.map((o) => o.order.id));
  return {
    orders,
    ...network.inputs,
    movements: movements.map((m) => ({
      atMs: ms(m.occurred_at),
      locationId: m.location_id,
      sku: m.sku,
      delta: m.delta,
      orderId: m.order_id,
    })),
    otherWork: otherWork
      .filter((w) => !replayed.has(w.order_id))
      .map((w) => ({ atMs: ms(w.created_at), locationId: w.location_id })),
  };
}

/**
 * The orders of an uploaded set (of one channel, or all), in placed order, on the stock the
 * ledger had at the set's `stock_at`: nothing else moves it but each rule set's own decisions,
 * and no other work uses the locations' capacity. Weights and back-order policies are the
 * catalogue's now.
 */
export async function loadOrderSetInputs(
  executor: Executor,
  set: OrderSet,
  channelId: string | null,
): Promise<SimulationInputs> {
  const rows = await readSetOrders(executor, set.id, channelId);
  const skus = [...new Set(rows.flatMap((r) => r.order.lines.map((l) => l.sku)))];
  const [channels, products, network] = await Promise.all([
    query<{ id: string; code: string; currency: string }>(executor, sql`select id, code, currency from channels`),
    query<{ sku: string; weight_grams: number; allow_backorder: boolean }>(
      executor,
      sql`select p.sku, coalesce(p.weight_grams, 0) as weight_grams, p.allow_backorder or ${preorderOpen('p.sku')} as allow_backorder
          from products p where p.sku = any(${sql.param(skus)}::text[])`,
    ),
    readNetwork(executor, skus, set.stock_at),
  ]);
  const channelById = new Map(channels.map((c) => [c.id, c]));
  const productBySku = new Map(products.map((p) => [p.sku, p]));
  const orders = rows.map(({ seq, order }): PastOrder => {
    const channel = channelById.get(order.channel_id);
    return {
      order: {
        id: `${set.id}.${seq}`,
        channel_id: order.channel_id,
        channel_code: channel?.code ?? null,
        currency: channel?.currency ?? 'USD',
        delivery_method: order.delivery_method,
        pickup_location_id: order.pickup_location_id,
        allow_ship_fallback: order.allow_ship_fallback,
        destination_latitude: order.destination?.latitude ?? null,
        destination_longitude: order.destination?.longitude ?? null,
        shipping_address: order.shipping_address,
        placed_at: order.placed_at,
        created_at: order.placed_at,
        on_hold: false,
      },
      externalId: order.external_id,
      lines: order.lines.map((l) => ({
        line_id: l.line_id,
        sku: l.sku,
        need: l.quantity,
        weight_grams: productBySku.get(l.sku)?.weight_grams ?? 0,
        allow_backorder: productBySku.get(l.sku)?.allow_backorder ?? false,
        ship_from_location_id: l.ship_from_location_id,
      })),
      receivedAtMs: Date.parse(order.placed_at),
    };
  });
  return { orders, ...network.inputs, movements: [], otherWork: [] };
}

/**
 * The network the orders are routed on and the stock of their SKUs (with their bundles' leaf
 * components) as the ledger had it just before `openingAt`.
 */
async function readNetwork(executor: Executor, orderSkus: readonly string[], openingAt: string) {
  const leaves = await readLeaves(executor, [...new Set(orderSkus)]);
  const stockSkus = [...new Set([...orderSkus, ...[...leaves.values()].flat().map((leaf) => leaf.sku)])];
  const skus = sql.param(stockSkus);
  const [locations, members, opening, safety] = await Promise.all([
    query<LocationRow>(
      executor,
      sql`select id, name, type, latitude, longitude, timezone, capabilities, daily_capacity, cutoff_time, priority, active
          from locations order by id`,
    ),
    query<{ channel_id: string; location_id: string }>(
      executor,
      sql`select c.id as channel_id, m.location_id from channels c join location_group_members m on m.group_id = c.location_group_id`,
    ),
    query<{ location_id: string; sku: string; net: number }>(
      executor,
      sql`select distinct on (sku, location_id) location_id, sku, on_hand_after - reserved_after as net
          from inventory_ledger where sku = any(${skus}::text[]) and occurred_at < ${openingAt}::timestamptz
          order by sku, location_id, id desc`,
    ),
    query<{ location_id: string; sku: string; safety_stock: number }>(
      executor,
      sql`select location_id, sku, safety_stock from stock_levels where sku = any(${skus}::text[]) and safety_stock > 0`,
    ),
  ]);
  const groups = new Map<string, Set<string>>();
  for (const m of members) groups.set(m.channel_id, (groups.get(m.channel_id) ?? new Set()).add(m.location_id));
  return {
    stockSkus,
    inputs: {
      locations,
      groups,
      leaves,
      opening: byLevel(opening.map((r) => [r.location_id, r.sku, r.net])),
      safety: byLevel(safety.map((r) => [r.location_id, r.sku, r.safety_stock])),
    },
  };
}

function byLevel(rows: [string, string, number][]): Map<string, Map<string, number>> {
  const levels = new Map<string, Map<string, number>>();
  for (const [location, sku, n] of rows) {
    const atLocation = levels.get(location) ?? new Map<string, number>();
    atLocation.set(sku, n);
    levels.set(location, atLocation);
  }
  return levels;
}
