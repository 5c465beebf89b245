import { sql } from 'drizzle-orm';
import { query, type Db } from '../../src/db/index.ts';
import { createNotifier, type Notifier } from '../../src/notifications/index.ts';
import { gapGraceMsFor } from '../../src/streaming/index.ts';
import { testEngine } from './db.ts';
import type { SmtpPeer } from './smtp-peer.ts';

export interface MessageRow {
  id: string;
  order_id: string;
  kind: string;
  channel: string;
  locale: string;
  recipient: string;
  subject: string;
  text: string;
  status: string;
  attempts: number;
  last_error: string | null;
  /** Seconds from the last attempt to the next. */
  wait_seconds: number;
}

/** A notifier sending through `peer` (and to `webhookUrl` for text and push messages). */
export function peerNotifier(
  db: Db,
  peer: SmtpPeer,
  options: { webhookUrl?: string; publicUrl?: string } = {},
): Notifier {
  return createNotifier(db, {
    settings: {
      smtpUrl: peer.url,
      from: 'Shop <orders@shop.example>',
      webhookUrl: options.webhookUrl,
      publicUrl: options.publicUrl,
    },
    gapGraceMs: gapGraceMsFor(testEngine()),
  });
}

export async function messagesOf(db: Db, orderId: string): Promise<MessageRow[]> {
  return query<MessageRow>(
    db,
    sql`select id, order_id, kind, channel, locale, recipient, subject, text, status, attempts, last_error,
               extract(epoch from next_attempt_at - updated_at)::float8 as wait_seconds
        from notification_messages where order_id = ${orderId} order by event_id, channel`,
  );
}

/** Makes every waiting message of the order due now, as if its wait had passed. */
export async function makeDue(db: Db, orderId: string): Promise<void> {
  await db.execute(sql`update notification_messages set next_attempt_at = now()
                       where order_id = ${orderId} and status in ('queued', 'failed')`);
}
