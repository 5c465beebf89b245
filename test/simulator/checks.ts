import { sql } from 'drizzle-orm';
import { query, queryRowsets } from '../../src/db/index.ts';
import { expectEqual, expectThat, type Sim } from './context.ts';
import {
  foLifecycle,
  levelKey,
  orderLifecycle,
  returnLifecycle,
  type FoStatus,
  type OrderStatus,
  type ReturnStatus,
} from './model.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- rows are read field by field */

/**
 * What the database must show after every step, for the sequence's own SKUs and orders: the
 * model's stock, levels equal to their ledgers, reserved equal to what holds it, whole line
 * buckets, no payment drawn beyond its parent, and invoices and credit memos equal to the
 * money captured and refunded (in total and per line).
 */
export async function checkDatabase(sim: Sim): Promise<void> {
  const skus = sim.model.products.map((p) => p.sku);
  const orders = sim.model.orders.map((o) => o.id);
  const skuList = sql`(select unnest(${sql.param(skus)}::text[]))`;
  const orderList = sql`(select unnest(${sql.param(orders.length ? orders : ['none'])}::text[]))`;
  const sets = await queryRowsets<Record<string, any[]>>(sim.db, {
    levels: sql`select location_id, sku, on_hand, reserved from stock_levels where sku in ${skuList}`,
    ledger: sql`select s.location_id, s.sku from stock_levels s
                left join (select location_id, sku, sum(on_hand_delta) as on_hand, sum(reserved_delta) as reserved
                           from inventory_ledger where sku in ${skuList} group by 1, 2) l using (location_id, sku)
                where s.sku in ${skuList} and (s.on_hand <> coalesce(l.on_hand, 0) or s.reserved <> coalesce(l.reserved, 0))`,
    held: sql`select s.location_id, s.sku, s.reserved, coalesce(h.quantity, 0) as held from stock_levels s
              left join (select location_id, sku, sum(quantity) as quantity from (
                  select rl.location_id, rl.sku, rl.quantity from reservation_lines rl join reservations r on r.id = rl.reservation_id
                  where r.status = 'held' and rl.sku in ${skuList}
                  union all
                  -- A kit's allocation holds its components (ADR 0024).
                  select a.location_id, coalesce(c.component_sku, a.sku), a.quantity * coalesce(c.quantity, 1)
                  from order_allocations a left join product_components c on c.bundle_sku = a.sku
                  where a.status = 'reserved' and a.sku in ${skuList}) x
                group by 1, 2) h using (location_id, sku)
              where s.sku in ${skuList} and s.reserved <> coalesce(h.quantity, 0)`,
    buckets: sql`select order_id, line_id from order_lines
                 where order_id in ${orderList} and allocated + backordered + cancelled + shipped <> quantity`,
    overdrawn: sql`select p.id, p.kind, p.amount_minor, sum(c.amount_minor) as drawn from payments p
                   join payments c on c.parent_id = p.id and c.status in ('succeeded', 'pending')
                   where p.order_id in ${orderList} and p.status = 'succeeded'
                   group by p.id having sum(c.amount_minor) > p.amount_minor`,
    documents: sql`select o.id,
                     coalesce((select sum(amount_minor) from payments where order_id = o.id and kind = 'capture' and status = 'succeeded'), 0) as captured,
                     coalesce((select sum(amount_minor) from payments where order_id = o.id and kind = 'refund' and status = 'succeeded'), 0) as refunded,
                     coalesce((select sum(total_minor - (document->'amount_due'->>'amount')::bigint) from invoices where order_id = o.id and kind = 'invoice'), 0) as paid,
                     coalesce((select sum((document->'amount_due'->>'amount')::bigint) from invoices where order_id = o.id and kind = 'invoice'), 0) as due,
                     coalesce((select sum(total_minor) from invoices where order_id = o.id and kind = 'credit_memo'), 0) as credited
                   from orders o where o.id in ${orderList}`,
    perLine: sql`with lines as (
                   select i.order_id, i.kind, l->>'line_id' as line_id, (l->'total'->>'amount')::bigint as amount
                   from invoices i, jsonb_array_elements(i.document->'lines') l
                   where i.order_id in ${orderList} and l->>'line_id' is not null)
                 select order_id, line_id,
                        coalesce(sum(amount) filter (where kind = 'invoice'), 0) as invoiced,
                        coalesce(sum(amount) filter (where kind = 'credit_memo'), 0) as credited
                 from lines group by 1, 2
                 having coalesce(sum(amount) filter (where kind = 'credit_memo'), 0) > coalesce(sum(amount) filter (where kind = 'invoice'), 0)`,
  });
  sim.counters.checks += 7;
  const seen = new Map(sets.levels!.map((l) => [levelKey(l.location_id, l.sku), l]));
  for (const [key, expected] of sim.model.stock) {
    const actual = seen.get(key);
    expectEqual(
      [actual?.on_hand ?? 0, actual?.reserved ?? 0],
      [expected.onHand, expected.reserved],
      `stock ${key} [on_hand, reserved]`,
    );
    expectThat(expected.reserved <= expected.onHand && expected.reserved >= 0, `stock ${key}: model oversold`);
    seen.delete(key);
  }
  for (const [key, l] of seen) expectEqual([l.on_hand, l.reserved], [0, 0], `stock ${key} the model never moved`);
  expectEqual(sets.ledger, [], 'levels whose ledger does not add up to them');
  expectEqual(sets.held, [], 'levels whose reserved differs from their cart holds and allocations');
  expectEqual(sets.buckets, [], 'order lines with a unit in no bucket or two');
  expectEqual(sets.overdrawn, [], 'payments drawn on beyond their amount');
  for (const d of sets.documents!) {
    const uncollected = sim.model.orders.find((o) => o.id === d.id)!.money.uncollectedMinor;
    expectEqual(
      [d.paid, d.due, d.credited],
      [d.captured, uncollected, d.refunded],
      `order ${d.id}: invoices paid and due, credit memos [paid, due, credited] vs [captured, uncollected, refunded]`,
    );
  }
  expectEqual(sets.perLine, [], 'order lines credited more than invoiced');
}

interface EventRow {
  id: number;
  type: string;
  subject_id: string;
  payload: any;
}

/** A status chain seen in events must start where the model was, end where it is, and take only allowed steps. */
function checkChain<S extends string>(what: string, moves: [S, S][], from: S, to: S, lifecycle: Record<S, S[]>) {
  if (moves.length === 0) {
    expectEqual(to, from, `${what}: changed with no event`);
    return;
  }
  expectEqual(moves[0]![0], from, `${what}: first event's from`);
  expectEqual(moves.at(-1)![1], to, `${what}: last event's to`);
  moves.forEach(([a, b], i) => {
    expectThat(lifecycle[a].includes(b), `${what}: ${a} → ${b} is not in the lifecycle`);
    if (i > 0) expectEqual(a, moves[i - 1]![1], `${what}: events out of sequence`);
  });
}

export interface Snapshot {
  orders: Map<string, OrderStatus>;
  fos: Map<string, FoStatus>;
  returns: Map<string, ReturnStatus>;
  stock: Map<string, string>;
}

export function snapshot(sim: Sim): Snapshot {
  return {
    orders: new Map(sim.model.orders.map((o) => [o.id, o.status])),
    fos: new Map(sim.model.orders.flatMap((o) => o.fos.map((f) => [f.id, f.status] as [string, FoStatus]))),
    returns: new Map(sim.model.returns.map((r) => [r.id, r.status])),
    stock: new Map([...sim.model.stock].map(([k, v]) => [k, `${v.onHand}/${v.reserved}`])),
  };
}

/**
 * The outbox events of the step: one `order.status_changed` per change of each order's status,
 * one fulfillment event per change of each fulfillment order, one `return.status_changed` per
 * change of each return, each along its lifecycle; and for every level that moved, an
 * availability event whose last one shows the level as it is now.
 */
export async function checkEvents(sim: Sim, before: Snapshot): Promise<void> {
  const rows = await query<EventRow>(
    sim.db,
    sql`select id, type, subject_id, payload from event_history where id > ${sim.eventCursor} order by id`,
  );
  if (rows.length > 0) sim.eventCursor = Number(rows.at(-1)!.id);
  sim.counters.checks += 1;
  for (const order of sim.model.orders) {
    const moves = rows
      .filter((e) => e.subject_id === order.id && e.type === 'order.status_changed')
      .map((e) => [e.payload.from, e.payload.to] as [OrderStatus, OrderStatus]);
    const from = before.orders.get(order.id) ?? moves[0]?.[0] ?? order.status;
    checkChain(`order ${order.id} status`, moves, from, order.status, orderLifecycle);
    for (const fo of order.fos) {
      const foMoves = rows
        .filter((e) => e.payload?.fulfillment_order_id === fo.id && e.type.startsWith('fulfillment_order.'))
        .map((e) => e.type.slice('fulfillment_order.'.length))
        .filter((s) => s in foLifecycle && s !== 'allocated')
        .map((s) => s as FoStatus);
      const created = rows.some(
        (e) => e.type === 'fulfillment_order.created' && e.payload?.fulfillment_order_id === fo.id,
      );
      const start = before.fos.get(fo.id) ?? 'allocated';
      expectThat(
        before.fos.has(fo.id) || created,
        `fulfillment order ${fo.id} appeared with no fulfillment_order.created`,
      );
      const chain: [FoStatus, FoStatus][] = foMoves.map((s, i) => [i === 0 ? start : foMoves[i - 1]!, s]);
      checkChain(`fulfillment order ${fo.id}`, chain, start, fo.status, foLifecycle);
    }
  }
  for (const ret of sim.model.returns) {
    const moves = rows
      .filter((e) => e.type === 'return.status_changed' && e.payload?.return_id === ret.id)
      .map((e) => [e.payload.from, e.payload.to] as [ReturnStatus, ReturnStatus]);
    checkChain(`return ${ret.id}`, moves, before.returns.get(ret.id) ?? 'initiated', ret.status, returnLifecycle);
  }
  for (const [key, level] of sim.model.stock) {
    if ((before.stock.get(key) ?? '0/0') === `${level.onHand}/${level.reserved}`) continue;
    const [locationId, sku] = key.split('|');
    const last = rows
      .filter((e) => e.type === 'inventory.availability_changed' && e.subject_id === `${locationId}/${sku}`)
      .at(-1);
    expectThat(last, `stock ${key} moved with no availability event`);
    expectEqual(
      [last.payload.on_hand, last.payload.reserved],
      [level.onHand, level.reserved],
      `stock ${key}: last availability event`,
    );
  }
}
