import type { Executor } from '../db/index.ts';
import { newId } from '../shared/ids.ts';
import type { GatewayResult } from './gateway.ts';
import type { PaymentStatus } from './ledger.ts';
import { gatewayFor } from './registry.ts';

/** An authorization as a storefront sends it with an order. */
interface SentAuthorization {
  amount: { amount: number; currency: string };
  gateway: string;
  reference?: string | undefined;
}

/** The record Consign keeps of a sent authorization: what the gateway said, not what was sent. */
export interface CheckedAuthorization {
  id: string;
  status: PaymentStatus;
  amount_minor: number;
  currency: string;
  gateway: string;
  reference: string | null;
  gateway_reference: string | null;
  failure_code: string | null;
  failure_message: string | null;
  details: { verified: boolean; reason?: string };
}

async function ask(executor: Executor, orderId: string, sent: SentAuthorization) {
  const gateway = gatewayFor(sent.gateway, executor);
  if (!gateway) return { unverified: 'gateway_not_configured' } as const;
  if (!gateway.verify) return { unverified: 'gateway_cannot_verify' } as const;
  try {
    return {
      answer: await gateway.verify({
        orderReference: orderId,
        authorizationReference: sent.reference,
        amountMinor: sent.amount.amount,
        currency: sent.amount.currency,
      }),
    };
  } catch (error) {
    const answer: GatewayResult = {
      status: 'declined',
      code: 'gateway_error',
      message: `Gateway ${gateway.name} did not answer: ${(error as Error).message}`,
    };
    return { answer, pending: true };
  }
}

/**
 * Checks each authorization sent with an order with its gateway, before the order is written.
 * A gateway that confirms it makes a `succeeded` record; one that denies it a `failed` record
 * (which covers nothing: the order waits on a payment hold); one that does not answer a
 * `pending` record. A gateway this server does not have, or one that cannot be asked, leaves
 * the authorization as sent, marked `verified: false`: its captures show what really happens.
 */
export async function checkSentAuthorizations(
  executor: Executor,
  orderId: string,
  sent: SentAuthorization[],
): Promise<CheckedAuthorization[]> {
  const checked: CheckedAuthorization[] = [];
  for (const payment of sent) {
    const base = {
      id: newId('pay'),
      amount_minor: payment.amount.amount,
      currency: payment.amount.currency,
      gateway: payment.gateway,
      reference: payment.reference ?? null,
    };
    const outcome = await ask(executor, orderId, payment);
    if ('unverified' in outcome) {
      checked.push({
        ...base,
        status: 'succeeded',
        gateway_reference: base.reference,
        failure_code: null,
        failure_message: null,
        details: { verified: false, reason: outcome.unverified },
      });
      continue;
    }
    const answer = outcome.answer;
    checked.push(
      answer.status === 'succeeded'
        ? {
            ...base,
            status: 'succeeded',
            reference: answer.reference,
            gateway_reference: answer.reference,
            failure_code: null,
            failure_message: null,
            details: { verified: true },
          }
        : {
            ...base,
            status: outcome.pending ? 'pending' : 'failed',
            gateway_reference: null,
            failure_code: answer.code,
            failure_message: answer.message,
            details: { verified: false },
          },
    );
  }
  return checked;
}

/** What the checked authorizations cover: only those the gateway did not deny or leave open. */
export const coveredMinor = (checked: CheckedAuthorization[]): number =>
  checked.filter((p) => p.status === 'succeeded').reduce((n, p) => n + p.amount_minor, 0);
