import { sql } from 'drizzle-orm';
import { inTransaction, query, type Db, type Tx } from '../../db/index.ts';
import { recordEvents, type NewEvent } from '../../events/index.ts';
import { getAvailability } from '../../inventory/index.ts';
import { getChannel, getLocationGroup } from '../../network/index.ts';
import { getOrder } from '../../orders/index.ts';
import { ok } from '../../shared/result.ts';
import {
  advanceCursor,
  createOutboxFollower,
  readSettledBatch,
  readSettledIds,
  type OutboxEvent,
} from '../../streaming/index.ts';
import { getShipment } from '../../tracking/index.ts';
import { stringifyExact } from '../json.ts';
import type { Platform } from '../mapping.ts';
import { OUTBOUND_EVENT } from '../settings.ts';
import { availabilityMessages } from './availability.ts';
import { orderEditEvents } from './edits.ts';
import { itemLevels } from './items.ts';
import { cancellationMessages, shipmentMessages, type OutboundMessage } from './shapes.ts';

export const CONNECTOR_FOLLOWER = 'connectors';
const SHIPPED = new Set(['fulfillment_order.shipped', 'fulfillment_order.partially_shipped']);

interface Outbound {
  channel_id: string;
  platform: Platform;
}

function outboundEvent(connector: Outbound, subjectId: string, message: OutboundMessage): NewEvent {
  return {
    type: OUTBOUND_EVENT,
    subjectType: 'channel',
    subjectId,
    payload: {
      channel_id: connector.channel_id,
      platform: connector.platform,
      kind: message.kind,
      method: message.method,
      path: message.path,
      body_json: stringifyExact(message.body),
    },
  };
}

async function shipmentMessage(tx: Tx, connector: Outbound, event: OutboxEvent): Promise<NewEvent | undefined> {
  const payload = event.payload as { shipment_id?: string; order_id?: string };
  if (!payload.shipment_id || !payload.order_id) return undefined;
  const [shipment, order] = [await getShipment(tx, payload.shipment_id), await getOrder(tx, payload.order_id)];
  if (!shipment || !order) return undefined;
  const message = shipmentMessages[connector.platform]({
    shipmentId: shipment.id,
    carrier: shipment.carrier,
    trackingNumber: shipment.tracking_number,
    shippedAt: shipment.shipped_at ?? event.createdAt,
    lines: shipment.lines.map((l) => ({ lineId: l.line_id, quantity: l.quantity })),
    complete: ['shipped', 'partially_delivered', 'delivered'].includes(order.status),
    externalId: order.external_id,
    metadata: (order.metadata ?? {}) as Record<string, unknown>,
  });
  return outboundEvent(connector, order.id, message);
}

async function cancellationMessage(tx: Tx, connector: Outbound, event: OutboxEvent): Promise<NewEvent | undefined> {
  const build = cancellationMessages[connector.platform];
  const order = build && (await getOrder(tx, event.subjectId));
  if (!build || !order) return undefined;
  const cancelled = order.timeline.findLast((e) => e.type === 'order.lines_cancelled');
  const reason = typeof cancelled?.data.reason === 'string' ? cancelled.data.reason : null;
  return outboundEvent(connector, order.id, build({ externalId: order.external_id, reason }));
}

/** One message per channel with the latest ATP (over its location group) of every SKU that changed. */
async function availabilityEvents(tx: Tx, connectors: Outbound[], skus: string[], at: string): Promise<NewEvent[]> {
  const events: NewEvent[] = [];
  for (const connector of connectors) {
    const channel = await getChannel(tx, connector.channel_id);
    const group = channel && (await getLocationGroup(tx, channel.location_group_id));
    if (!group) continue;
    const { data } = await getAvailability(tx, skus, group.location_ids);
    if (data.length === 0) continue;
    const levels = await itemLevels(tx, connector.channel_id, data);
    for (const message of availabilityMessages[connector.platform](levels, at)) {
      events.push(outboundEvent(connector, connector.channel_id, message));
    }
  }
  return events;
}

/**
 * Follows the outbox (its own cursor) and turns Consign events into platform-shaped messages
 * for each channel with an outbound endpoint: shipments as the platform's fulfillment call,
 * whole-order cancellations as its cancel call, confirmed changes as its order edit (or a record
 * of what was not pushed, see edits.ts), and
 * availability changes coalesced per (channel, SKU) over the batch — a burst of changes to one
 * SKU sends its latest value once. The messages are outbox events themselves, delivered by the
 * webhook dispatcher to the connector's subscription with the platform body as is.
 */
export async function translateOutbound(
  db: Db,
  follower = createOutboxFollower(CONNECTOR_FOLLOWER),
  batchSize = 1000,
): Promise<{ events: number; messages: number }> {
  const result = await inTransaction(db, async (tx) => {
    const connectors = await query<Outbound>(
      tx,
      sql`select channel_id, platform from channel_connectors where outbound_subscription_id is not null and outbound_url is not null`,
    );
    if (connectors.length === 0) {
      // Nothing to translate: the cursor only moves past the events, which need not be read.
      const passed = await readSettledIds(tx, follower, batchSize);
      const last = passed?.ids.at(-1);
      if (last !== undefined) await advanceCursor(tx, follower.name, last);
      return ok({ events: passed?.ids.length ?? 0, messages: 0 });
    }
    const read = await readSettledBatch(tx, follower, batchSize);
    const last = read?.events.at(-1);
    if (!read || !last) return ok({ events: 0, messages: 0 });
    const byChannel = new Map(connectors.map((c) => [c.channel_id, c]));
    const messages: NewEvent[] = [];
    const skus = new Set<string>();
    for (const event of read.events) {
      const channelId = (event.payload as { channel_id?: string } | null)?.channel_id;
      const connector = channelId ? byChannel.get(channelId) : undefined;
      if (connector && SHIPPED.has(event.type)) {
        const message = await shipmentMessage(tx, connector, event);
        if (message) messages.push(message);
      }
      // A cancellation the platform itself reported is not sent back to it.
      const actor = (event.payload as { actor?: string }).actor;
      if (connector && event.type === 'order.cancelled' && actor !== `connector:${connector.platform}`) {
        const message = await cancellationMessage(tx, connector, event);
        if (message) messages.push(message);
      }
      if (connector && event.type === 'order.change_confirmed') {
        messages.push(...(await orderEditEvents(tx, connector, event)));
      }
      if (event.type === 'inventory.availability_changed') skus.add((event.payload as { sku: string }).sku);
    }
    if (skus.size > 0) messages.push(...(await availabilityEvents(tx, connectors, [...skus], last.createdAt)));
    await recordEvents(tx, messages);
    await advanceCursor(tx, follower.name, last.id);
    return ok({ events: read.events.length, messages: messages.length });
  });
  if (!result.ok) throw new Error(`connector outbound failed: ${result.problem.detail}`);
  return result.value;
}
