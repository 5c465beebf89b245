import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';
import {
  declined,
  succeeded,
  type AuthorizeRequest,
  type CaptureRequest,
  type GatewayOperation,
  type GatewayResult,
  type PaymentGateway,
  type RefundRequest,
  type VerifyRequest,
  type VoidRequest,
} from './gateway.ts';
import type { PaymentKind } from './ledger.ts';

/**
 * The built-in `test` gateway: deterministic, in-process, and strict like a real one. Its ledger
 * is the order's own payment records (`payments` + `payment_details`), so what it remembers
 * survives restarts and is shared by every server process. Callers hold the order's row lock
 * (every payments use case takes it first), which serialises operations on one order.
 *
 * It enforces what real gateways enforce:
 * - an idempotency key replays its first result; the same key with another request is declined
 *   with `idempotency_conflict`;
 * - captures and voids never exceed what is left of the authorization (partial captures are
 *   fine), refunds never exceed what is left of the capture, currencies must match.
 *
 * Declines on demand, like card test numbers:
 * - verify (an authorization sent with an order): a reference containing `auth_unknown` →
 *   `authorization_not_found`; any other reference is confirmed.
 * - authorize: payment method `4000000000000002` or an amount ending in .02 → `card_declined`;
 *   `4000000000009995` or an amount ending in .51 → `insufficient_funds`;
 *   `4000000000000069` → `expired_card`.
 * - capture, void, refund: by a token in the authorization's reference (see `REFERENCE_TOKENS`;
 *   the first token found decides), e.g. `auth_decline_42` → captures are `card_declined`.
 *   Amounts never trigger declines after authorization, so ordinary orders always capture.
 */
const TEST_PAYMENT_METHODS: Record<string, { code: string; message: string }> = {
  '4000000000000002': { code: 'card_declined', message: 'The card was declined.' },
  '4000000000009995': { code: 'insufficient_funds', message: 'The card has insufficient funds.' },
  '4000000000000069': { code: 'expired_card', message: 'The card has expired.' },
};

const AMOUNT_CENTS_DECLINES: Record<number, { code: string; message: string }> = {
  2: { code: 'card_declined', message: 'The card was declined (test amount ending in .02).' },
  51: { code: 'insufficient_funds', message: 'The card has insufficient funds (test amount ending in .51).' },
};

const REFERENCE_TOKENS: { token: string; operation: GatewayOperation; code: string; message: string }[] = [
  {
    token: 'auth_unknown',
    operation: 'verify',
    code: 'authorization_not_found',
    message: 'The gateway has no such authorization.',
  },
  { token: 'refund_decline', operation: 'refund', code: 'refund_declined', message: 'The issuer declined the refund.' },
  {
    token: 'void_decline',
    operation: 'void',
    code: 'void_declined',
    message: 'The authorization could not be released.',
  },
  {
    token: 'insufficient_funds',
    operation: 'capture',
    code: 'insufficient_funds',
    message: 'The card has insufficient funds.',
  },
  {
    token: 'expired',
    operation: 'capture',
    code: 'authorization_expired',
    message: 'The authorization has expired; ask the customer to pay again.',
  },
  { token: 'decline', operation: 'capture', code: 'card_declined', message: 'The card was declined.' },
];

const KIND_OF: Record<GatewayOperation, PaymentKind> = {
  authorize: 'authorization',
  verify: 'authorization',
  capture: 'capture',
  void: 'void',
  refund: 'refund',
};

function referenceDecline(reference: string, operation: GatewayOperation): GatewayResult | undefined {
  const lower = reference.toLowerCase();
  const hit = REFERENCE_TOKENS.find((t) => lower.includes(t.token));
  return hit && hit.operation === operation ? declined(hit.code, hit.message) : undefined;
}

interface Remembered {
  kind: PaymentKind;
  status: string;
  amount_minor: number;
  target: string | null;
  gateway_reference: string | null;
  failure_code: string | null;
  failure_message: string | null;
}

interface Target {
  id: string;
  currency: string;
  amount_minor: number;
  remaining_minor: number;
  authorization_reference: string;
}

export function createTestGateway(executor: Executor, name = 'test'): PaymentGateway {
  const reference = (operation: GatewayOperation, request: { orderReference: string; idempotencyKey: string }) =>
    `test_${operation}_${createHash('sha256').update(`${name}\n${request.orderReference}\n${request.idempotencyKey}`).digest('hex').slice(0, 24)}`;

  /** The first operation with this key; a replay must ask for exactly the same thing. */
  async function replay(
    operation: GatewayOperation,
    request: { orderReference: string; idempotencyKey: string; amountMinor: number },
    target: string | null,
  ) {
    const seen = await queryOne<Remembered>(
      executor,
      sql`select p.kind, p.status, p.amount_minor, coalesce(t.reference, t.id) as target, d.gateway_reference, d.failure_code, d.failure_message
          from payments p join payment_details d on d.payment_id = p.id left join payments t on t.id = p.parent_id
          where p.order_id = ${request.orderReference} and p.gateway = ${name} and p.idempotency_key = ${request.idempotencyKey}
          order by p.created_at, p.id limit 1`,
    );
    if (!seen) return undefined;
    if (
      seen.kind !== KIND_OF[operation] ||
      seen.amount_minor !== request.amountMinor ||
      (target !== null && seen.target !== target)
    ) {
      return declined(
        'idempotency_conflict',
        `Idempotency key ${request.idempotencyKey} was first used for a ${seen.kind} of ${seen.amount_minor}; use a new key for a new request.`,
      );
    }
    if (seen.status === 'succeeded' && seen.gateway_reference) return succeeded(seen.gateway_reference);
    return declined(
      seen.failure_code ?? 'processing_error',
      seen.failure_message ?? 'The first attempt with this key failed.',
    );
  }

  /** The authorization (or capture) the request draws on, with what is left of it. */
  async function target(
    kind: 'authorization' | 'capture',
    orderReference: string,
    ref: string,
  ): Promise<Target | undefined> {
    const drawn = kind === 'authorization' ? sql`('capture', 'void')` : sql`('refund')`;
    return queryOne<Target>(
      executor,
      sql`select t.id, t.currency, t.amount_minor,
                 (t.amount_minor - coalesce((select sum(c.amount_minor) from payments c
                   where c.order_id = t.order_id and c.parent_id = t.id and c.kind in ${drawn} and c.status = 'succeeded'), 0))::bigint as remaining_minor,
                 coalesce(a.reference, a.id) as authorization_reference
          from payments t left join payments a on a.id = coalesce(t.parent_id, t.id)
          where t.order_id = ${orderReference} and t.gateway = ${name} and t.kind = ${kind} and t.status = 'succeeded'
            and (t.reference = ${ref} or t.id = ${ref})
          order by t.created_at, t.id limit 1`,
    );
  }

  async function draw(
    operation: 'capture' | 'void' | 'refund',
    request: CaptureRequest | RefundRequest,
    ref: string,
  ): Promise<GatewayResult> {
    const replayed = await replay(operation, request, ref);
    if (replayed) return replayed;
    const found = await target(operation === 'refund' ? 'capture' : 'authorization', request.orderReference, ref);
    if (!found)
      return declined(
        'resource_missing',
        `No ${operation === 'refund' ? 'capture' : 'authorization'} ${ref} on order ${request.orderReference}.`,
      );
    if (found.currency !== request.currency)
      return declined('currency_mismatch', `${ref} is in ${found.currency}, not ${request.currency}.`);
    if (!Number.isSafeInteger(request.amountMinor) || request.amountMinor <= 0)
      return declined('invalid_amount', 'The amount must be a positive integer of minor units.');
    if (request.amountMinor > found.remaining_minor) {
      const code = operation === 'refund' ? 'amount_exceeds_capture' : 'amount_exceeds_authorization';
      return declined(code, `${request.amountMinor} is more than the ${found.remaining_minor} left on ${ref}.`);
    }
    return referenceDecline(found.authorization_reference, operation) ?? succeeded(reference(operation, request));
  }

  return {
    name,
    async authorize(request: AuthorizeRequest) {
      const replayed = await replay('authorize', request, null);
      if (replayed) return replayed;
      if (!Number.isSafeInteger(request.amountMinor) || request.amountMinor <= 0)
        return declined('invalid_amount', 'The amount must be a positive integer of minor units.');
      const byMethod = TEST_PAYMENT_METHODS[request.paymentMethod.replace(/[\s-]/g, '')];
      const byAmount = AMOUNT_CENTS_DECLINES[request.amountMinor % 100];
      const decline = byMethod ?? byAmount;
      return decline ? declined(decline.code, decline.message) : succeeded(reference('authorize', request));
    },
    async verify(request: VerifyRequest) {
      const reference = request.authorizationReference;
      if (!reference) return declined('authorization_not_found', 'The authorization names no reference.');
      return referenceDecline(reference, 'verify') ?? succeeded(reference);
    },
    capture: (request: CaptureRequest) => draw('capture', request, request.authorizationReference),
    void: (request: VoidRequest) => draw('void', request, request.authorizationReference),
    refund: (request: RefundRequest) => draw('refund', request, request.captureReference),
  };
}
