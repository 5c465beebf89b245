import { sql } from 'drizzle-orm';
import { query, queryOne, type Database, type Db, type Executor } from '../../src/db/index.ts';
import { refreshOrderStatus } from '../../src/orders/index.ts';
import { newId } from '../../src/shared/ids.ts';
import { startTestServer, type TestServer } from './server.ts';

export interface ShipDirectlyInput {
  carrier: string;
  trackingNumber: string;
  /** Which lines and how many; omitted = everything still reserved on the fulfillment order. */
  lines?: { line_id: string; quantity: number }[];
  /** Omitted = the order's only (or first) fulfillment order. */
  fulfillmentOrderId?: string;
}

interface Allocation {
  id: number;
  line_id: string;
  sku: string;
  quantity: number;
}

async function takeUnits(tx: Executor, allocations: Allocation[], lineId: string, quantity: number): Promise<string> {
  let left = quantity;
  let sku = '';
  for (const a of allocations.filter((x) => x.line_id === lineId && x.quantity > 0)) {
    const take = Math.min(left, a.quantity);
    sku = a.sku;
    if (take === a.quantity) {
      await tx.execute(sql`update order_allocations set status = 'shipped' where id = ${a.id}`);
    } else {
      await tx.execute(sql`update order_allocations set quantity = quantity - ${take} where id = ${a.id}`);
      await tx.execute(sql`
        insert into order_allocations (order_id, line_id, sku, location_id, quantity, status, fulfillment_order_id, decision_id)
        select order_id, line_id, sku, location_id, ${take}, 'shipped', fulfillment_order_id, decision_id from order_allocations where id = ${a.id}`);
    }
    a.quantity -= take;
    left -= take;
    if (left === 0) return sku;
  }
  throw new Error(`line ${lineId} has fewer than ${quantity} reserved units on this fulfillment order`);
}

/**
 * A shipment for an order placed through the API, written straight to the database: the
 * shipment and its lines, the line quantities moved from allocated to shipped, the fulfillment
 * order `shipped` once nothing is left on it, and the order status derived again. Stock levels
 * are left alone (tracking does not read them). It stands in for the fulfillment `ship` step
 * in the tracking tests; swap it for `POST /v1/fulfillment-orders/{id}/ship` when convenient.
 */
export async function shipDirectly(db: Db, orderId: string, input: ShipDirectlyInput): Promise<string> {
  return db.transaction(async (tx) => {
    const fo = await queryOne<{ id: string; location_id: string }>(
      tx,
      input.fulfillmentOrderId
        ? sql`select id, location_id from fulfillment_orders where id = ${input.fulfillmentOrderId}`
        : sql`select id, location_id from fulfillment_orders where order_id = ${orderId} order by id limit 1`,
    );
    if (!fo) throw new Error(`order ${orderId} has no fulfillment order to ship`);
    const allocations = await query<Allocation>(
      tx,
      sql`select id, line_id, sku, quantity from order_allocations
          where fulfillment_order_id = ${fo.id} and status = 'reserved' order by id`,
    );
    const lines =
      input.lines ??
      [...new Set(allocations.map((a) => a.line_id))].map((line_id) => ({
        line_id,
        quantity: allocations.filter((a) => a.line_id === line_id).reduce((n, a) => n + a.quantity, 0),
      }));
    const shipmentId = newId('shp');
    await tx.execute(sql`
      insert into shipments (id, order_id, fulfillment_order_id, location_id, carrier, tracking_number, status)
      values (${shipmentId}, ${orderId}, ${fo.id}, ${fo.location_id}, ${input.carrier}, ${input.trackingNumber}, 'label_created')`);
    for (const line of lines) {
      const sku = await takeUnits(tx, allocations, line.line_id, line.quantity);
      await tx.execute(sql`
        insert into shipment_lines (shipment_id, order_id, line_id, sku, quantity)
        values (${shipmentId}, ${orderId}, ${line.line_id}, ${sku}, ${line.quantity})`);
      await tx.execute(sql`
        update order_lines set shipped = shipped + ${line.quantity}, allocated = allocated - ${line.quantity}
        where order_id = ${orderId} and line_id = ${line.line_id}`);
    }
    await tx.execute(sql`
      update fulfillment_orders set status = 'shipped', version = version + 1, updated_at = now()
      where id = ${fo.id} and not exists (select 1 from order_allocations where fulfillment_order_id = ${fo.id} and status = 'reserved')`);
    await refreshOrderStatus(tx, orderId, 'test');
    return shipmentId;
  });
}

/** A test server; the tracking routes are part of the app. */
export async function startTrackingServer(database: Database): Promise<TestServer> {
  return startTestServer(database);
}
