/**
 * A notification asked for by name (an automation's `send_notification`), rather than announced
 * by the event it is about. It is an `order.notification_requested` event in the caller's
 * transaction: the notifier follows it like every other notifying event, so the message is
 * queued once, rendered with the order's facts, and suppressed for a customer who opted out of
 * a kind that is not transactional.
 */
import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { kindForEvent, notificationKinds, notifyingEventTypes, type NotificationKind } from './kinds.ts';

/** The templates a notification may be asked for by: one per kind. */
export const notificationTemplateNames: readonly string[] = Object.keys(notificationKinds);

const isNotificationKind = (name: string): name is NotificationKind => Object.hasOwn(notificationKinds, name);

/** The payload of the order's latest event that announced this kind (its carrier, return, amount…), or none. */
export async function latestPayloadOfKind(
  executor: Executor,
  orderId: string,
  kind: NotificationKind,
): Promise<Record<string, unknown> | undefined> {
  const events = await query<{ type: string; payload: Record<string, unknown> }>(
    executor,
    sql`select type, payload from event_history
        where subject_id = ${orderId} and subject_type = 'order'
          and type in (select jsonb_array_elements_text(${JSON.stringify(notifyingEventTypes)}::jsonb))
        order by id desc`,
  );
  return events.find((event) => kindForEvent(event.type, event.payload) === kind)?.payload;
}

/**
 * Asks for a message of the named template to the order's customer. The facts the message shows
 * (tracking, pickup code, refund amount) are those of the order's latest event of that kind.
 */
export async function requestNotification(
  executor: Executor,
  orderId: string,
  template: string,
  actor: string | null,
): Promise<Result<{ template: string; event_type: string }>> {
  if (!isNotificationKind(template))
    return fail(problem('unknown_template', `There is no template ${template}.`, { kinds: notificationTemplateNames }));
  const order = await queryOne<{ id: string }>(executor, sql`select id from orders where id = ${orderId}`);
  if (!order) return fail(problem('not_found', `No order ${orderId}.`));
  const facts = (await latestPayloadOfKind(executor, orderId, template)) ?? {};
  await recordEvents(executor, [
    {
      type: 'order.notification_requested',
      subjectType: 'order',
      subjectId: orderId,
      payload: { ...facts, order_id: orderId, actor, template },
    },
  ]);
  return ok({ template, event_type: 'order.notification_requested' });
}
