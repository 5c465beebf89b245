import type { Executor } from '../db/index.ts';
import { recordShadowOrder } from '../shadow/index.ts';
import { newId } from '../shared/ids.ts';
import type { Result } from '../shared/result.ts';
import { destinationOf } from './destination.ts';
import { capturedOrder, type ShadowedOrder } from './place-order.ts';
import { decideOnly } from './plan-order.ts';
import type { CreateOrder } from './schemas.ts';
import type { ValidOrder } from './validate-order.ts';

/**
 * An order of a shadow channel: validated as any order, decided by the same planner on the same
 * inputs as a live capture, and kept with its decision by src/shadow. Nothing is reserved, no
 * order row or event is written, nothing is sent.
 */
export async function placeShadowOrder(
  executor: Executor,
  input: CreateOrder,
  valid: ValidOrder,
  requestHash: string,
): Promise<Result<ShadowedOrder>> {
  const head = { id: newId('sho'), channel_id: valid.channelId, external_id: input.external_id, status: 'created' };
  const destination = await destinationOf(executor, input.shipping_address);
  const captured = capturedOrder(input, valid, { ...head, on_hold: false }, destination);
  const decision = await decideOnly(executor, captured.order, captured.lines, valid.routing);
  const { totals } = valid;
  const recorded = await recordShadowOrder(executor, {
    id: head.id,
    channelId: valid.channelId,
    externalId: input.external_id,
    requestHash,
    currency: totals.currency,
    totalMinor: totals.totalMinor,
    shippingMinor: totals.shippingMinor,
    placedAt: captured.order.placed_at,
    lines: captured.lines.map((line, i) => ({
      line_id: line.line_id,
      sku: line.sku,
      quantity: line.need,
      amount_minor: totals.lines[i]!.subtotalMinor - totals.lines[i]!.discountMinor + totals.lines[i]!.taxMinor,
    })),
    decision,
  });
  if (!recorded.ok) return recorded;
  return { ok: true, value: { shadow: recorded.value.order, replayed: recorded.value.replayed } };
}
