import { sql, type SQL } from 'drizzle-orm';
import { query, queryOne, toIso, type Executor } from '../db/index.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { problem } from '../shared/problem.ts';

export const messageStatuses = ['queued', 'sent', 'failed', 'dead'] as const;
type MessageStatus = (typeof messageStatuses)[number];

interface MessageRow {
  id: string;
  order_id: string;
  customer_email: string;
  kind: string;
  channel: string;
  locale: string;
  recipient: string;
  subject: string;
  text: string;
  html: string | null;
  status: MessageStatus;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  event_id: number;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
}

const columns = sql`id, order_id, customer_email, kind, channel, locale, recipient, subject, text, html, status,
  attempts, next_attempt_at, last_error, event_id, sent_at, created_at, updated_at`;

function presentMessage(row: MessageRow) {
  return {
    ...row,
    event_id: String(row.event_id),
    /** When a queued or failed message is tried next; null once it is sent or dead. */
    next_attempt_at: row.status === 'queued' || row.status === 'failed' ? toIso(row.next_attempt_at) : null,
    sent_at: toIso(row.sent_at),
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}
type NotificationMessage = ReturnType<typeof presentMessage>;

interface MessageFilter {
  orderId?: string | undefined;
  status?: MessageStatus | undefined;
  customerEmail?: string | undefined;
  /** Newest first: the page after this message ID. */
  before?: string | undefined;
  limit: number;
}

/** Messages, newest first (IDs are time-ordered). */
export async function listMessages(executor: Executor, filter: MessageFilter): Promise<NotificationMessage[]> {
  const conditions: SQL[] = [sql`true`];
  if (filter.orderId) conditions.push(sql`order_id = ${filter.orderId}`);
  if (filter.status) conditions.push(sql`status = ${filter.status}`);
  if (filter.customerEmail) conditions.push(sql`customer_email = ${filter.customerEmail.toLowerCase()}`);
  if (filter.before) conditions.push(sql`id < ${filter.before}`);
  const rows = await query<MessageRow>(
    executor,
    sql`select ${columns} from notification_messages where ${sql.join(conditions, sql` and `)}
        order by id desc limit ${filter.limit}`,
  );
  return rows.map(presentMessage);
}

export async function getMessage(executor: Executor, id: string): Promise<NotificationMessage | undefined> {
  const row = await queryOne<MessageRow>(executor, sql`select ${columns} from notification_messages where id = ${id}`);
  return row ? presentMessage(row) : undefined;
}

/**
 * Sends a sent or dead message again, as it was rendered: it is queued with its attempts cleared
 * and goes out on the notifier's next run. A queued or failed one is still on its way: 409.
 */
export async function resendMessage(executor: Executor, id: string): Promise<Result<NotificationMessage>> {
  const row = await queryOne<MessageRow>(
    executor,
    sql`update notification_messages
        set status = 'queued', attempts = 0, next_attempt_at = now(), last_error = null, updated_at = now()
        where id = ${id} and status in ('sent', 'dead')
        returning ${columns}`,
  );
  if (row) return ok(presentMessage(row));
  const current = await getMessage(executor, id);
  if (!current) return fail(problem('not_found', `No notification ${id}.`));
  return fail(
    problem(
      'notification_not_resendable',
      `Notification ${id} is ${current.status}: it is still on its way. Only a sent or dead notification can be sent again.`,
      { notification_status: current.status },
    ),
  );
}

/**
 * Deletes sent messages whose `sent_at` lies more than `retentionDays` back, at most `batchSize`
 * per statement and `maxBatches` statements per run, so a first run over a long history does not
 * hold the table for long; the rest goes on the next runs. Queued, failed and dead messages stay.
 */
export async function pruneSentMessages(
  executor: Executor,
  options: { retentionDays: number; batchSize?: number; maxBatches?: number },
): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  let pruned = 0;
  for (let batch = 0; batch < (options.maxBatches ?? 4); batch++) {
    const deleted = await query<{ id: string }>(
      executor,
      sql`delete from notification_messages where id in (
            select id from notification_messages
            where status = 'sent' and sent_at < now() - make_interval(days => ${options.retentionDays}::int)
            order by id limit ${batchSize})
          returning id`,
    );
    pruned += deleted.length;
    if (deleted.length < batchSize) break;
  }
  return pruned;
}
