import { sql } from 'drizzle-orm';
import { query, queryOne, tables, toIso, type Executor } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';
import { setShipmentStatus } from '../fulfillment/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { applyDelivery } from './deliver.ts';
import type { ParsedEvent, TrackingSource } from './parsers/index.ts';
import { deriveShipmentStatus, type ShipmentStatus, type StatusFact, type TrackingStatus } from './statuses.ts';

interface RecordInput {
  source: TrackingSource;
  events: ParsedEvent[];
  /** Who sent them: an API key ID, or `webhook:<service>`. */
  actor: string | null;
}

interface RecordOutcome {
  shipmentId: string;
  orderId: string;
  recorded: number;
  duplicates: number;
  previousStatus: ShipmentStatus;
  status: ShipmentStatus;
}

interface LockedShipment {
  id: string;
  order_id: string;
  fulfillment_order_id: string;
  carrier: string;
  tracking_number: string | null;
  status: ShipmentStatus;
  last_event_at: string | null;
}

/**
 * Locks the order, then the shipment: the order first, as every order-changing path does, so
 * tracking never deadlocks with cancels or holds on the same order.
 */
async function lockShipment(executor: Executor, shipmentId: string): Promise<LockedShipment | undefined> {
  const owner = await queryOne<{ order_id: string }>(
    executor,
    sql`select order_id from shipments where id = ${shipmentId}`,
  );
  if (!owner) return undefined;
  await executor.execute(sql`select id from orders where id = ${owner.order_id} for update`);
  return queryOne<LockedShipment>(
    executor,
    sql`select id, order_id, fulfillment_order_id, carrier, tracking_number, status, last_event_at
        from shipments where id = ${shipmentId} for update`,
  );
}

/** Inserts the events; repeats of (shipment, source, dedupe key) are ignored. Returns the new ones. */
async function insertEvents(executor: Executor, shipmentId: string, input: RecordInput): Promise<ParsedEvent[]> {
  if (input.events.length === 0) return [];
  const t = tables.trackingEvents;
  const inserted = await executor
    .insert(t)
    .values(
      input.events.map((e) => ({
        shipmentId,
        source: input.source,
        dedupeKey: e.dedupeKey,
        status: e.status,
        description: e.description,
        location: e.location,
        occurredAt: new Date(e.occurredAt),
        raw: { raw_status: e.rawStatus, event: e.raw ?? null },
      })),
    )
    .onConflictDoNothing({ target: [t.shipmentId, t.source, t.dedupeKey] })
    .returning({ dedupeKey: t.dedupeKey });
  const fresh = new Set(inserted.map((row) => row.dedupeKey));
  return input.events.filter((e) => fresh.has(e.dedupeKey));
}

/**
 * The facts the status depends on, bounded however long the history: the latest events, the
 * earliest terminal event and the earliest delivery.
 */
async function statusFacts(executor: Executor, shipmentId: string): Promise<StatusFact[]> {
  const rows = await query<{ status: TrackingStatus; occurred_at: string }>(
    executor,
    sql`(select status, occurred_at from tracking_events where shipment_id = ${shipmentId} order by occurred_at desc, id desc limit 20)
        union all
        (select status, occurred_at from tracking_events where shipment_id = ${shipmentId} and status in ('delivered', 'returned_to_sender')
         order by occurred_at, id limit 1)
        union all
        (select status, occurred_at from tracking_events where shipment_id = ${shipmentId} and status = 'delivered'
         order by occurred_at, id limit 1)`,
  );
  return rows.map((r) => ({ status: r.status, occurredAtMs: Date.parse(toIso(r.occurred_at)!) }));
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Records tracking events for one shipment and brings the shipment (and, on delivery, its
 * lines, fulfillment order and order) up to date, with an outbox event for every new tracking
 * event. Safe to call with the same events again, in any order.
 */
export async function recordTrackingEvents(
  executor: Executor,
  shipmentId: string,
  input: RecordInput,
): Promise<Result<RecordOutcome>> {
  const shipment = await lockShipment(executor, shipmentId);
  if (!shipment) return fail(problem('not_found', `No shipment ${shipmentId}.`));
  const fresh = await insertEvents(executor, shipmentId, input);
  const derived = deriveShipmentStatus(shipment.status, await statusFacts(executor, shipmentId));
  const lastEventAt = iso(derived.lastEventAtMs);
  const deliveredAt = iso(derived.deliveredAtMs);

  if (derived.status !== shipment.status || lastEventAt !== toIso(shipment.last_event_at)) {
    const moved = await setShipmentStatus(executor, {
      id: shipmentId,
      from: shipment.status,
      to: derived.status,
      lastEventAt,
      deliveredAt,
    });
    if (!moved) throw new Error(`shipment ${shipmentId} changed under its own lock`);
  }

  const sorted = [...fresh].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  await recordEvents(
    executor,
    sorted.map((e) => ({
      type: 'shipment.tracking_updated',
      subjectType: 'order',
      subjectId: shipment.order_id,
      payload: {
        order_id: shipment.order_id,
        actor: input.actor,
        shipment_id: shipmentId,
        tracking_number: shipment.tracking_number,
        source: input.source,
        status: e.status,
        description: e.description,
        location: e.location,
        occurred_at: e.occurredAt,
        shipment_status: derived.status,
      },
    })),
  );

  if (derived.status === 'delivered' && shipment.status !== 'delivered') {
    const at = deliveredAt ?? lastEventAt ?? new Date().toISOString();
    await applyDelivery(
      executor,
      {
        id: shipmentId,
        orderId: shipment.order_id,
        fulfillmentOrderId: shipment.fulfillment_order_id,
        trackingNumber: shipment.tracking_number,
        carrier: shipment.carrier,
        deliveredAt: at,
      },
      input.actor,
    );
  }
  return ok({
    shipmentId,
    orderId: shipment.order_id,
    recorded: fresh.length,
    duplicates: input.events.length - fresh.length,
    previousStatus: shipment.status,
    status: derived.status,
  });
}
