import { sql } from 'drizzle-orm';
import { query, queryOne, toIso, type Executor } from '../db/index.ts';

/** The timeline shows at most this many events (a parcel has a few dozen). */
const MAX_TIMELINE_EVENTS = 1000;

interface ShipmentRow {
  id: string;
  order_id: string;
  fulfillment_order_id: string;
  location_id: string;
  carrier: string;
  service: string | null;
  tracking_number: string | null;
  status: string;
  packages: unknown;
  shipped_at: string;
  delivered_at: string | null;
  last_event_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Who may see a shipment: its order's channel and the location it left from. */
export async function shipmentScope(executor: Executor, shipmentId: string) {
  return queryOne<{ location_id: string; channel_id: string }>(
    executor,
    sql`select s.location_id, o.channel_id from shipments s join orders o on o.id = s.order_id where s.id = ${shipmentId}`,
  );
}

/** A shipment with its lines and its tracking timeline, oldest event first. */
export async function getShipment(executor: Executor, shipmentId: string) {
  const s = await queryOne<ShipmentRow>(executor, sql`select * from shipments where id = ${shipmentId}`);
  if (!s) return undefined;
  const lines = await query<{ line_id: string; sku: string; quantity: number }>(
    executor,
    sql`select line_id, sku, quantity from shipment_lines where shipment_id = ${shipmentId} order by line_id`,
  );
  const events = await query<{
    id: number;
    source: string;
    status: string;
    description: string | null;
    location: string | null;
    occurred_at: string;
    raw: { raw_status?: string } | null;
    created_at: string;
  }>(
    executor,
    sql`select id, source, status, description, location, occurred_at, raw, created_at
        from tracking_events where shipment_id = ${shipmentId} order by occurred_at, id limit ${MAX_TIMELINE_EVENTS}`,
  );
  return {
    id: s.id,
    order_id: s.order_id,
    fulfillment_order_id: s.fulfillment_order_id,
    location_id: s.location_id,
    carrier: s.carrier,
    service: s.service,
    tracking_number: s.tracking_number,
    status: s.status,
    packages: s.packages,
    shipped_at: toIso(s.shipped_at),
    delivered_at: toIso(s.delivered_at),
    last_event_at: toIso(s.last_event_at),
    created_at: toIso(s.created_at),
    updated_at: toIso(s.updated_at),
    lines,
    tracking: events.map((e) => ({
      id: String(e.id),
      source: e.source,
      status: e.status,
      raw_status: e.raw?.raw_status ?? null,
      description: e.description,
      location: e.location,
      occurred_at: toIso(e.occurred_at),
      received_at: toIso(e.created_at),
    })),
  };
}
