import { signedHeaders } from './signature.ts';

/** One request to the subscription's endpoint: `path` is appended to its URL, the body signed as any delivery's. */
export type RelayRequest = (method: string, path: string, body?: string) => Promise<{ status: number; text: string }>;

/** How a performed delivery went: failed ones are retried by the same schedule as any delivery. */
export type PerformOutcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

export type DeliveryPerformer = (payload: unknown, request: RelayRequest) => Promise<PerformOutcome>;

/** How one attempt at a delivery went. */
export type Outcome =
  | { kind: 'succeeded'; statusCode: number }
  | { kind: 'failed'; statusCode: number | null; error: string }
  | { kind: 'interrupted' };

interface PerformOptions {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  now?: (() => number) | undefined;
  userAgent?: string | undefined;
}

/**
 * A delivery its performer makes: each of its requests is signed like a delivery (the same
 * `webhook-id` for every attempt, a step number after it) and shares the delivery's timeout.
 */
export async function perform(
  claim: { url: string; event_id: number; payload: unknown },
  secret: string,
  performer: DeliveryPerformer,
  options: PerformOptions,
): Promise<Outcome> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  let step = 0;
  const request: RelayRequest = async (method, path, body) => {
    step++;
    const timestamp = Math.floor((options.now?.() ?? Date.now()) / 1000);
    const response = await fetch(`${claim.url.replace(/\/+$/, '')}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        'user-agent': options.userAgent ?? 'Consign-Webhooks',
        ...signedHeaders(secret, `evt_${claim.event_id}.${step}`, timestamp, body ?? ''),
      },
      body,
      redirect: 'manual',
      signal,
    });
    return { status: response.status, text: await response.text() };
  };
  try {
    const outcome = await performer(claim.payload, request);
    if (outcome.ok) return { kind: 'succeeded', statusCode: outcome.status };
    return { kind: 'failed', statusCode: outcome.status, error: outcome.error };
  } catch (error) {
    if (options.signal?.aborted) return { kind: 'interrupted' };
    if (timeout.aborted)
      return { kind: 'failed', statusCode: null, error: `no response within ${options.timeoutMs} ms` };
    return { kind: 'failed', statusCode: null, error: describeFetchError(error) };
  }
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const message = error instanceof Error ? error.message : String(error);
  return cause ? `${message}: ${cause.code ?? cause.message ?? 'unknown cause'}` : message;
}
