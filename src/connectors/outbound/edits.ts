import type { Tx } from '../../db/index.ts';
import type { NewEvent } from '../../events/index.ts';
import { getOrder, getOrderChange } from '../../orders/index.ts';
import type { OutboxEvent } from '../../streaming/index.ts';
import { mappingsOfSkus } from '../catalog/mappings.ts';
import { stringifyExact } from '../json.ts';
import type { Platform } from '../mapping.ts';
import { OUTBOUND_EVENT } from '../settings.ts';
import { EDITING_PLATFORMS, hasEdits, planEdit, type NotPushed } from './edit-plan.ts';

const EDIT_NOT_PUSHED_EVENT = 'connector.edit_not_pushed';
/** The `kind` of the outbound message that edits a platform order (see performers.ts). */
export const ORDER_EDIT_KIND = 'order_edit';

interface Outbound {
  channel_id: string;
  platform: Platform;
}

interface ChangeConfirmed {
  order_id?: string;
  change_id?: string;
  lines?: { line_id: string; added: boolean }[];
}

function notPushedEvent(
  connector: Outbound,
  order: { id: string; external_id: string },
  changeId: string,
  notPushed: NotPushed[],
  reason: string,
): NewEvent {
  return {
    type: EDIT_NOT_PUSHED_EVENT,
    subjectType: 'order',
    subjectId: order.id,
    payload: {
      channel_id: connector.channel_id,
      platform: connector.platform,
      order_id: order.id,
      external_id: order.external_id,
      change_id: changeId,
      actions: notPushed,
      reason,
    },
  };
}

/**
 * A confirmed change to an order the platform sent: on a platform with order edits (Shopify,
 * WooCommerce) the edit, as an outbound message its performer carries out against the
 * platform's API through the connector's endpoint; what the platform cannot be told (and every
 * change on the other platforms) is recorded as not pushed, with the reason, for operators to
 * repeat on the platform.
 */
export async function orderEditEvents(tx: Tx, connector: Outbound, event: OutboxEvent): Promise<NewEvent[]> {
  const payload = event.payload as ChangeConfirmed;
  const order = payload.order_id ? await getOrder(tx, payload.order_id) : undefined;
  if (!order || (order.metadata as { platform?: unknown } | null)?.platform !== connector.platform) return [];
  const change = payload.change_id ? await getOrderChange(tx, order.id, payload.change_id) : undefined;
  if (!change) return [];
  if (!EDITING_PLATFORMS.has(connector.platform)) {
    const all = change.actions.map((a) => ({ action: a.type, reason: `${connector.platform} has no order edit` }));
    const reason = `Consign does not push order edits to ${connector.platform}: make the same change on the platform.`;
    return [notPushedEvent(connector, order, change.id, all, reason)];
  }
  const addedSkus = change.actions.flatMap((a) => (a.type === 'add_line' ? [a.sku] : []));
  const mappings = await mappingsOfSkus(tx, connector.channel_id, addedSkus);
  const { plan, notPushed } = planEdit({
    platform: connector.platform,
    changeId: change.id,
    reason: change.reason,
    externalId: order.external_id,
    currency: order.total.currency,
    actions: change.actions,
    lineIds: order.lines.map((l) => l.line_id),
    addedLineIds: (payload.lines ?? []).filter((l) => l.added).map((l) => l.line_id),
    // Sorted by variant, so a variant's mapping wins over the whole product's (empty variant).
    items: new Map(mappings.map((m) => [m.sku, m])),
  });
  const events: NewEvent[] = [];
  if (hasEdits(plan))
    events.push({
      type: OUTBOUND_EVENT,
      subjectType: 'channel',
      subjectId: order.id,
      payload: {
        channel_id: connector.channel_id,
        platform: connector.platform,
        kind: ORDER_EDIT_KIND,
        order_id: order.id,
        change_id: change.id,
        body_json: stringifyExact(plan),
      },
    });
  if (notPushed.length > 0) {
    const reason = notPushed.map((n) => `${n.action}${n.line_id ? ` ${n.line_id}` : ''}: ${n.reason}`).join('; ');
    events.push(notPushedEvent(connector, order, change.id, notPushed, reason));
  }
  return events;
}
