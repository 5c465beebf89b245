import type { Executor } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { eventType, recordPaymentEvent } from './events.ts';
import { captureBalances, drawableAuthorizations, paymentByKey, recordPayment, type PaymentRow } from './ledger.ts';
import { lockOrder } from './order.ts';
import { planDraws } from './operate.ts';

interface PlatformRefundInput {
  /** The platform's own ID of the refund: the same ID is recorded once, however often it is reported. */
  refundId: string;
  amountMinor: number;
  currency: string;
  reason: string;
  actor: string;
}

interface PlatformRefundOutcome {
  /** `already_recorded`: this platform refund was recorded before; nothing was written. */
  status: 'recorded' | 'already_recorded';
  records: PaymentRow[];
  /** What neither captured nor authorized money left could take (already released or refunded). */
  unrecorded_minor: number;
}

/**
 * Records a refund the selling platform already made (its gateway moved the money, not
 * Consign's): no gateway is called. It draws on captured money first (a `refund`, newest
 * capture first), then on what is still authorized (a `void`: the platform gave back money
 * before Consign captured it). Idempotent by the platform's refund ID.
 */
export async function recordPlatformRefund(
  executor: Executor,
  orderId: string,
  input: PlatformRefundInput,
): Promise<Result<PlatformRefundOutcome>> {
  const order = await lockOrder(executor, orderId);
  if (!order) return fail(problem('not_found', `No order ${orderId}.`));
  if (input.currency !== order.currency) {
    return fail(
      problem(
        'validation_failed',
        `The order is in ${order.currency}; the platform refund ${input.refundId} is in ${input.currency}.`,
        { errors: [{ pointer: '/currency', message: `must be ${order.currency}` }] },
      ),
    );
  }
  const key = `platform-refund:${input.refundId}`;
  if (await paymentByKey(executor, orderId, key)) {
    return ok({ status: 'already_recorded', records: [], unrecorded_minor: 0 });
  }
  const fromCaptures = planDraws(input.amountMinor, await captureBalances(executor, orderId));
  const { authorizations, capturableMinor } = await drawableAuthorizations(executor, orderId);
  const fromAuthorizations = planDraws(Math.min(fromCaptures.shortfallMinor, capturableMinor), authorizations);
  const drawn = [...fromCaptures.draws, ...fromAuthorizations.draws].reduce((n, d) => n + d.amountMinor, 0);
  const draws = [
    ...fromCaptures.draws.map((d) => ({ ...d, kind: 'refund' as const })),
    ...fromAuthorizations.draws.map((d) => ({ ...d, kind: 'void' as const })),
  ];
  const records: PaymentRow[] = [];
  for (const [i, draw] of draws.entries()) {
    const record = await recordPayment(executor, {
      orderId,
      kind: draw.kind,
      status: 'succeeded',
      amountMinor: draw.amountMinor,
      currency: order.currency,
      gateway: draw.source.gateway,
      parentId: draw.source.id,
      idempotencyKey: i === 0 ? key : `${key}:${i + 1}`,
      gatewayReference: input.refundId,
      failure: null,
      details: { reason: input.reason, platform_refund_id: input.refundId },
    });
    records.push(record);
    await recordPaymentEvent(executor, order, eventType(record), input.actor, record, {
      reason: input.reason,
      platform_refund_id: input.refundId,
    });
  }
  return ok({ status: 'recorded', records, unrecorded_minor: input.amountMinor - drawn });
}
