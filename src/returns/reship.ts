import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { placeLinkedOrder } from './linked-orders.ts';
import type { ReshipBody } from './schemas.ts';

/**
 * Sends lost or damaged units again: a linked replacement order at no charge, routed and
 * reserved like any order. Only shipped units (of the named shipment, when given) may be
 * reshipped.
 */
export async function reshipOrder(
  executor: Executor,
  orderId: string,
  body: ReshipBody,
  options: { actor: string; channelOfKey: string | null },
): Promise<Result<{ order_id: string; reship_order_id: string }>> {
  const order = await queryOne<{ id: string; channel_id: string }>(
    executor,
    sql`select id, channel_id from orders where id = ${orderId} for update`,
  );
  if (!order || (options.channelOfKey && options.channelOfKey !== order.channel_id))
    return fail(problem('not_found', `No order ${orderId}.`));
  const lines = await query<{ line_id: string; sku: string; shipped: number; in_shipment: number | null }>(
    executor,
    sql`select l.line_id, l.sku, l.shipped,
               ${body.shipment_id ? sql`(select sl.quantity from shipment_lines sl where sl.shipment_id = ${body.shipment_id} and sl.line_id = l.line_id)` : sql`null::int`} as in_shipment
        from order_lines l where l.order_id = ${orderId}`,
  );
  const errors: { pointer: string; message: string }[] = [];
  body.lines.forEach((r, i) => {
    const line = lines.find((l) => l.line_id === r.line_id);
    if (!line) return errors.push({ pointer: `/lines/${i}/line_id`, message: `the order has no line ${r.line_id}` });
    const limit = body.shipment_id ? (line.in_shipment ?? 0) : line.shipped;
    if (r.quantity > limit)
      errors.push({
        pointer: `/lines/${i}/quantity`,
        message: `only ${limit} unit(s) of line ${r.line_id} were shipped${body.shipment_id ? ' in that shipment' : ''}`,
      });
    return undefined;
  });
  if (errors.length > 0) return fail(problem('validation_failed', `${errors[0]!.message}.`, { errors }));
  const reason = body.note ? `${body.reason}: ${body.note}` : body.reason;
  const placed = await placeLinkedOrder(executor, {
    originalOrderId: orderId,
    kind: 'reship',
    returnId: null,
    reason,
    lines: body.lines.map((r) => ({
      sku: lines.find((l) => l.line_id === r.line_id)!.sku,
      quantity: r.quantity,
      unitPriceMinor: 0,
      creditMinor: 0,
    })),
    payment: null,
    actor: options.actor,
  });
  if (!placed.ok) return placed;
  await recordEvents(executor, [
    {
      type: 'order.reshipped',
      subjectType: 'order',
      subjectId: orderId,
      payload: {
        order_id: orderId,
        channel_id: order.channel_id,
        actor: options.actor,
        reship_order_id: placed.value.orderId,
        reason: body.reason,
        note: body.note ?? null,
        shipment_id: body.shipment_id ?? null,
        lines: body.lines,
      },
    },
  ]);
  return ok({ order_id: orderId, reship_order_id: placed.value.orderId });
}
