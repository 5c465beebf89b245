import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';
import { insertEvents } from '../events/index.ts';
import type { PlanResult } from '../routing/index.ts';
import { newId } from '../shared/ids.ts';
import { orderEventPayload, type OrderEventHead } from './events.ts';
import { fulfillmentOrderCreated } from './fulfillment-orders.ts';
import { kitColumns, unitsByLine } from './kit-parts.ts';
import { orderStatusWrite, statusEvents } from './refresh-status.ts';
import type { OpenLine } from './routing-inputs.ts';
import { deriveOrderStatus } from './status.ts';

/** A just-captured order: nothing allocated, shipped or cancelled yet, status `created`. */
export interface CapturedOrder extends OrderEventHead {
  on_hold: boolean;
}

interface EventRow {
  type: string;
  payload: Record<string, unknown>;
  /** The routing decision's ID is only known inside the statement: it is added there. */
  decision: boolean;
}

const sumBy = <T>(items: T[], key: (item: T) => string, value: (item: T) => number) => {
  const sums = new Map<string, number>();
  for (const item of items) sums.set(key(item), (sums.get(key(item)) ?? 0) + value(item));
  return sums;
};

/**
 * Everything that follows a new order's successful reservation, in one statement: the routing
 * decision, the allocations, the lines' buckets, the fulfillment orders (unless the order is
 * held), the rules version and the derived status, and their events. It writes the same rows
 * and events, in the same order, as the general path does for any order (`recordAllocations`,
 * `createFulfillmentOrders`, `refreshOrderStatus`): a new order's state is fully known here, so
 * nothing needs to be read back first.
 */
export async function finishCapture(
  executor: Executor,
  order: CapturedOrder,
  lines: OpenLine[],
  version: number | null,
  result: PlanResult,
  actor: string | null,
): Promise<void> {
  const locations = [...new Set(result.allocations.map((a) => a.locationId))];
  const fulfillment = order.on_hold
    ? []
    : [...locations].sort().map((locationId) => ({ id: newId('fo'), location_id: locationId }));
  const foAt = new Map(fulfillment.map((f) => [f.location_id, f.id]));
  const allocated = unitsByLine(result.allocations);
  const backordered = sumBy(
    result.backorders,
    (b) => b.lineId,
    (b) => b.quantity,
  );
  const buckets = lines.map((l) => ({
    line_id: l.line_id,
    allocated: allocated.get(l.line_id) ?? 0,
    backordered: backordered.get(l.line_id) ?? 0,
  }));
  const next = deriveOrderStatus(
    lines.map((l, i) => ({
      quantity: l.need,
      allocated: buckets[i]!.allocated,
      backordered: buckets[i]!.backordered,
      cancelled: 0,
      shipped: 0,
      delivered: 0,
    })),
    order.on_hold,
  );
  const statusWrite = orderStatusWrite(order.id, 'created', next, { also: sql`rules_version = ${version}` });
  const events: EventRow[] = [
    {
      type: 'order.routed',
      decision: true,
      payload: orderEventPayload(order, actor, {
        cause: 'capture',
        rules_version: version,
        locations,
        backordered: result.backorders,
      }),
    },
    ...fulfillment.map((f) => ({
      type: 'fulfillment_order.created',
      decision: false,
      payload: {
        ...fulfillmentOrderCreated(order.id, actor, f.id, f.location_id, result.deliveryMethod),
        channel_id: order.channel_id,
      },
    })),
    ...(next === 'created'
      ? []
      : statusEvents('created', next).map((e) => ({
          type: e.type,
          decision: false,
          payload: orderEventPayload({ ...order, status: next }, actor, e.data),
        }))),
  ];
  const allocations = result.allocations.map((a) => ({
    line_id: a.lineId,
    sku: a.sku,
    location_id: a.locationId,
    quantity: a.quantity,
    fulfillment_order_id: foAt.get(a.locationId) ?? null,
    ...kitColumns(a),
  }));
  const decided = await queryOne<{ id: number }>(
    executor,
    sql`with decision as (
          insert into routing_decisions (order_id, cause, rules_version, outcome, explanation)
          values (${order.id}, 'capture', ${version}, ${result.status}, ${JSON.stringify(result)}::json)
          returning id),
        fulfillment as (
          insert into fulfillment_orders (id, order_id, location_id, delivery_method, status)
          select t.id, ${order.id}, t.location_id, ${result.deliveryMethod}, 'allocated'
          from jsonb_to_recordset(${JSON.stringify(fulfillment)}::jsonb) as t(id text, location_id text)),
        allocations as (
          insert into order_allocations (order_id, line_id, sku, location_id, quantity, decision_id, fulfillment_order_id, kit_group, components)
          select ${order.id}, t.line_id, t.sku, t.location_id, t.quantity, decision.id, t.fulfillment_order_id, t.kit_group, t.components
          from decision, jsonb_to_recordset(${JSON.stringify(allocations)}::jsonb)
               as t(line_id text, sku text, location_id text, quantity int, fulfillment_order_id text, kit_group text, components jsonb)),
        buckets as (
          update order_lines l set allocated = l.allocated + t.allocated, backordered = t.backordered
          from jsonb_to_recordset(${JSON.stringify(buckets)}::jsonb) as t(line_id text, allocated int, backordered int)
          where l.order_id = ${order.id} and l.line_id = t.line_id),
        status as (${statusWrite}),
        announced as (${insertEvents(sql`
          select t.type, 'order', ${order.id},
                 case when t.decision then t.payload || jsonb_build_object('decision_id', decision.id) else t.payload end
          from decision, rows from (jsonb_to_recordset(${JSON.stringify(events)}::jsonb) as (type text, payload jsonb, decision boolean))
               with ordinality as t(type, payload, decision, n)
          order by t.n`)})
        select id from decision`,
    { prepare: true },
  );
  if (!decided) throw new Error(`order ${order.id}: the routing decision was not stored`);
}
