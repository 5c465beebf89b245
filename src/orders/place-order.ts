import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';
import { newId } from '../shared/ids.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { convertCartHolds } from './cart-holds.ts';
import { recordOrderEvent } from './events.ts';
import { getOrder, type OrderView } from './read-order.ts';
import { refreshOrderStatus } from './refresh-status.ts';
import { routeOrder } from './route-order.ts';
import type { CreateOrder } from './schemas.ts';
import { validateOrder, type ValidOrder } from './validate-order.ts';
import { destinationOf } from './destination.ts';

export interface PlaceOrderOptions {
  requestHash: string;
  actor: string;
  /** Set for channel keys: they may only create orders for their own channel. */
  channelOfKey: string | null;
}

/**
 * Captures an order and routes it in the same transaction. The same channel order twice is one
 * order (a replay); the same external ID with other content is a 409.
 */
export async function placeOrder(
  executor: Executor,
  input: CreateOrder,
  options: PlaceOrderOptions,
): Promise<Result<{ order: OrderView; replayed: boolean }>> {
  const valid = await validateOrder(executor, input, options.channelOfKey);
  if (!valid.ok) return valid;
  const orderId = await insertOrder(executor, input, valid.value, options);
  if (!orderId) {
    // The channel already sent this order (a retry, or a concurrent twin that committed first).
    const winner = await queryOne<{ id: string; request_hash: string }>(
      executor,
      sql`select id, request_hash from orders where channel_id = ${valid.value.channelId} and external_id = ${input.external_id}`,
    );
    return replay(executor, winner!, input, options.requestHash);
  }
  const converted = await convertCartHolds(executor, orderId, input, options.actor);
  if (!converted.ok) return converted;
  const routed = await routeOrder(executor, orderId, { cause: 'capture', actor: options.actor });
  if (!routed.ok) return routed;
  await refreshOrderStatus(executor, orderId, options.actor);
  return ok({ order: (await getOrder(executor, orderId))!, replayed: false });
}

async function replay(
  executor: Executor,
  existing: { id: string; request_hash: string },
  input: CreateOrder,
  requestHash: string,
): Promise<Result<{ order: OrderView; replayed: boolean }>> {
  if (existing.request_hash !== requestHash) {
    return fail(
      problem(
        'idempotency_conflict',
        `Order ${input.external_id} of this channel already exists (${existing.id}) with different content.`,
        {
          order_id: existing.id,
        },
      ),
    );
  }
  return ok({ order: (await getOrder(executor, existing.id))!, replayed: true });
}

async function insertOrder(
  executor: Executor,
  input: CreateOrder,
  valid: ValidOrder,
  options: PlaceOrderOptions,
): Promise<string | undefined> {
  const orderId = newId('ord');
  const { totals } = valid;
  const destination = destinationOf(input.shipping_address);
  const inserted = await queryOne<{ id: string }>(
    executor,
    sql`insert into orders (id, channel_id, external_id, request_hash, status, customer, customer_email, shipping_address,
          destination_latitude, destination_longitude, delivery_method, pickup_location_id, allow_ship_fallback, currency,
          subtotal_minor, discount_minor, shipping_minor, tax_minor, total_minor, authorized_minor, metadata, placed_at)
        values (${orderId}, ${valid.channelId}, ${input.external_id}, ${options.requestHash}, 'created', ${JSON.stringify(input.customer)}::jsonb,
          ${input.customer.email?.toLowerCase() ?? null}, ${input.shipping_address ? JSON.stringify(input.shipping_address) : null}::jsonb,
          ${destination?.latitude ?? null}, ${destination?.longitude ?? null}, ${input.delivery_method}, ${input.pickup_location_id ?? null},
          ${input.allow_ship_fallback ?? false}, ${totals.currency}, ${totals.subtotalMinor}, ${totals.discountMinor}, ${totals.shippingMinor},
          ${totals.taxMinor}, ${totals.totalMinor}, ${totals.authorizedMinor}, ${input.metadata ? JSON.stringify(input.metadata) : null}::jsonb,
          ${input.placed_at ?? new Date().toISOString()}::timestamptz)
        on conflict (channel_id, external_id) do nothing
        returning id`,
  );
  if (!inserted) return undefined;
  const lines = input.lines.map((line, i) => ({
    line_id: line.line_id ?? String(i + 1),
    line_no: i + 1,
    sku: line.sku,
    name: line.name ?? valid.catalogue[line.sku]?.name ?? null,
    unit_price_minor: line.unit_price.amount,
    discount_minor: totals.lines[i]!.discountMinor,
    tax_minor: totals.lines[i]!.taxMinor,
    quantity: line.quantity,
    reservation_id: line.reservation_id ?? null,
  }));
  await executor.execute(sql`
    insert into order_lines (order_id, line_id, line_no, sku, name, unit_price_minor, discount_minor, tax_minor, quantity, reservation_id)
    select ${orderId}, line_id, line_no, sku, name, unit_price_minor, discount_minor, tax_minor, quantity, reservation_id
    from jsonb_to_recordset(${JSON.stringify(lines)}::jsonb) as t(line_id text, line_no int, sku text, name text,
      unit_price_minor bigint, discount_minor bigint, tax_minor bigint, quantity int, reservation_id text)`);
  await insertPayments(executor, orderId, input);
  if (totals.authorizedMinor < totals.totalMinor) {
    await executor.execute(sql`
      insert into order_holds (order_id, kind, reason, created_by)
      values (${orderId}, 'payment', ${`authorized ${totals.authorizedMinor} of ${totals.totalMinor} ${totals.currency}`}, ${options.actor})`);
  }
  await recordOrderEvent(executor, orderId, 'order.created', options.actor, {
    channel_id: valid.channelId,
    external_id: input.external_id,
    total: { amount: totals.totalMinor, currency: totals.currency },
    payment_hold: totals.authorizedMinor < totals.totalMinor,
  });
  return orderId;
}

async function insertPayments(executor: Executor, orderId: string, input: CreateOrder): Promise<void> {
  for (const payment of input.payments ?? []) {
    await executor.execute(sql`
      insert into payments (id, order_id, kind, status, amount_minor, currency, gateway, reference)
      values (${newId('pay')}, ${orderId}, 'authorization', 'succeeded', ${payment.amount.amount}, ${payment.amount.currency},
              ${payment.gateway}, ${payment.reference ?? null})`);
  }
}
