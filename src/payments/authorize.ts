import type { Executor } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import type { GatewayResult } from './gateway.ts';
import { paymentByKey, recordPayment, type PaymentRow } from './ledger.ts';
import { eventType, recordPaymentEvent } from './events.ts';
import { lockOrder } from './order.ts';
import { gatewayFor } from './registry.ts';

interface AuthorizeInput {
  amountMinor: number;
  currency: string;
  gateway: string;
  /** The gateway's token for the card or wallet. */
  paymentMethod: string;
  idempotencyKey: string;
  actor: string | null;
}

/**
 * Authorizes more money on an order (a new card after a decline, an added item) and records the
 * outcome: a declined authorization is a failed record, not an error. Storefronts that
 * authorize at checkout send their authorizations with the order instead.
 */
export async function authorizePayment(
  executor: Executor,
  orderId: string,
  input: AuthorizeInput,
): Promise<Result<{ payment: PaymentRow; replayed: boolean }>> {
  const order = await lockOrder(executor, orderId);
  if (!order) return fail(problem('not_found', `No order ${orderId}.`));
  if (input.currency !== order.currency)
    return fail(problem('validation_failed', `The order is in ${order.currency}, not ${input.currency}.`));
  const seen = await paymentByKey(executor, orderId, input.idempotencyKey);
  if (seen) {
    if (seen.kind === 'authorization' && seen.amount_minor === input.amountMinor && seen.gateway === input.gateway)
      return ok({ payment: seen, replayed: true });
    return fail(
      problem(
        'idempotency_conflict',
        `Idempotency key ${input.idempotencyKey} was already used for a ${seen.kind} of ${seen.amount_minor} ${seen.currency}.`,
      ),
    );
  }
  const gateway = gatewayFor(input.gateway, executor);
  if (!gateway)
    return fail(problem('validation_failed', `No payment gateway "${input.gateway}" is configured on this server.`));
  const result: GatewayResult = await gateway.authorize({
    orderReference: orderId,
    amountMinor: input.amountMinor,
    currency: input.currency,
    paymentMethod: input.paymentMethod,
    idempotencyKey: input.idempotencyKey,
  });
  const payment = await recordPayment(executor, {
    orderId,
    kind: 'authorization',
    status: result.status === 'succeeded' ? 'succeeded' : 'failed',
    amountMinor: input.amountMinor,
    currency: input.currency,
    gateway: input.gateway,
    parentId: null,
    idempotencyKey: input.idempotencyKey,
    gatewayReference: result.status === 'succeeded' ? result.reference : null,
    failure: result.status === 'declined' ? { code: result.code, message: result.message } : null,
  });
  await recordPaymentEvent(executor, order, eventType(payment), input.actor, payment);
  return ok({ payment, replayed: false });
}
