import { sql } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';

/** A shipment of an imported order, as the previous system recorded it. */
export interface ImportedShipment {
  id: string;
  order_id: string;
  fulfillment_order_id: string;
  location_id: string;
  carrier: string;
  service: string | null;
  tracking_number: string | null;
  status:
    | 'label_created'
    | 'pre_transit'
    | 'in_transit'
    | 'out_for_delivery'
    | 'delivered'
    | 'exception'
    | 'returned_to_sender';
  shipped_at: string;
  delivered_at: string | null;
  lines: { line_id: string; sku: string; quantity: number }[];
}

/** Writes imported orders' shipments and their lines as they were, in one statement. */
export async function insertImportedShipments(executor: Executor, shipments: ImportedShipment[]): Promise<void> {
  if (shipments.length === 0) return;
  const heads = shipments.map(({ lines: _lines, ...head }) => head);
  const lines = shipments.flatMap((s) => s.lines.map((l) => ({ shipment_id: s.id, order_id: s.order_id, ...l })));
  await executor.execute(sql`
    with written as (
      insert into shipments (id, order_id, fulfillment_order_id, location_id, carrier, service, tracking_number, status,
        shipped_at, delivered_at, last_event_at)
      select id, order_id, fulfillment_order_id, location_id, carrier, service, tracking_number, status, shipped_at,
        delivered_at, coalesce(delivered_at, shipped_at)
      from jsonb_to_recordset(${JSON.stringify(heads)}::jsonb) as t(id text, order_id text, fulfillment_order_id text,
        location_id text, carrier text, service text, tracking_number text, status text, shipped_at timestamptz,
        delivered_at timestamptz)
      returning id)
    insert into shipment_lines (shipment_id, order_id, line_id, sku, quantity)
    select shipment_id, order_id, line_id, sku, quantity
    from jsonb_to_recordset(${JSON.stringify(lines)}::jsonb)
      as t(shipment_id text, order_id text, line_id text, sku text, quantity int)
    where shipment_id in (select id from written)`);
}
