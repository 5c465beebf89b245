import { sql } from 'drizzle-orm';
import { freezeBundleDefinitions } from '../catalog/index.ts';
import { queryOne, type Executor } from '../db/index.ts';
import { insertEvents } from '../events/index.ts';
import { checkSentAuthorizations, coveredMinor, recordPlacedAuthorizations } from '../payments/index.ts';
import { newId } from '../shared/ids.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { checkCartHolds, convertCartHolds } from './cart-holds.ts';
import { orderEventPayload } from './events.ts';
import { getOrder, type OrderView } from './read-order.ts';
import { refreshOrderStatus } from './refresh-status.ts';
import { routeOrder, type RouteOptions } from './route-order.ts';
import type { PlanResult } from '../routing/index.ts';
import type { CreateOrder } from './schemas.ts';
import { validateOrder, type ValidOrder } from './validate-order.ts';
import { destinationOf } from './destination.ts';
import { quoteTaxOrHold } from './holds.ts';
import { checkPreorderCaps } from './preorder-caps.ts';
import { placeShadowOrder } from './place-shadow.ts';
import type { ShadowOrder } from '../shadow/index.ts';

interface PlaceOrderOptions {
  requestHash: string;
  actor: string;
  /** Set for channel keys: they may only create orders for their own channel. */
  channelOfKey: string | null;
  /**
   * Set by the orders Consign makes itself (reships, exchanges, subscription periods, demo
   * data): placed live even for a shadow channel.
   */
  live?: true;
}

/** A live order, placed and routed. */
interface PlacedOrder {
  order: OrderView;
  replayed: boolean;
  shadow?: undefined;
}

/** A shadow channel's order: decided only, kept by src/shadow. */
export interface ShadowedOrder {
  shadow: ShadowOrder;
  replayed: boolean;
  order?: undefined;
}

/**
 * Captures an order and routes it in the same transaction. The same channel order twice is one
 * order (a replay); the same external ID with other content is a 409. An order of a shadow
 * channel is only decided: nothing is reserved, written to the outbox or sent (docs/shadow-mode.md).
 */
export async function placeOrder(
  executor: Executor,
  input: CreateOrder,
  options: PlaceOrderOptions & { live: true },
): Promise<Result<PlacedOrder>>;
export async function placeOrder(
  executor: Executor,
  input: CreateOrder,
  options: PlaceOrderOptions,
): Promise<Result<PlacedOrder | ShadowedOrder>>;
export async function placeOrder(
  executor: Executor,
  input: CreateOrder,
  options: PlaceOrderOptions,
): Promise<Result<PlacedOrder | ShadowedOrder>> {
  const valid = await validateOrder(executor, input, options.channelOfKey);
  if (!valid.ok) return valid;
  if (valid.value.shadow && !options.live) return placeShadowOrder(executor, input, valid.value, options.requestHash);
  const holds = await checkCartHolds(executor, input, {
    channelId: valid.value.channelId,
    channelOfKey: options.channelOfKey,
  });
  if (!holds.ok) return holds;
  if (input.lines.some((l) => valid.value.bundles.has(l.sku))) await freezeBundleDefinitions(executor);
  const captured = await insertOrder(executor, input, valid.value, options);
  if (!captured) {
    // The channel already sent this order (a retry, or a concurrent twin that committed first).
    const winner = await queryOne<{ id: string; request_hash: string }>(
      executor,
      sql`select id, request_hash from orders where channel_id = ${valid.value.channelId} and external_id = ${input.external_id}`,
    );
    return replay(executor, winner!, input, options.requestHash);
  }
  const orderId = captured.order.id;
  // Tax is quoted before routing: an order held for its tax gets no fulfillment work yet.
  const taxHeld = await quoteTaxOrHold(executor, orderId, options.actor);
  if (!taxHeld.ok) return taxHeld;
  if (taxHeld.value) captured.order.on_hold = true;
  let routed: Result<PlanResult | null>;
  if (holds.value.length > 0) {
    // Cart holds become allocations first; routing then reads what is left to place.
    const converted = await convertCartHolds(executor, orderId, holds.value, options.actor);
    if (!converted.ok) return converted;
    routed = await routeOrder(executor, orderId, { cause: 'capture', actor: options.actor });
    if (!routed.ok) return routed;
    await refreshOrderStatus(executor, orderId, options.actor);
  } else {
    routed = await routeOrder(executor, orderId, { cause: 'capture', actor: options.actor, captured });
    if (!routed.ok) return routed;
  }
  // Units left waiting may be pre-orders, which must stay within their SKU's cap.
  const capped = routed.value?.backorders.length ? await checkPreorderCaps(executor, orderId) : undefined;
  if (capped) return fail(capped);
  return ok({ order: (await getOrder(executor, orderId, { placedNow: true }))!, replayed: false });
}

async function replay(
  executor: Executor,
  existing: { id: string; request_hash: string },
  input: CreateOrder,
  requestHash: string,
): Promise<Result<PlacedOrder>> {
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

/**
 * Writes the order with its lines (every unit waiting for routing), payment authorizations,
 * payment hold (when they do not cover the total) and `order.created` event in one statement. Returns what routing it needs, or
 * undefined when the channel's order already exists (nothing is written then).
 */
async function insertOrder(
  executor: Executor,
  input: CreateOrder,
  valid: ValidOrder,
  options: PlaceOrderOptions,
): Promise<Captured | undefined> {
  const orderId = newId('ord');
  const { totals, catalogue } = valid;
  const destination = await destinationOf(executor, input.shipping_address);
  const placedAt = input.placed_at ?? valid.at.toISOString();
  const lines = input.lines.map((line, i) => ({
    line_id: line.line_id ?? String(i + 1),
    line_no: i + 1,
    sku: line.sku,
    name: line.name ?? catalogue[line.sku]?.name ?? null,
    unit_price_minor: line.unit_price.amount,
    discount_minor: totals.lines[i]!.discountMinor,
    tax_minor: totals.lines[i]!.taxMinor,
    quantity: line.quantity,
    reservation_id: line.reservation_id ?? null,
    ship_from_location_id: line.ship_from_location_id ?? null,
  }));
  // What the gateways say of the authorizations sent, not what the request says of them.
  const payments = await checkSentAuthorizations(executor, orderId, input.payments ?? []);
  const authorizedMinor = coveredMinor(payments);
  const paymentHold = authorizedMinor < totals.totalMinor;
  const authorizations = recordPlacedAuthorizations(payments);
  const order = { id: orderId, channel_id: valid.channelId, external_id: input.external_id, status: 'created' };
  const created = orderEventPayload(order, options.actor, {
    channel_id: valid.channelId,
    external_id: input.external_id,
    total: { amount: totals.totalMinor, currency: totals.currency },
    payment_hold: paymentHold,
  });
  const inserted = await queryOne<{ id: string }>(
    executor,
    sql`with placed as (
          insert into orders (id, channel_id, external_id, request_hash, status, customer, customer_email, shipping_address,
            destination_latitude, destination_longitude, delivery_method, pickup_location_id, allow_ship_fallback, currency,
            subtotal_minor, discount_minor, shipping_minor, tax_minor, total_minor, authorized_minor, metadata, placed_at)
          values (${orderId}, ${valid.channelId}, ${input.external_id}, ${options.requestHash}, 'created', ${JSON.stringify(input.customer)}::jsonb,
            ${input.customer.email?.toLowerCase() ?? null}, ${input.shipping_address ? JSON.stringify(input.shipping_address) : null}::jsonb,
            ${destination?.latitude ?? null}, ${destination?.longitude ?? null}, ${input.delivery_method}, ${input.pickup_location_id ?? null},
            ${input.allow_ship_fallback ?? false}, ${totals.currency}, ${totals.subtotalMinor}, ${totals.discountMinor}, ${totals.shippingMinor},
            ${totals.taxMinor}, ${totals.totalMinor}, ${authorizedMinor}, ${input.metadata ? JSON.stringify(input.metadata) : null}::jsonb,
            ${placedAt}::timestamptz)
          on conflict (channel_id, external_id) do nothing
          returning id),
        lines as (
          insert into order_lines (order_id, line_id, line_no, sku, name, unit_price_minor, discount_minor, tax_minor, quantity, backordered, reservation_id,
            ship_from_location_id)
          select placed.id, t.line_id, t.line_no, t.sku, t.name, t.unit_price_minor, t.discount_minor, t.tax_minor, t.quantity, t.quantity, t.reservation_id,
            t.ship_from_location_id
          from placed, jsonb_to_recordset(${JSON.stringify(lines)}::jsonb) as t(line_id text, line_no int, sku text, name text,
            unit_price_minor bigint, discount_minor bigint, tax_minor bigint, quantity int, reservation_id text, ship_from_location_id text)),
        authorizations as (${authorizations.payments} returning id),
        authorization_details as (${authorizations.details}),
        hold as (
          insert into order_holds (order_id, kind, reason, created_by)
          select placed.id, 'payment', ${`authorized ${authorizedMinor} of ${totals.totalMinor} ${totals.currency}`}, ${options.actor}
          from placed where ${paymentHold}),
        announced as (
          ${insertEvents(sql`select 'order.created', 'order', placed.id, ${JSON.stringify(created)}::jsonb from placed`)})
        select id from placed`,
    { prepare: true },
  );
  if (!inserted) return undefined;
  return capturedOrder(input, valid, { ...order, on_hold: paymentHold }, destination);
}

/** A captured order as routing it needs it: its head, its lines, and the inputs read with its validation. */
export function capturedOrder(
  input: CreateOrder,
  valid: ValidOrder,
  order: { id: string; channel_id: string; external_id: string; status: string; on_hold: boolean },
  destination: Destination,
): Captured {
  const { catalogue } = valid;
  return {
    order: {
      ...order,
      channel_code: valid.channelCode,
      currency: valid.totals.currency,
      delivery_method: input.delivery_method,
      pickup_location_id: input.pickup_location_id ?? null,
      allow_ship_fallback: input.allow_ship_fallback ?? false,
      destination_latitude: destination?.latitude ?? null,
      destination_longitude: destination?.longitude ?? null,
      shipping_address: input.shipping_address ?? null,
      placed_at: input.placed_at ?? valid.at.toISOString(),
      // Received now (the time the order is validated and routed at).
      created_at: valid.at.toISOString(),
    },
    lines: input.lines.map((l, i) => ({
      line_id: l.line_id ?? String(i + 1),
      sku: l.sku,
      need: l.quantity,
      weight_grams: catalogue[l.sku]?.weightGrams ?? 0,
      allow_backorder: catalogue[l.sku]?.allowBackorder ?? false,
      ship_from_location_id: l.ship_from_location_id ?? null,
    })),
    routing: valid.routing,
  };
}

/** A captured order, as routing it right away needs it. */
type Captured = NonNullable<RouteOptions['captured']>;
type Destination = Awaited<ReturnType<typeof destinationOf>>;
