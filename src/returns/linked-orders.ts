import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { requestHash } from '../http/idempotency.ts';
import { placeOrder, type CreateOrder } from '../orders/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { recordReturnEvent } from './events.ts';
import type { ReturnRef } from './transitions.ts';

interface LinkedLine {
  /** The line of the original order it replaces or sends again. */
  originalLineId: string;
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  /**
   * The returned units' price, as far as the replacement's price goes (an exchange settles at list
   * price): the line's own discount on the linked order. What that credit is worth in money, and
   * which order it is refunded from, is recorded when the return settles (`exchange_credits`).
   */
  creditMinor: number;
}

interface Original {
  id: string;
  channel_id: string;
  external_id: string;
  currency: string;
  customer: CreateOrder['customer'];
  shipping_address: CreateOrder['shipping_address'] | null;
  delivery_method: CreateOrder['delivery_method'];
  pickup_location_id: string | null;
}

interface LinkedOrderInput {
  originalOrderId: string;
  kind: 'exchange' | 'reship';
  returnId: string | null;
  /** Reships of a named shipment. */
  shipmentId?: string | null | undefined;
  reason: string;
  lines: LinkedLine[];
  payment: { gateway: string; reference?: string | undefined } | null;
  actor: string;
}

function orderInput(original: Original, input: LinkedOrderInput, sequence: number): CreateOrder {
  const money = (amount: number) => ({ amount, currency: original.currency });
  const credit = input.lines.reduce((n, l) => n + l.creditMinor, 0);
  const subtotal = input.lines.reduce((n, l) => n + l.unitPriceMinor * l.quantity, 0);
  const total = subtotal - credit;
  return {
    channel: original.channel_id,
    external_id: `${original.external_id}/${input.kind}-${sequence}`,
    customer: original.customer,
    lines: input.lines.map((l, i) => ({
      line_id: `L${i + 1}`,
      sku: l.sku,
      quantity: l.quantity,
      unit_price: money(l.unitPriceMinor),
      // The credit sits on the line it pays for.
      ...(l.creditMinor > 0 ? { discount: money(l.creditMinor) } : {}),
    })),
    delivery_method: original.delivery_method,
    ...(original.shipping_address ? { shipping_address: original.shipping_address } : {}),
    ...(original.pickup_location_id ? { pickup_location_id: original.pickup_location_id } : {}),
    total: money(total),
    ...(total > 0 && input.payment
      ? {
          payments: [
            {
              kind: 'authorization' as const,
              amount: money(total),
              gateway: input.payment.gateway,
              ...(input.payment.reference ? { reference: input.payment.reference } : {}),
            },
          ],
        }
      : {}),
    metadata: {
      [`${input.kind}_of`]: original.id,
      ...(input.returnId ? { return_id: input.returnId } : {}),
      reason: input.reason,
    },
  };
}

/**
 * Places an order linked to an original one (an exchange's replacement or a reship), routed
 * and reserved like any order, in the caller's transaction. Units that cannot be reserved now
 * refuse the whole operation with `insufficient_stock`: a replacement is only promised from
 * stock.
 */
export async function placeLinkedOrder(
  executor: Executor,
  input: LinkedOrderInput,
): Promise<Result<{ orderId: string }>> {
  const original = await queryOne<Original>(
    executor,
    sql`select id, channel_id, external_id, currency, customer, shipping_address, delivery_method, pickup_location_id
        from orders where id = ${input.originalOrderId}`,
  );
  if (!original) return fail(problem('not_found', `No order ${input.originalOrderId}.`));
  const count = await queryOne<{ n: number }>(
    executor,
    sql`select count(*)::int as n from linked_orders where original_order_id = ${original.id} and kind = ${input.kind}`,
  );
  const body = orderInput(original, input, (count?.n ?? 0) + 1);
  const placed = await placeOrder(executor, body, {
    requestHash: requestHash('POST', '/v1/orders', body),
    actor: input.actor,
    channelOfKey: null,
    live: true,
  });
  if (!placed.ok) return placed;
  const order = placed.value.order;
  const short = order.lines
    .filter((l) => l.quantities.allocated !== l.quantity)
    .map((l) => ({ sku: l.sku, requested: l.quantity, reserved: l.quantities.allocated }));
  if (short.length > 0)
    return fail(
      problem('insufficient_stock', `Not enough stock for the ${input.kind}: ${short.map((s) => s.sku).join(', ')}.`, {
        shortages: short,
      }),
    );
  await executor.execute(sql`
    insert into linked_orders (order_id, original_order_id, kind, return_id, reason, created_by)
    values (${order.id}, ${original.id}, ${input.kind}, ${input.returnId}, ${input.reason}, ${input.actor})`);
  await executor.execute(sql`
    insert into linked_order_lines (order_id, line_id, original_order_id, original_line_id, return_id, shipment_id, quantity)
    values ${sql.join(
      body.lines.map(
        (l, i) =>
          sql`(${order.id}, ${l.line_id!}, ${original.id}, ${input.lines[i]!.originalLineId}, ${input.returnId}, ${input.shipmentId ?? null}, ${l.quantity})`,
      ),
      sql`, `,
    )}`);
  return ok({ orderId: order.id });
}

/** An authorized exchange's replacement order: the exchanged lines at their new prices, less what the returned units cost. */
export async function placeExchangeOrder(executor: Executor, ret: ReturnRef, actor: string): Promise<Result<null>> {
  const lines = await query<{
    exchange_sku: string;
    quantity: number;
    exchange_unit_price_minor: number;
    unit_price_minor: number;
    line_id: string;
  }>(
    executor,
    sql`select rl.line_id, rl.exchange_sku, rl.quantity, rl.exchange_unit_price_minor, ol.unit_price_minor
        from return_lines rl join order_lines ol on ol.order_id = ${ret.order_id} and ol.line_id = rl.line_id
        where rl.return_id = ${ret.id} and rl.exchange_sku is not null order by rl.line_no`,
  );
  if (lines.length === 0) return ok(null);
  const payment = await queryOne<{ exchange_payment: LinkedOrderInput['payment'] }>(
    executor,
    sql`select exchange_payment from returns where id = ${ret.id}`,
  );
  const placed = await placeLinkedOrder(executor, {
    originalOrderId: ret.order_id,
    kind: 'exchange',
    returnId: ret.id,
    reason: `exchange for return ${ret.id}`,
    lines: lines.map((l) => ({
      originalLineId: l.line_id,
      sku: l.exchange_sku,
      quantity: l.quantity,
      unitPriceMinor: l.exchange_unit_price_minor,
      creditMinor: Math.min(l.exchange_unit_price_minor, l.unit_price_minor) * l.quantity,
    })),
    payment: payment?.exchange_payment ?? null,
    actor,
  });
  if (!placed.ok) return placed;
  await executor.execute(sql`update returns set exchange_order_id = ${placed.value.orderId} where id = ${ret.id}`);
  await recordReturnEvent(executor, ret, 'return.exchange_order_created', actor, {
    exchange_order_id: placed.value.orderId,
    lines: lines.map((l) => ({ line_id: l.line_id, sku: l.exchange_sku, quantity: l.quantity })),
  });
  return ok(null);
}
