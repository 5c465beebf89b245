import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';
import { countChildren, drawableAuthorizations, type PaymentRow } from './ledger.ts';
import { eventType, recordPaymentEvent } from './events.ts';
import { lockOrder } from './order.ts';
import { drawOn, planDraws } from './operate.ts';

/**
 * What captures that failed still wait for: shipped goods whose money was declined keep their
 * share of the authorization, so that it can still be collected.
 */
async function awaitingCapture(executor: Executor, orderId: string): Promise<number> {
  const row = await queryOne<{ amount: number }>(
    executor,
    sql`select coalesce(sum(p.amount_minor), 0)::bigint as amount
        from payments p join payment_details d on d.payment_id = p.id
        where p.order_id = ${orderId} and p.kind = 'capture' and p.status = 'failed'
          and not exists (select 1 from payments q join payment_details e on e.payment_id = q.id
                          where q.order_id = p.order_id and q.kind = 'capture' and q.status <> 'failed' and e.shipment_id = d.shipment_id)`,
  );
  return row?.amount ?? 0;
}

async function openUnits(executor: Executor, orderId: string): Promise<number> {
  const row = await queryOne<{ open: number }>(
    executor,
    sql`select coalesce(sum(quantity - cancelled - shipped), 0)::int as open from order_lines where order_id = ${orderId}`,
  );
  return row?.open ?? 0;
}

/**
 * Releases authorized money through the gateway after a cancellation: the cancelled value, or —
 * when nothing is left to ship — everything still authorized (shipping and rounding included)
 * except what failed captures still wait for. Newest authorizations are released first.
 * Call it after the order's lines are updated, in the same transaction.
 */
export async function voidAuthorizations(
  executor: Executor,
  orderId: string,
  cancelledValueMinor: number,
  actor: string | null,
): Promise<PaymentRow[]> {
  const order = await lockOrder(executor, orderId);
  if (!order) throw new Error(`no order ${orderId}`);
  const { authorizations, capturableMinor: free } = await drawableAuthorizations(executor, orderId);
  const everything = (await openUnits(executor, orderId)) === 0;
  const amount = everything
    ? free - (await awaitingCapture(executor, orderId))
    : Math.min(Math.max(0, cancelledValueMinor), free);
  if (amount <= 0) return [];
  const voids: PaymentRow[] = [];
  for (const { source, amountMinor } of planDraws(amount, authorizations.reverse()).draws) {
    const sequence = (await countChildren(executor, orderId, source.id, 'void')) + 1;
    const done = await drawOn(executor, {
      orderId,
      kind: 'void',
      parent: source,
      amountMinor,
      idempotencyKey: `void:${source.id}:${sequence}`,
      details: { reason: everything ? 'order closed' : 'cancelled units' },
    });
    if (!done.ok) throw new Error(`void of ${source.id}: ${done.problem.detail}`);
    voids.push(done.value.payment);
    await recordPaymentEvent(executor, order, eventType(done.value.payment), actor, done.value.payment);
  }
  return voids;
}
