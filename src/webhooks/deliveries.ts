import { sql, type SQL } from 'drizzle-orm';
import { query, queryOne, toIso, type Executor, type Tx } from '../db/index.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { subscriptionWantsEvent } from './event-types.ts';
import type { DeliveryStatus, ReplayRequest } from './schemas.ts';
import { notFound } from './subscriptions.ts';

interface DeliveryRow {
  id: number;
  subscription_id: string;
  event_id: number;
  event_type: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

function presentDelivery(row: DeliveryRow) {
  return {
    id: String(row.id),
    subscription_id: row.subscription_id,
    event_id: String(row.event_id),
    event_type: row.event_type,
    status: row.status,
    attempts: row.attempts,
    /** When a pending delivery is tried next; null once it is settled. */
    next_attempt_at: row.status === 'pending' ? toIso(row.next_attempt_at) : null,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}
type WebhookDelivery = ReturnType<typeof presentDelivery>;

interface DeliveryFilter {
  status?: DeliveryStatus | undefined;
  eventId?: number | undefined;
  /** Newest first: the page after this delivery ID. */
  before?: number | undefined;
  limit: number;
}

/** A subscription's deliveries, newest first; undefined when there is no such subscription. */
export async function listDeliveries(
  executor: Executor,
  subscriptionId: string,
  filter: DeliveryFilter,
): Promise<WebhookDelivery[] | undefined> {
  const exists = await queryOne(executor, sql`select 1 from webhook_subscriptions where id = ${subscriptionId}`);
  if (!exists) return undefined;
  const conditions: SQL[] = [sql`d.subscription_id = ${subscriptionId}`];
  if (filter.status) conditions.push(sql`d.status = ${filter.status}`);
  if (filter.eventId !== undefined) conditions.push(sql`d.event_id = ${filter.eventId}`);
  if (filter.before !== undefined) conditions.push(sql`d.id < ${filter.before}`);
  const rows = await query<DeliveryRow>(
    executor,
    sql`select d.id, d.subscription_id, d.event_id, e.type as event_type, d.status, d.attempts, d.next_attempt_at,
               d.last_status_code, d.last_error, d.created_at, d.updated_at
        from webhook_deliveries d join event_history e on e.id = d.event_id
        where ${sql.join(conditions, sql` and `)}
        order by d.id desc limit ${filter.limit}`,
  );
  return rows.map(presentDelivery);
}

/** Events one replay request may enqueue; ask again from `next_from_event_id` for more. */
const REPLAY_LIMIT = 5_000;

interface ReplayOutcome {
  enqueued: number;
  last_event_id: string | null;
  has_more: boolean;
  next_from_event_id: string | null;
}

/**
 * Sends the chosen events to the subscription again: a new pending delivery for each event it
 * wants (its current types and channel), or an existing delivery reset to pending with its
 * attempts cleared. The dispatcher picks them up on its next tick.
 */
export async function replayEvents(
  tx: Tx,
  subscriptionId: string,
  request: ReplayRequest,
  limit = REPLAY_LIMIT,
): Promise<Result<ReplayOutcome>> {
  const subscription = await queryOne(tx, sql`select 1 from webhook_subscriptions where id = ${subscriptionId}`);
  if (!subscription) return fail(notFound(subscriptionId));
  const conditions: SQL[] = [subscriptionWantsEvent];
  if (request.from_event_id !== undefined) conditions.push(sql`e.id >= ${request.from_event_id}::bigint`);
  if (request.since !== undefined) conditions.push(sql`e.created_at >= ${request.since}::timestamptz`);
  if (request.event_ids !== undefined) {
    conditions.push(
      sql`e.id in (select jsonb_array_elements_text(${JSON.stringify(request.event_ids)}::jsonb)::bigint)`,
    );
  }
  const row = await queryOne<{ picked: number; enqueued: number; last_event_id: number | null }>(
    tx,
    sql`with picked as (
          select e.id from event_history e, webhook_subscriptions s
          where s.id = ${subscriptionId} and ${sql.join(conditions, sql` and `)}
          order by e.id limit ${limit + 1}
        ), enqueued as (
          insert into webhook_deliveries (subscription_id, event_id, status, next_attempt_at)
          select ${subscriptionId}, id, 'pending', now() from picked order by id limit ${limit}
          on conflict (subscription_id, event_id) do update
            set status = 'pending', attempts = 0, next_attempt_at = now(), last_status_code = null, last_error = null,
                updated_at = now()
          returning event_id
        )
        select (select count(*) from picked)::int as picked, count(*)::int as enqueued, max(event_id) as last_event_id
        from enqueued`,
  );
  const last = row?.last_event_id ?? null;
  const hasMore = (row?.picked ?? 0) > limit;
  return ok({
    enqueued: row?.enqueued ?? 0,
    last_event_id: last === null ? null : String(last),
    has_more: hasMore,
    next_from_event_id: hasMore && last !== null ? String(last + 1) : null,
  });
}
