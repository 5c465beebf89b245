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
  const unmanaged = sim.model.orders.filter((o) => !o.managed).map((o) => o.id);
  const skuList = sql`(select unnest(${sql.param(skus)}::text[]))`;
  const orderList = sql`(select unnest(${sql.param(orders.length ? orders : ['none'])}::text[]))`;
  const unmanagedList = sql`(select unnest(${sql.param(unmanaged.length ? unmanaged : ['none'])}::text[]))`;
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
    imported: sql`select o.id, o.status, o.managed, l.line_id, l.allocated, l.backordered, l.cancelled, l.shipped, l.delivered,
                    (select count(*) from order_allocations a where a.order_id = o.id)::int as allocations,
                    (select count(*) from order_holds h where h.order_id = o.id)::int as holds
                  from orders o join order_lines l on l.order_id = o.id
                  where o.id in ${unmanagedList} order by o.id, l.line_no`,
  });
  sim.counters.checks += 8;
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
    const order = sim.model.orders.find((o) => o.id === d.id)!;
    // An imported order has no invoices (ADR 0047): the previous system billed it. What Consign
    // refunds of it (returns, goodwill) gets credit memos; the refunds the record brought do not.
    const expected = order.imported
      ? [0, 0, Number(d.refunded) - order.imported.refundedMinor]
      : [d.captured, order.money.uncollectedMinor, d.refunded];
    expectEqual(
      [d.paid, d.due, d.credited].map(Number),
      expected.map(Number),
      `order ${d.id}${order.imported ? ' (imported)' : ''}: invoices paid and due, credit memos [paid, due, credited]`,
    );
  }
  expectEqual(
    sets.perLine!.filter((l) => !unmanaged.includes(l.order_id)),
    [],
    'order lines credited more than invoiced',
  );
  checkImported(sim, sets.imported!);
}

/**
 * Orders imported as they were stay as imported (ADR 0047): unmanaged, their status the
 * record's, nothing allocated or held, their units shipped, delivered, cancelled or waiting
 * exactly as the record said — whatever the later steps did (the back-order worker, supply
 * receipts, refused cancellations, changes and holds, returns against them).
 */
function checkImported(sim: Sim, rows: any[]) {
  for (const order of sim.model.orders.filter((o) => !o.managed)) {
    const seen = rows.filter((r) => r.id === order.id);
    expectEqual(
      seen.map((r) => [r.status, r.managed, r.allocations, r.holds]).slice(0, 1),
      [[order.status, false, 0, 0]],
      `imported order ${order.id} [status, managed, allocations, holds]`,
    );
    expectEqual(
      seen.map((r) => [r.line_id, r.allocated, r.backordered, r.cancelled, r.shipped, r.delivered]),
      order.lines.map((l) => [l.lineId, l.allocated, l.waiting, l.cancelled, l.shipped, l.delivered]),
      `imported order ${order.id} lines [line, allocated, waiting, cancelled, shipped, delivered]`,
    );
  }
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
  /** How many shadow orders the model knew. */
  shadows: number;
}

export function snapshot(sim: Sim): Snapshot {
  return {
    orders: new Map(sim.model.orders.map((o) => [o.id, o.status])),
    fos: new Map(sim.model.orders.flatMap((o) => o.fos.map((f) => [f.id, f.status] as [string, FoStatus]))),
    returns: new Map(sim.model.returns.map((r) => [r.id, r.status])),
    stock: new Map([...sim.model.stock].map(([k, v]) => [k, `${v.onHand}/${v.reserved}`])),
    shadows: sim.model.shadows.length,
  };
}

/**
 * The outbox events of the step: one `order.status_changed` per change of each order's status,
 * one fulfillment event per change of each fulfillment order, one `return.status_changed` per
 * change of each return, each along its lifecycle; and for every level that moved, an
 * availability event whose last one shows the level as it is now. A step that imported orders
 * (ADR 0047) or placed a shadow order (ADR 0048) writes no event at all, and no event of any
 * step names a shadow order: every webhook, notification and connector push is sent from these
 * events, so nothing is sent for them either.
 */
export async function checkEvents(sim: Sim, before: Snapshot): Promise<void> {
  const rows = await query<EventRow>(
    sim.db,
    sql`select id, type, subject_id, payload from event_history where id > ${sim.eventCursor} order by id`,
  );
  if (rows.length > 0) sim.eventCursor = Number(rows.at(-1)!.id);
  sim.counters.checks += 1;
  const imported = sim.model.orders.filter((o) => !o.managed && !before.orders.has(o.id));
  if (imported.length > 0 || sim.model.shadows.length > before.shadows)
    expectEqual(
      rows.map((e) => `${e.type} ${e.subject_id}`),
      [],
      `events of a step that ${imported.length > 0 ? `imported ${imported.map((o) => o.id).join(', ')}` : 'placed a shadow order'}`,
    );
  const shadowNames = sim.model.shadows.flatMap((o) => [o.id, o.externalId]).map((name) => JSON.stringify(name));
  for (const e of rows) {
    const text = JSON.stringify([e.subject_id, e.payload]);
    const named = shadowNames.find((name) => text.includes(name));
    expectThat(!named, () => `event ${e.id} ${e.type} names the shadow order ${named}: ${text}`);
  }
  for (const order of sim.model.orders) {
    // Imported in this step: as the record left it, with no event at all (checked above).
    if (imported.includes(order)) continue;
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
