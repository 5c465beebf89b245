import type { Executor } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import type { GatewayResult, PaymentGateway } from './gateway.ts';
import { paymentByKey, recordPayment, type Drawable, type PaymentKind, type PaymentRow } from './ledger.ts';
import { gatewayFor } from './registry.ts';

interface DrawOperation {
  orderId: string;
  kind: Extract<PaymentKind, 'capture' | 'void' | 'refund'>;
  /** The authorization (capture, void) or capture (refund) drawn on. */
  parent: Drawable;
  amountMinor: number;
  idempotencyKey: string;
  shipmentId?: string | undefined;
  returnId?: string | undefined;
  details?: Record<string, unknown> | undefined;
}

function call(gateway: PaymentGateway, op: DrawOperation): Promise<GatewayResult> {
  const base = {
    orderReference: op.orderId,
    amountMinor: op.amountMinor,
    currency: op.parent.currency,
    idempotencyKey: op.idempotencyKey,
  };
  if (op.kind === 'refund') return gateway.refund({ ...base, captureReference: op.parent.reference });
  if (op.kind === 'void') return gateway.void({ ...base, authorizationReference: op.parent.reference });
  return gateway.capture({ ...base, authorizationReference: op.parent.reference });
}

/** A PostgreSQL error (SQLSTATE on the error or, through drizzle, on its cause). */
function fromDatabase(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

/**
 * Runs one capture, void or refund through the parent's gateway and records the outcome. Our own
 * record is checked first: a key already used on this order replays that record (same request)
 * or is refused (another request). Without a registered gateway the record is `pending`; a
 * gateway that throws (a timeout: the outcome is unknown) also leaves it `pending`, to be
 * settled later with the same idempotency key.
 */
export async function drawOn(
  executor: Executor,
  op: DrawOperation,
): Promise<Result<{ payment: PaymentRow; replayed: boolean }>> {
  const seen = await paymentByKey(executor, op.orderId, op.idempotencyKey);
  if (seen) {
    if (seen.kind === op.kind && seen.parent_id === op.parent.id && seen.amount_minor === op.amountMinor)
      return ok({ payment: seen, replayed: true });
    return fail(
      problem(
        'idempotency_conflict',
        `Idempotency key ${op.idempotencyKey} was already used for a ${seen.kind} of ${seen.amount_minor} ${seen.currency} (${seen.id}).`,
      ),
    );
  }
  const gateway = gatewayFor(op.parent.gateway, executor);
  let outcome: GatewayResult | { status: 'pending'; code: string; message: string };
  if (!gateway) {
    outcome = {
      status: 'pending',
      code: 'gateway_not_configured',
      message: `No payment gateway "${op.parent.gateway}" is configured on this server; the ${op.kind} waits until one is registered and settles it.`,
    };
  } else {
    try {
      outcome = await call(gateway, op);
    } catch (error) {
      if (fromDatabase(error)) throw error; // the transaction is broken (or to be retried): not the gateway's answer
      outcome = {
        status: 'pending',
        code: 'gateway_error',
        message: `Gateway ${gateway.name} did not answer: ${(error as Error).message}`,
      };
    }
  }
  const payment = await recordPayment(executor, {
    orderId: op.orderId,
    kind: op.kind,
    status: outcome.status === 'declined' ? 'failed' : outcome.status,
    amountMinor: op.amountMinor,
    currency: op.parent.currency,
    gateway: op.parent.gateway,
    parentId: op.parent.id,
    idempotencyKey: op.idempotencyKey,
    gatewayReference: outcome.status === 'succeeded' ? outcome.reference : null,
    failure: outcome.status === 'succeeded' ? null : { code: outcome.code, message: outcome.message },
    shipmentId: op.shipmentId,
    returnId: op.returnId,
    details: op.details,
  });
  return ok({ payment, replayed: false });
}

/**
 * Splits `amountMinor` over records in the given order, each up to what is left of it. What
 * they cannot cover is the shortfall. Pure.
 */
export function planDraws<T extends { remaining_minor: number }>(
  amountMinor: number,
  sources: T[],
): { draws: { source: T; amountMinor: number }[]; shortfallMinor: number } {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) throw new Error(`cannot draw ${amountMinor}`);
  const draws: { source: T; amountMinor: number }[] = [];
  let left = amountMinor;
  for (const source of sources) {
    if (left === 0) break;
    const take = Math.min(left, Math.max(0, source.remaining_minor));
    if (take > 0) draws.push({ source, amountMinor: take });
    left -= take;
  }
  return { draws, shortfallMinor: left };
}
