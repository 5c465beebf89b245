import type { Executor } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';
import type { PaymentRow } from './ledger.ts';
import type { OrderRef } from './order.ts';

/** A `payment.*` event on the order's timeline (and to channel-scoped webhook subscriptions). */
export async function recordPaymentEvent(
  executor: Executor,
  order: OrderRef,
  type: string,
  actor: string | null,
  payment: PaymentRow,
  data: Record<string, unknown> = {},
) {
  await recordEvents(executor, [
    {
      type,
      subjectType: 'order',
      subjectId: order.id,
      payload: {
        order_id: order.id,
        channel_id: order.channel_id,
        actor,
        payment_id: payment.id,
        kind: payment.kind,
        status: payment.status,
        amount: { amount: payment.amount_minor, currency: payment.currency },
        gateway: payment.gateway,
        reference: payment.reference,
        ...(payment.failure_code
          ? { failure_code: payment.failure_code, failure_message: payment.failure_message }
          : {}),
        ...data,
      },
    },
  ]);
}

/** The event a recorded operation announces: `payment.captured`, `payment.capture_failed`, `payment.capture_pending`, … */
export function eventType(payment: PaymentRow): string {
  const done = { capture: 'captured', void: 'voided', refund: 'refunded', authorization: 'authorized' }[payment.kind];
  if (payment.status === 'succeeded') return `payment.${done}`;
  const verb = payment.kind === 'authorization' ? 'authorization' : payment.kind;
  return `payment.${verb}_${payment.status}`;
}
