import { newId } from '../src/shared/ids.ts';
import { reserveUnit, type FloorTransaction } from './floor.ts';
import type { OrderNetwork } from './order-network.ts';
import { ORDER_LINES, orderSampler } from './orders.ts';

/**
 * The raw SQL floor of an order's reservations: per order BEGIN; for each of its 3 lines the
 * guarded UPDATE stock_levels … RETURNING and its ledger row at the location routing ships the
 * order from (the nearest one: every location holds every SKU); COMMIT. Lines are taken in SKU
 * order, the order in which Consign locks them, so concurrent orders never deadlock. Nothing
 * else: no order, line, allocation, fulfillment order, payment or event rows, no routing, no HTTP.
 */
export function orderTransaction(network: OrderNetwork): FloorTransaction {
  const next = orderSampler(network, () => ORDER_LINES);
  return async (exec) => {
    const order = next();
    const orderId = newId('ord');
    for (const sku of [...order.skus].sort()) {
      await reserveUnit(exec, { sku, locationId: order.nearestLocationId }, 'order', orderId);
    }
  };
}
