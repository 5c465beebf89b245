import type { FastifyInstance } from 'fastify';
import { problem, ProblemError } from '../shared/problem.ts';

export interface RateLimit {
  /** Requests per second a key may make on average, per process; 0 turns the limit off. */
  perSecond: number;
  /** How many requests a key may make at once before the average applies. */
  burst: number;
}

const MAX_BUCKETS = 10_000;

/**
 * A token bucket per API key: `burst` tokens, refilled at `perSecond`; each request takes one.
 * Returns 0 when the request may go on, or the whole seconds until a token is there.
 */
export function createTokenBuckets(limit: RateLimit, now: () => number = Date.now) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return function take(key: string): number {
    const at = now();
    const bucket = buckets.get(key) ?? { tokens: limit.burst, at };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((at - bucket.at) / 1000) * limit.perSecond);
    bucket.at = at;
    if (!buckets.has(key)) {
      if (buckets.size >= MAX_BUCKETS) buckets.clear(); // every key starts full again: never stricter
      buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
  };
}

/**
 * Limits each API key's requests per process (after authentication; public routes and refused
 * keys are not counted). Beyond the limit: 429 `rate_limited` with `Retry-After` in seconds.
 */
export function registerRateLimit(app: FastifyInstance, limit: RateLimit): void {
  if (limit.perSecond <= 0) return;
  const take = createTokenBuckets(limit);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.principal) return;
    const retryAfterSeconds = take(request.principal.keyId);
    if (retryAfterSeconds === 0) return;
    reply.header('retry-after', String(retryAfterSeconds));
    throw new ProblemError(
      problem(
        'rate_limited',
        `This API key made more than ${limit.perSecond} requests per second (bursts up to ${limit.burst}). Wait for Retry-After (${retryAfterSeconds} s) and slow down; the limit is set by CONSIGN_RATE_LIMIT_PER_SECOND and CONSIGN_RATE_LIMIT_BURST.`,
        { retry_after_seconds: retryAfterSeconds },
      ),
    );
  });
}
