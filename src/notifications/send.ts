import { sql } from 'drizzle-orm';
import { query, type Db } from '../db/index.ts';
import { unsubscribeLink } from './enqueue.ts';
import { notificationKinds, type NotificationKind } from './kinds.ts';
import { sendWebhookMessage } from './send-webhook.ts';
import type { NotificationSettings } from './settings.ts';
import { sendEmail } from './smtp.ts';
import type { Channel } from './templates.ts';

/** The waits after the 1st … 5th failure; the 6th failure makes the message dead. */
const RETRY_SCHEDULE_MS: readonly number[] = [30_000, 2 * 60_000, 10 * 60_000, 60 * 60_000, 4 * 60 * 60_000];

export interface SendOptions {
  batchSize?: number;
  maxBatches?: number;
  /** How long a claimed message is left to its sender before another may try it. */
  leaseMs?: number;
  retryScheduleMs?: readonly number[];
  signal?: AbortSignal;
}

export interface SendResult {
  attempted: number;
  sent: number;
  /** Failed this time and scheduled again. */
  failed: number;
  /** Failed for the last time. */
  dead: number;
}

interface Claim {
  id: string;
  order_id: string;
  customer_email: string;
  kind: NotificationKind;
  channel: Channel;
  locale: string;
  recipient: string;
  subject: string;
  text: string;
  html: string | null;
  attempts: number;
  /** The claim's `next_attempt_at` as text: the compare-and-set token for the outcome. */
  lease: string;
}

/**
 * Step B of the notifier: claims due messages (`FOR UPDATE SKIP LOCKED`: processes never claim
 * the same one), counts the attempt and leases them, sends them outside any transaction, then
 * records each outcome if the claim still stands. A process that dies mid-send leaves the lease
 * to run out, and the message is tried again.
 */
export async function sendDueMessages(
  db: Db,
  settings: NotificationSettings,
  options: SendOptions = {},
): Promise<SendResult> {
  const batchSize = options.batchSize ?? 10;
  const total: SendResult = { attempted: 0, sent: 0, failed: 0, dead: 0 };
  for (let batch = 0; batch < (options.maxBatches ?? 10) && !options.signal?.aborted; batch++) {
    const claims = await claimDue(db, batchSize, options.leaseMs ?? 5 * 60_000);
    const errors = await Promise.all(claims.map((claim) => deliver(claim, settings)));
    for (const [i, claim] of claims.entries()) {
      const outcome = await recordOutcome(db, claim, errors[i] ?? null, options.retryScheduleMs ?? RETRY_SCHEDULE_MS);
      total.attempted++;
      total[outcome]++;
    }
    if (claims.length < batchSize) break;
  }
  return total;
}

async function claimDue(db: Db, limit: number, leaseMs: number): Promise<Claim[]> {
  return query<Claim>(
    db,
    sql`with due as (
          select id from notification_messages
          where status in ('queued', 'failed') and next_attempt_at <= now()
          order by next_attempt_at, id limit ${limit}
          for update skip locked
        )
        update notification_messages m
        set attempts = m.attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000}),
            updated_at = now()
        from due where m.id = due.id
        returning m.id, m.order_id, m.customer_email, m.kind, m.channel, m.locale, m.recipient, m.subject, m.text,
                  m.html, m.attempts, m.next_attempt_at::text as lease`,
  );
}

/** Sends one message on its channel: null when it went out, else why not. */
async function deliver(claim: Claim, settings: NotificationSettings): Promise<string | null> {
  try {
    if (claim.channel === 'email') {
      const link = notificationKinds[claim.kind].transactional ? null : unsubscribeLink(settings, claim.customer_email);
      await sendEmail(settings.smtpUrl, {
        from: settings.from,
        to: claim.recipient,
        parts: { subject: claim.subject, text: claim.text, html: claim.html },
        headers: {
          'X-Consign-Notification': claim.id,
          ...(link ? { 'List-Unsubscribe': `<${link}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}),
        },
      });
      return null;
    }
    if (!settings.webhookUrl) return 'no webhook is configured for text and push messages (CONSIGN_NOTIFY_WEBHOOK_URL)';
    const { id, channel, kind, locale, recipient, subject, text, order_id } = claim;
    await sendWebhookMessage(settings.webhookUrl, { id, channel, kind, locale, recipient, subject, text, order_id });
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function recordOutcome(
  db: Db,
  claim: Claim,
  error: string | null,
  schedule: readonly number[],
): Promise<'sent' | 'failed' | 'dead'> {
  const stillClaimed = sql`id = ${claim.id} and status in ('queued', 'failed') and next_attempt_at = ${claim.lease}::timestamptz`;
  if (error === null) {
    await db.execute(sql`
      update notification_messages set status = 'sent', sent_at = now(), last_error = null, updated_at = now()
      where ${stillClaimed}`);
    return 'sent';
  }
  const dead = claim.attempts > schedule.length;
  const waitSeconds = dead ? 0 : (schedule[claim.attempts - 1] ?? 0) / 1000;
  await db.execute(sql`
    update notification_messages
    set status = ${dead ? 'dead' : 'failed'}, next_attempt_at = now() + make_interval(secs => ${waitSeconds}),
        last_error = ${error.slice(0, 1000)}, updated_at = now()
    where ${stillClaimed}`);
  return dead ? 'dead' : 'failed';
}
