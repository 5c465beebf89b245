import { sql } from 'drizzle-orm';
import { query, toIso, type Db } from '../db/index.ts';
import { DEFAULT_RETRY_SCHEDULE_MS, defaultMaxAttempts, retryDelayMs } from './retry.ts';
import { postJson } from './http-post.ts';
import { perform, type DeliveryPerformer, type Outcome } from './perform.ts';
import { signedHeaders } from './signature.ts';
import { targetProblem } from './target.ts';
import { secretContext } from './subscriptions.ts';
import { countWebhookAttempt } from '../telemetry/index.ts';
import { openSecret } from '../secrets/index.ts';

export interface SendOptions {
  /** Deliveries claimed and POSTed together. */
  batchSize?: number;
  /** Batches per call at most. */
  maxBatches?: number;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  /** Waits after the 1st, 2nd, … failure (the last repeats); see retry.ts. */
  retryScheduleMs?: readonly number[];
  /** Attempts before a delivery is dead; default one more than the schedule's steps. */
  maxAttempts?: number;
  /** The clock for `webhook-timestamp` (ms). */
  now?: () => number;
  /** Aborts requests in flight (shutdown); their deliveries are released, not failed. */
  signal?: AbortSignal;
  userAgent?: string;
  /**
   * Connector messages delivered by their owner rather than as one POST, keyed by the message's
   * `kind` (a platform edit needs several calls, each reading the last one's answer).
   */
  performers?: Readonly<Record<string, DeliveryPerformer>>;
}

export interface SendResult {
  attempted: number;
  succeeded: number;
  /** Failed this time and scheduled again. */
  retrying: number;
  /** Failed for the last time. */
  dead: number;
  /** Stopped at `maxBatches` with its last claim full: more deliveries may be due now. */
  backlog: boolean;
}

interface Claim {
  id: number;
  event_id: number;
  attempts: number;
  /** The claim's `next_attempt_at`, as text: the compare-and-set token for the outcome. */
  lease: string;
  subscription_id: string;
  url: string;
  /** As stored: sealed (see src/secrets). */
  secret: string;
  type: string;
  payload: unknown;
  created_at: string;
}

const LEASE_MARGIN_MS = 60_000;

/** Claims POSTed at once at most: while one batch's requests are out, the next is claimed. */
const BATCHES_IN_FLIGHT = 2;

type Settled = 'succeeded' | 'retrying' | 'dead' | 'released';

/**
 * Step B of the dispatcher: claims due pending deliveries (`FOR UPDATE SKIP LOCKED`, so
 * processes never claim the same one), counts the attempt and leases them by pushing
 * `next_attempt_at` past the request timeout, then POSTs them outside any transaction. A
 * process that dies mid-request leaves the lease to run out and the delivery is tried again.
 * Up to BATCHES_IN_FLIGHT batches are out at once: the next claim, and the last batch's
 * outcomes being recorded, overlap the requests of the one in between.
 */
export async function sendDueDeliveries(db: Db, options: SendOptions = {}): Promise<SendResult> {
  const batchSize = options.batchSize ?? 200;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const total: SendResult = { attempted: 0, succeeded: 0, retrying: 0, dead: 0, backlog: false };
  const tally = (settled: Settled[]) => {
    for (const outcome of settled) {
      if (outcome === 'released') continue;
      countWebhookAttempt(outcome);
      total.attempted++;
      total[outcome]++;
    }
  };
  const inFlight: Promise<Settled[]>[] = [];
  try {
    for (let batch = 0; batch < (options.maxBatches ?? 10) && !options.signal?.aborted; batch++) {
      const claims = await claimDue(db, batchSize, timeoutMs + LEASE_MARGIN_MS);
      total.backlog = claims.length === batchSize;
      if (claims.length > 0) inFlight.push(sendBatch(db, claims, { ...options, timeoutMs }));
      if (inFlight.length >= BATCHES_IN_FLIGHT) tally(await inFlight.shift()!);
      if (claims.length < batchSize) break;
    }
    while (inFlight.length > 0) tally(await inFlight.shift()!);
  } finally {
    // A failed claim or record must not leave the other batches' promises unobserved.
    await Promise.allSettled(inFlight);
  }
  return total;
}

/** POSTs one claimed batch together, then records its successes in one statement and each failure on its own. */
async function sendBatch(db: Db, claims: Claim[], options: SendOptions & { timeoutMs: number }): Promise<Settled[]> {
  const perBatch = batchMemo();
  const outcomes = await Promise.all(claims.map((claim) => post(claim, perBatch, options)));
  const delivered = claims.flatMap((claim, i) => {
    const outcome = outcomes[i]!;
    return outcome.kind === 'succeeded' ? [{ claim, statusCode: outcome.statusCode }] : [];
  });
  await recordSucceeded(db, delivered);
  const settled: Settled[] = [];
  for (const [i, claim] of claims.entries()) {
    const outcome = outcomes[i]!;
    settled.push(outcome.kind === 'succeeded' ? 'succeeded' : await recordOutcome(db, claim, outcome, options));
  }
  return settled;
}

async function claimDue(db: Db, limit: number, leaseMs: number): Promise<Claim[]> {
  return query<Claim>(
    db,
    sql`with due as (
          select d.id from webhook_deliveries d join webhook_subscriptions s on s.id = d.subscription_id
          where d.status = 'pending' and d.next_attempt_at <= now() and s.active
          order by d.next_attempt_at, d.id
          limit ${limit}
          for update of d skip locked
        )
        update webhook_deliveries d
        set attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000}), updated_at = now()
        from due, webhook_subscriptions s, event_history e
        where d.id = due.id and s.id = d.subscription_id and e.id = d.event_id
        returning d.id, d.event_id, d.attempts, d.next_attempt_at::text as lease, s.id as subscription_id, s.url, s.secret,
                  e.type, e.payload, e.created_at`,
  );
}

/** The Standard Webhooks body: `id` is the same for every attempt and every subscription. */
function deliveryBody(claim: Pick<Claim, 'event_id' | 'type' | 'payload' | 'created_at'>): string {
  // A connector's outbound message is already the platform's JSON text (see src/connectors).
  const raw = (claim.payload as { body_json?: unknown } | null)?.body_json;
  if (claim.type === 'connector.outbound' && typeof raw === 'string') return raw;
  return JSON.stringify({
    id: `evt_${claim.event_id}`,
    type: claim.type,
    timestamp: toIso(claim.created_at),
    data: claim.payload,
  });
}

/** The connector performer a delivery is for, if any (see `SendOptions.performers`). */
function performerOf(claim: Claim, options: SendOptions): DeliveryPerformer | undefined {
  const kind = (claim.payload as { kind?: unknown } | null)?.kind;
  if (claim.type !== 'connector.outbound' || typeof kind !== 'string') return undefined;
  return options.performers?.[kind];
}

/** What a batch works out once per URL or subscription rather than once per delivery. */
interface BatchMemo {
  /** The target check of a URL (see target.ts). */
  target: (url: string) => ReturnType<typeof targetProblem>;
  /** A subscription's signing secret, opened. */
  secret: (claim: Claim) => string;
}

function batchMemo(): BatchMemo {
  const targets = new Map<string, ReturnType<typeof targetProblem>>();
  const secrets = new Map<string, string>();
  return {
    target: (url) => {
      if (!targets.has(url)) targets.set(url, targetProblem(url));
      return targets.get(url)!;
    },
    secret: (claim) => {
      if (!secrets.has(claim.subscription_id))
        secrets.set(claim.subscription_id, openSecret(claim.secret, secretContext(claim.subscription_id)));
      return secrets.get(claim.subscription_id)!;
    },
  };
}

async function post(claim: Claim, perBatch: BatchMemo, options: SendOptions & { timeoutMs: number }): Promise<Outcome> {
  const refused = await perBatch.target(claim.url);
  if (refused) return { kind: 'failed', statusCode: null, error: `target not allowed: ${refused.detail}` };
  const performer = performerOf(claim, options);
  if (performer) return perform(claim, perBatch.secret(claim), performer, options);
  const body = deliveryBody(claim);
  const timestamp = Math.floor((options.now?.() ?? Date.now()) / 1000);
  const secret = perBatch.secret(claim);
  const sent = await postJson(new URL(claim.url), {
    headers: {
      'content-type': 'application/json',
      'user-agent': options.userAgent ?? 'Consign-Webhooks',
      ...signedHeaders(secret, `evt_${claim.event_id}`, timestamp, body),
    },
    body,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  });
  switch (sent.kind) {
    case 'interrupted':
      return sent;
    case 'timed out':
      return { kind: 'failed', statusCode: null, error: `no response within ${options.timeoutMs} ms` };
    case 'failed':
      return { kind: 'failed', statusCode: null, error: sent.error };
    case 'answered':
      if (sent.status >= 200 && sent.status < 300) return { kind: 'succeeded', statusCode: sent.status };
      return {
        kind: 'failed',
        statusCode: sent.status,
        error: `HTTP ${sent.status}${sent.snippet ? `: ${sent.snippet}` : ''}`,
      };
  }
}

/**
 * Marks a batch's delivered claims succeeded in one statement, each only if its claim still
 * stands (compare-and-set on the lease, as `recordOutcome`).
 */
async function recordSucceeded(db: Db, delivered: { claim: Claim; statusCode: number }[]): Promise<void> {
  if (delivered.length === 0) return;
  const ids = delivered.map((d) => d.claim.id);
  const leases = delivered.map((d) => d.claim.lease);
  const codes = delivered.map((d) => d.statusCode);
  await db.execute(sql`
    update webhook_deliveries d
    set status = 'succeeded', last_status_code = v.code, last_error = null, updated_at = now()
    from (select unnest(${sql.param(ids)}::bigint[]) as id, unnest(${sql.param(leases)}::timestamptz[]) as lease,
                 unnest(${sql.param(codes)}::int[]) as code) v
    where d.id = v.id and d.status = 'pending' and d.next_attempt_at = v.lease`);
}

/**
 * Writes a failed or interrupted outcome if the claim still stands (compare-and-set on the
 * lease): a replay that reset the delivery meanwhile wins. Returns how the delivery was left.
 */
async function recordOutcome(db: Db, claim: Claim, outcome: Outcome, options: SendOptions): Promise<Settled> {
  const stillClaimed = sql`id = ${claim.id} and status = 'pending' and next_attempt_at = ${claim.lease}::timestamptz`;
  if (outcome.kind === 'interrupted') {
    await db.execute(sql`
      update webhook_deliveries set attempts = attempts - 1, next_attempt_at = now(), updated_at = now() where ${stillClaimed}`);
    return 'released';
  }
  if (outcome.kind === 'succeeded') {
    await recordSucceeded(db, [{ claim, statusCode: outcome.statusCode }]);
    return 'succeeded';
  }
  const schedule = options.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS;
  const dead = claim.attempts >= (options.maxAttempts ?? defaultMaxAttempts(schedule));
  const delaySeconds = dead ? 0 : retryDelayMs(claim.attempts, schedule) / 1000;
  await db.execute(sql`
    update webhook_deliveries
    set status = ${dead ? 'dead' : 'pending'}, next_attempt_at = now() + make_interval(secs => ${delaySeconds}),
        last_status_code = ${outcome.statusCode}, last_error = ${outcome.error.slice(0, 1000)}, updated_at = now()
    where ${stillClaimed}`);
  return dead ? 'dead' : 'retrying';
}
