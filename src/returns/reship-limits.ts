import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';

/** What a line of an order may still be reshipped: shipped units less what reships already sent. */
export interface ReshipLimit {
  line_id: string;
  sku: string;
  shipped: number;
  /** Units of earlier reships of the line, less what was cancelled of them. */
  reshipped: number;
  /** With a named shipment: its units of the line, and what reships of that shipment sent. */
  in_shipment: number | null;
  reshipped_of_shipment: number | null;
}

export interface OverLimit {
  line_id: string;
  shipment_id?: string;
  shipped: number;
  reshipped: number;
  reshippable: number;
}

/** The order's lines with what was shipped and reshipped of them (and of `shipmentId`, when given). */
export async function reshipLimits(
  executor: Executor,
  orderId: string,
  shipmentId: string | undefined,
): Promise<ReshipLimit[]> {
  const sent = (where: ReturnType<typeof sql>) => sql`(
    select coalesce(sum(rl.quantity - rl.cancelled), 0)::int
    from linked_order_lines ll
    join linked_orders lo on lo.order_id = ll.order_id and lo.kind = 'reship'
    join order_lines rl on rl.order_id = ll.order_id and rl.line_id = ll.line_id
    where ll.original_order_id = l.order_id and ll.original_line_id = l.line_id ${where})`;
  return query<ReshipLimit>(
    executor,
    sql`select l.line_id, l.sku, l.shipped, ${sent(sql``)} as reshipped,
               ${shipmentId ? sql`(select sl.quantity from shipment_lines sl where sl.shipment_id = ${shipmentId} and sl.line_id = l.line_id)` : sql`null::int`} as in_shipment,
               ${shipmentId ? sent(sql`and ll.shipment_id = ${shipmentId}`) : sql`null::int`} as reshipped_of_shipment
        from order_lines l where l.order_id = ${orderId}`,
  );
}

/**
 * The tighter of the two caps for `quantity` more units: the line's shipped less reshipped, and
 * with a shipment named, that shipment's units less what was reshipped of it. Null when it fits. Pure.
 */
export function overLimit(line: ReshipLimit, quantity: number, shipmentId: string | undefined): OverLimit | null {
  const ofLine = { line_id: line.line_id, shipped: line.shipped, reshipped: line.reshipped };
  const ofShipment =
    shipmentId === undefined
      ? null
      : {
          line_id: line.line_id,
          shipment_id: shipmentId,
          shipped: line.in_shipment ?? 0,
          reshipped: line.reshipped_of_shipment ?? 0,
        };
  const left = (c: { shipped: number; reshipped: number }) => Math.max(0, c.shipped - c.reshipped);
  const binding = ofShipment && left(ofShipment) <= left(ofLine) ? ofShipment : ofLine;
  return quantity > left(binding) ? { ...binding, reshippable: left(binding) } : null;
}
