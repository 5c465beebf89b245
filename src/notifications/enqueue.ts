import { sql } from 'drizzle-orm';
import { inTransaction, query, type Tx, type Db } from '../db/index.ts';
import { ok } from '../shared/result.ts';
import { newId } from '../shared/ids.ts';
import { advanceCursor, readSettledIds, type OutboxFollower } from '../streaming/index.ts';
import { kindForEvent, notificationKinds, notifyingEventTypes, type NotificationKind } from './kinds.ts';
import { readPreferences, unsubscribeToken } from './preferences.ts';
import { renderParts } from './render.ts';
import { effectiveTemplate, type Channel } from './templates.ts';
import { buildView, localeFor, readOrderFacts, type OrderFacts } from './view.ts';
import type { NotificationSettings } from './settings.ts';

export const NOTIFICATIONS_FOLLOWER = 'notifications';

interface EnqueueOptions {
  batchSize?: number;
  maxBatches?: number;
  signal?: AbortSignal;
}

export interface EnqueueResult {
  /** Outbox events the cursor moved past. */
  events: number;
  /** Messages queued for them. */
  messages: number;
}

interface NotifyingEvent {
  id: number;
  type: string;
  subject_id: string;
  payload: Record<string, unknown>;
}

/**
 * Step A of the notifier: follows the outbox after the `notifications` cursor and queues the
 * messages its events announce to customers, rendered now. The cursor is locked and advanced in
 * the batch's transaction, and (event, kind, channel) is unique, so no event is announced twice.
 * Without settings (no SMTP configured) the cursor moves on and nothing is queued: switching
 * notifications on later does not mail the past.
 */
export async function enqueueMessages(
  db: Db,
  follower: OutboxFollower,
  settings: NotificationSettings | undefined,
  options: EnqueueOptions = {},
): Promise<EnqueueResult> {
  const batchSize = options.batchSize ?? 200;
  const total: EnqueueResult = { events: 0, messages: 0 };
  for (let batch = 0; batch < (options.maxBatches ?? 10) && !options.signal?.aborted; batch++) {
    const result = await inTransaction(db, async (tx) => {
      const read = await readSettledIds(tx, follower, batchSize);
      const last = read?.ids.at(-1);
      if (!read || last === undefined) return ok({ events: 0, messages: 0 });
      let messages = 0;
      if (settings) {
        for (const event of await notifyingEvents(tx, read.cursor, last))
          messages += await queueForEvent(tx, event, settings);
      }
      await advanceCursor(tx, follower.name, last);
      return ok({ events: read.ids.length, messages });
    });
    if (!result.ok) throw new Error(`queueing notifications failed: ${result.problem.detail}`);
    total.events += result.value.events;
    total.messages += result.value.messages;
    if (result.value.events < batchSize) break;
  }
  return total;
}

async function notifyingEvents(tx: Tx, after: number, last: number): Promise<NotifyingEvent[]> {
  const types = JSON.stringify(notifyingEventTypes);
  return query<NotifyingEvent>(
    tx,
    sql`select id, type, subject_id, payload from events
        where id > ${after} and id <= ${last} and subject_type = 'order'
          and type in (select jsonb_array_elements_text(${types}::jsonb))
        order by id`,
  );
}

async function queueForEvent(tx: Tx, event: NotifyingEvent, settings: NotificationSettings): Promise<number> {
  const kind = kindForEvent(event.type, event.payload);
  if (!kind) return 0;
  const order = await readOrderFacts(tx, event.subject_id);
  const email = order?.customer_email;
  if (!order || !email) return 0;
  const messages = await renderMessages(tx, { ...order, customer_email: email }, kind, event.payload, settings);
  let queued = 0;
  for (const message of messages) {
    const inserted = await query(
      tx,
      sql`insert into notification_messages
            (id, order_id, customer_email, kind, channel, locale, recipient, subject, text, html, status, event_id)
          values (${newId('ntf')}, ${order.id}, ${email}, ${kind}, ${message.channel}, ${message.locale},
                  ${message.recipient}, ${message.subject}, ${message.text}, ${message.html}, 'queued', ${event.id})
          on conflict (event_id, kind, channel) do nothing
          returning id`,
    );
    queued += inserted.length;
  }
  return queued;
}

interface RenderedMessage {
  channel: Channel;
  locale: string;
  recipient: string;
  subject: string;
  text: string;
  html: string | null;
}

/**
 * The messages one event of an order makes, on every channel the customer is reached by: e-mail,
 * and text messages and push when a webhook is configured and the customer wants them. None
 * when the kind is not transactional and the customer opted out.
 */
async function renderMessages(
  tx: Tx,
  order: OrderFacts & { customer_email: string },
  kind: NotificationKind,
  payload: Record<string, unknown>,
  settings: NotificationSettings,
): Promise<RenderedMessage[]> {
  const preferences = await readPreferences(tx, order.customer_email);
  const transactional = notificationKinds[kind].transactional;
  if (!transactional && preferences.opted_out) return [];
  const locale = localeFor(preferences.locale, order.country);
  const unsubscribeUrl = transactional ? null : unsubscribeLink(settings, order.customer_email);
  const view = await buildView(tx, order, kind, payload, locale, unsubscribeUrl);
  const recipients: [Channel, string | undefined][] = [['email', order.customer_email]];
  if (settings.webhookUrl) {
    if (preferences.sms) recipients.push(['sms', order.customer.phone]);
    if (preferences.push) recipients.push(['push', order.customer.id]);
  }
  const messages: RenderedMessage[] = [];
  for (const [channel, recipient] of recipients) {
    if (!recipient) continue;
    const parts = renderParts(await effectiveTemplate(tx, kind, locale, channel), { ...view });
    messages.push({ channel, locale, recipient, ...parts });
  }
  return messages;
}

/** The customer's unsubscribe link, or null when Consign does not know its public URL. */
export function unsubscribeLink(settings: Pick<NotificationSettings, 'publicUrl'>, email: string): string | null {
  return settings.publicUrl ? `${settings.publicUrl}/v1/unsubscribe?token=${unsubscribeToken(email)}` : null;
}
