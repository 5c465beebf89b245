import { sql, type SQL } from 'drizzle-orm';
import { query, queryOne, toIso, type Executor } from '../db/index.ts';
import { decodeCursor, page } from '../http/pagination.ts';
import type { StoredLine } from './order-body.ts';
import type { ScheduleInput } from './schedule.ts';
import type { SubscriptionStatus } from './transitions.ts';

export interface SubscriptionRow {
  id: string;
  channel_id: string;
  status: SubscriptionStatus;
  customer: Record<string, unknown>;
  lines: StoredLine[];
  shipping_address: Record<string, unknown>;
  currency: string;
  shipping_minor: number;
  total_minor: number;
  schedule: ScheduleInput;
  starts_at: string | Date;
  payment_gateway: string;
  payment_method: string;
  catch_up: 'all' | 'latest_only';
  max_attempts: number;
  retry_backoff_seconds: number;
  on_failure: 'continue' | 'pause';
  next_period: number;
  next_period_at: string | Date | null;
  next_attempt_at: string | Date | null;
  attempts: number;
  created_at: string | Date;
  updated_at: string | Date;
}

/** One subscription; `lock` takes its row lock (`skip` gives up at once when another holds it). */
export async function loadSubscription(
  executor: Executor,
  id: string,
  lock: 'none' | 'wait' | 'skip' = 'none',
): Promise<SubscriptionRow | undefined> {
  const suffix = lock === 'none' ? sql`` : lock === 'wait' ? sql`for update` : sql`for update skip locked`;
  return queryOne<SubscriptionRow>(executor, sql`select * from subscriptions where id = ${id} ${suffix}`);
}

function presentSubscription(row: SubscriptionRow) {
  const money = (amount: number) => ({ amount, currency: row.currency });
  return {
    id: row.id,
    channel_id: row.channel_id,
    status: row.status,
    customer: row.customer,
    lines: row.lines.map((l) => ({
      line_id: l.line_id,
      sku: l.sku,
      name: l.name ?? null,
      quantity: l.quantity,
      unit_price: money(l.unit_price_minor),
    })),
    shipping_address: row.shipping_address,
    shipping: money(row.shipping_minor),
    total: money(row.total_minor),
    schedule: row.schedule,
    starts_at: toIso(row.starts_at),
    payment: { gateway: row.payment_gateway, payment_method: row.payment_method },
    catch_up: row.catch_up,
    retry: { max_attempts: row.max_attempts, backoff_seconds: row.retry_backoff_seconds },
    on_failure: row.on_failure,
    next_period:
      row.next_period_at === null || ['cancelled', 'completed'].includes(row.status)
        ? null
        : {
            period: row.next_period,
            scheduled_for: toIso(row.next_period_at),
            attempts: row.attempts,
            next_attempt_at: row.next_attempt_at === null ? null : toIso(row.next_attempt_at),
          },
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}

const HISTORY_LIMIT = 500;

/** The subscription with its last periods and attempts (newest 500 of each, oldest first). */
export async function getSubscription(executor: Executor, id: string) {
  const row = await loadSubscription(executor, id);
  if (!row) return undefined;
  const periods = await query<{
    period: number;
    scheduled_for: string;
    status: string;
    order_id: string | null;
    attempts: number;
    reason: string | null;
  }>(
    executor,
    sql`select * from (select period, scheduled_for, status, order_id, attempts, reason from subscription_periods
        where subscription_id = ${id} order by period desc limit ${HISTORY_LIMIT}) p order by period`,
  );
  const attempts = await query<{
    period: number;
    attempt: number;
    outcome: string;
    code: string | null;
    detail: string | null;
    order_id: string | null;
    attempted_at: string;
  }>(
    executor,
    sql`select * from (select id, period, attempt, outcome, code, detail, order_id, attempted_at from subscription_attempts
        where subscription_id = ${id} order by id desc limit ${HISTORY_LIMIT}) a order by id`,
  );
  return {
    ...presentSubscription(row),
    periods: periods.map((p) => ({ ...p, scheduled_for: toIso(p.scheduled_for) })),
    attempts: attempts.map((a) => ({
      period: a.period,
      attempt: a.attempt,
      outcome: a.outcome,
      code: a.code,
      detail: a.detail,
      order_id: a.order_id,
      attempted_at: toIso(a.attempted_at),
    })),
  };
}

interface SubscriptionFilter {
  limit: number;
  cursor?: string | undefined;
  statuses?: string[] | undefined;
  channelId?: string | undefined;
  email?: string | undefined;
}

/** Newest first, by ID (IDs are time-ordered). */
export async function listSubscriptions(executor: Executor, filter: SubscriptionFilter) {
  const after = decodeCursor<string>(filter.cursor, 'string');
  const conditions: SQL[] = [sql`true`];
  if (after !== undefined) conditions.push(sql`id < ${after}`);
  if (filter.statuses?.length)
    conditions.push(sql`status in (select jsonb_array_elements_text(${JSON.stringify(filter.statuses)}::jsonb))`);
  if (filter.channelId) conditions.push(sql`channel_id = ${filter.channelId}`);
  if (filter.email) conditions.push(sql`customer_email = ${filter.email.toLowerCase()}`);
  const rows = await query<SubscriptionRow>(
    executor,
    sql`select * from subscriptions where ${sql.join(conditions, sql` and `)} order by id desc limit ${filter.limit + 1}`,
  );
  const listed = page(rows, filter.limit, (r) => r.id);
  return { data: listed.data.map(presentSubscription), next_cursor: listed.next_cursor };
}
