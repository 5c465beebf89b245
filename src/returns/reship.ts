import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { placeLinkedOrder } from './linked-orders.ts';
import { overLimit, reshipLimits, type OverLimit, type ReshipLimit } from './reship-limits.ts';
import type { ReshipBody } from './schemas.ts';

type FieldError = { pointer: string; message: string };

/**
 * Checks the requested units: more than ever shipped (of the shipment, when named) is a bad
 * request; more than shipped less what earlier reships sent is `reship_limit_exceeded`, which an
 * agent's override lifts.
 */
function check(lines: ReshipLimit[], body: ReshipBody): Result<OverLimit[]> {
  const errors: FieldError[] = [];
  const over: (OverLimit & { pointer: string })[] = [];
  body.lines.forEach((r, i) => {
    const pointer = `/lines/${i}/quantity`;
    const line = lines.find((l) => l.line_id === r.line_id);
    if (!line) return errors.push({ pointer: `/lines/${i}/line_id`, message: `the order has no line ${r.line_id}` });
    const shipped = body.shipment_id ? (line.in_shipment ?? 0) : line.shipped;
    if (r.quantity > shipped)
      return errors.push({
        pointer,
        message: `only ${shipped} unit(s) of line ${r.line_id} were shipped${body.shipment_id ? ' in that shipment' : ''}`,
      });
    const beyond = overLimit(line, r.quantity, body.shipment_id);
    if (beyond) over.push({ ...beyond, pointer });
    return undefined;
  });
  if (errors.length > 0) return fail(problem('validation_failed', `${errors[0]!.message}.`, { errors }));
  if (over.length === 0 || body.override) return ok(over.map(({ pointer: _, ...o }) => o));
  const message = (o: OverLimit) =>
    `${o.reshippable} unit(s) of line ${o.line_id} can still be reshipped${o.shipment_id ? ` from shipment ${o.shipment_id}` : ''} (shipped ${o.shipped}, reshipped ${o.reshipped})`;
  return fail(
    problem('reship_limit_exceeded', `Only ${message(over[0]!)}; an agent may override with a reason.`, {
      lines: over.map(({ pointer: _, ...o }) => o),
      errors: over.map((o) => ({ pointer: o.pointer, message: message(o) })),
    }),
  );
}

/**
 * Sends lost or damaged units again: a linked replacement order at no charge, routed and
 * reserved like any order. A line may be reshipped up to its shipped units less what earlier
 * reships (not cancelled) sent; with a shipment named, up to that shipment's units less what was
 * reshipped of it. An override with a reason (the route is for admin and agent keys) lifts that
 * cap, never the shipped units, and is recorded on the order's timeline.
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
  const lines = await reshipLimits(executor, orderId, body.shipment_id);
  const checked = check(lines, body);
  if (!checked.ok) return checked;
  const reason = body.note ? `${body.reason}: ${body.note}` : body.reason;
  const placed = await placeLinkedOrder(executor, {
    originalOrderId: orderId,
    kind: 'reship',
    returnId: null,
    shipmentId: body.shipment_id ?? null,
    reason,
    lines: body.lines.map((r) => ({
      originalLineId: r.line_id,
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
        override:
          body.override && checked.value.length > 0
            ? { by: options.actor, reason: body.override.reason, lines: checked.value }
            : null,
      },
    },
  ]);
  return ok({ order_id: orderId, reship_order_id: placed.value.orderId });
}
