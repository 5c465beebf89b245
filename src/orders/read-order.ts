import { sql } from 'drizzle-orm';
import { queryRowsets, toIso, type Executor } from '../db/index.ts';
import { planSupply, type LinePromise } from '../inventory/index.ts';
import { invoicesOfOrder } from '../invoices/index.ts';
import { versionTotals } from './changes/totals.ts';
import { addressLabel } from './destination.ts';
import { returnsOfOrder } from './order-returns.ts';
import type { ShippingAddress } from './schemas.ts';
import { derivePaymentStatus } from './status.ts';
import { noteOf } from './tags.ts';

interface OrderRow {
  id: string;
  channel_id: string;
  external_id: string;
  status: string;
  version: number;
  managed: boolean;
  customer: Record<string, unknown>;
  shipping_address: Record<string, unknown> | null;
  delivery_method: string;
  pickup_location_id: string | null;
  allow_ship_fallback: boolean;
  currency: string;
  subtotal_minor: number;
  discount_minor: number;
  shipping_minor: number;
  tax_minor: number;
  total_minor: number;
  rules_version: number | null;
  metadata: Record<string, unknown> | null;
  placed_at: string;
  created_at: string;
  updated_at: string;
  destination_latitude: number | null;
}

const money = (amount: number, currency: string) => ({ amount, currency });

type LineRow = Record<string, number | string | null>;

const linesSql = (orderId: string) =>
  sql`select line_id, sku, name, quantity, unit_price_minor, discount_minor, tax_minor, allocated, backordered, cancelled,
             shipped, delivered, return_requested, returned, refunded, reservation_id, ship_from_location_id
      from order_lines where order_id = ${orderId} order by line_no`;

function presentLines(rows: LineRow[], currency: string, promised: Map<string, LinePromise>) {
  return rows.map((r) => ({
    line_id: r.line_id as string,
    sku: r.sku as string,
    name: r.name,
    quantity: r.quantity as number,
    unit_price: money(r.unit_price_minor as number, currency),
    discount: money(r.discount_minor as number, currency),
    tax: money(r.tax_minor as number, currency),
    quantities: {
      ordered: r.quantity,
      allocated: r.allocated,
      backordered: r.backordered,
      cancelled: r.cancelled,
      shipped: r.shipped,
      delivered: r.delivered,
      return_requested: r.return_requested,
      returned: r.returned,
      refunded: r.refunded,
    },
    reservation_id: r.reservation_id,
    /** The location the order names for the line (routed there only), or null. */
    ship_from_location_id: r.ship_from_location_id,
    /** When the line's waiting units are due (null: none wait, or some have no supply to wait for). */
    promised_on: promised.get(r.line_id as string)?.promised_on ?? null,
    promises: promised.get(r.line_id as string)?.promises ?? [],
  }));
}

/** What the order's waiting units are promised from, first come first served (`planSupply`). */
async function promisesOf(executor: Executor, orderId: string, lines: LineRow[]): Promise<Map<string, LinePromise>> {
  const waiting = lines.filter((l) => (l.backordered as number) > 0);
  if (waiting.length === 0) return new Map();
  const plan = await planSupply(
    executor,
    waiting.map((l) => l.sku as string),
  );
  return new Map(plan.lines.filter((l) => l.order_id === orderId).map((l) => [l.line_id, l]));
}

interface AllocationRow {
  id: number;
  line_id: string;
  sku: string;
  location_id: string;
  quantity: number;
  status: string;
  fulfillment_order_id: string | null;
  kit_group: string | null;
  components: { sku: string; quantity: number }[] | null;
}

interface FulfillmentOrderRow {
  id: string;
  location_id: string;
  delivery_method: string;
  status: string;
  created_at: string;
  updated_at: string;
}

const allocationsSql = (orderId: string) =>
  sql`select id, line_id, sku, location_id, quantity, status, fulfillment_order_id, kit_group, components from order_allocations where order_id = ${orderId} order by id`;
const fulfillmentOrdersSql = (orderId: string) =>
  sql`select id, location_id, delivery_method, status, created_at, updated_at from fulfillment_orders where order_id = ${orderId} order by id`;

function presentFulfillment(allocations: AllocationRow[], fos: FulfillmentOrderRow[]) {
  return {
    // A split kit's part says its group and the leaf units per bundle it picks; a whole allocation neither.
    allocations: allocations.map(({ fulfillment_order_id, kit_group, components, ...a }) => ({
      ...a,
      fulfillment_order_id,
      ...(kit_group === null ? {} : { kit_group, components }),
    })),
    fulfillment_orders: fos.map((fo) => ({
      ...fo,
      created_at: toIso(fo.created_at),
      updated_at: toIso(fo.updated_at),
      lines: allocations
        .filter((a) => a.fulfillment_order_id === fo.id)
        .map((a) => ({ line_id: a.line_id, sku: a.sku, quantity: a.quantity, status: a.status })),
    })),
  };
}

interface ShipmentRow {
  id: string;
  fulfillment_order_id: string;
  location_id: string;
  carrier: string;
  service: string | null;
  tracking_number: string | null;
  status: string;
  shipped_at: string;
  delivered_at: string | null;
  lines: unknown;
  tracking: { status: string; description: string | null; location: string | null; occurred_at: string }[];
}

const shipmentsSql = (orderId: string) =>
  sql`select s.id, s.fulfillment_order_id, s.location_id, s.carrier, s.service, s.tracking_number, s.status, s.shipped_at, s.delivered_at,
               coalesce((select jsonb_agg(jsonb_build_object('line_id', l.line_id, 'sku', l.sku, 'quantity', l.quantity) order by l.line_id)
                         from shipment_lines l where l.shipment_id = s.id), '[]'::jsonb) as lines,
               coalesce((select jsonb_agg(jsonb_build_object('status', t.status, 'description', t.description, 'location', t.location, 'occurred_at', t.occurred_at) order by t.occurred_at, t.id)
                         from tracking_events t where t.shipment_id = s.id), '[]'::jsonb) as tracking
        from shipments s where s.order_id = ${orderId} order by s.shipped_at, s.id`;

function presentShipments(rows: ShipmentRow[]) {
  return rows.map((r) => ({ ...r, shipped_at: toIso(r.shipped_at), delivered_at: toIso(r.delivered_at) }));
}

interface PaymentRow {
  id: string;
  kind: string;
  status: string;
  amount_minor: number;
  currency: string;
  gateway: string;
  reference: string | null;
  created_at: string;
}

const paymentsSql = (orderId: string) =>
  sql`select id, kind, status, amount_minor, currency, gateway, reference, created_at from payments where order_id = ${orderId} order by created_at, id`;

function presentMoney(payments: PaymentRow[], totalMinor: number) {
  return {
    payment_status: derivePaymentStatus(
      payments.map((p) => ({ kind: p.kind, status: p.status, amountMinor: p.amount_minor })),
      totalMinor,
    ),
    payments: payments.map((p) => ({
      id: p.id,
      kind: p.kind,
      status: p.status,
      amount: money(p.amount_minor, p.currency),
      gateway: p.gateway,
      reference: p.reference,
      created_at: toIso(p.created_at),
    })),
  };
}

interface HoldRow {
  id: number;
  kind: string;
  reason: string;
  created_by: string | null;
  created_at: string;
  released_at: string | null;
  released_by: string | null;
}

const holdsSql = (orderId: string) =>
  sql`select id, kind, reason, created_by, created_at, released_at, released_by from order_holds where order_id = ${orderId} order by id`;

function presentHolds(rows: HoldRow[]) {
  return rows.map((h) => ({ ...h, created_at: toIso(h.created_at), released_at: toIso(h.released_at) }));
}

/**
 * What the order comes to now: its live units (cancellations and changes taken off, ADR 0006's
 * shares of discount and tax) plus the shipping charge, which goes when no unit is left (the
 * cancellation then voids it too). `total` stays what the order's current version said.
 */
function currentTotalMinor(lines: LineRow[], shippingMinor: number): number {
  const money = lines.map((l) => ({
    quantity: l.quantity as number,
    cancelled: l.cancelled as number,
    unit_price_minor: l.unit_price_minor as number,
    discount_minor: l.discount_minor as number,
    tax_minor: l.tax_minor as number,
  }));
  const live = money.some((l) => l.quantity > l.cancelled);
  return versionTotals(money, live ? shippingMinor : 0).totalMinor;
}

interface EventRow {
  id: number;
  type: string;
  payload: Record<string, unknown>;
  created_at: string;
}

const timelineSql = (orderId: string) =>
  sql`select id, type, payload, created_at from event_history where subject_id = ${orderId} order by id`;

function presentTimeline(rows: EventRow[]) {
  return rows.map((e) => {
    // The pickup code goes to the storefront in the event; agents reading the timeline do not need it.
    const {
      order_id: _order,
      channel_id: _channel,
      external_id: _external,
      pickup_code: _code,
      actor,
      ...data
    } = e.payload;
    return { id: String(e.id), type: e.type, at: toIso(e.created_at), actor: actor ?? null, data };
  });
}

/**
 * The full order: lines with their quantity buckets, allocations, fulfillment, money, holds,
 * timeline. The order's own records come in one round trip; invoices and returns from their
 * capabilities, unless `placedNow`: an order placed in this very transaction has neither yet
 * (invoices follow captures, returns and links follow the order).
 */
export async function getOrder(executor: Executor, orderId: string, options: { placedNow?: boolean } = {}) {
  const sets = await queryRowsets<{
    order: OrderRow[];
    holds: HoldRow[];
    tags: { tag: string }[];
    lines: LineRow[];
    allocations: AllocationRow[];
    fulfillment_orders: FulfillmentOrderRow[];
    shipments: ShipmentRow[];
    payments: PaymentRow[];
    events: EventRow[];
  }>(
    executor,
    {
      order: sql`select * from orders where id = ${orderId}`,
      holds: holdsSql(orderId),
      tags: sql`select tag from order_tags where order_id = ${orderId} order by tag`,
      lines: linesSql(orderId),
      allocations: allocationsSql(orderId),
      fulfillment_orders: fulfillmentOrdersSql(orderId),
      shipments: shipmentsSql(orderId),
      payments: paymentsSql(orderId),
      events: timelineSql(orderId),
    },
    { prepare: true },
  );
  const [order] = sets.order;
  if (!order) return undefined;
  const c = order.currency;
  const holds = presentHolds(sets.holds);
  return {
    id: order.id,
    channel_id: order.channel_id,
    external_id: order.external_id,
    status: order.status,
    version: order.version,
    /** False: imported from a previous system as it was; Consign never routes, captures, cancels or changes it. */
    managed: order.managed,
    on_hold: holds.some((h) => h.released_at === null),
    tags: sets.tags.map((row) => row.tag),
    customer: order.customer,
    shipping_address: order.shipping_address,
    delivery_method: order.delivery_method,
    pickup_location_id: order.pickup_location_id,
    allow_ship_fallback: order.allow_ship_fallback,
    subtotal: money(order.subtotal_minor, c),
    discount: money(order.discount_minor, c),
    shipping: money(order.shipping_minor, c),
    tax: money(order.tax_minor, c),
    total: money(order.total_minor, c),
    // An imported order is shown as the previous system left it (ADR 0047).
    current_total: money(order.managed ? currentTotalMinor(sets.lines, order.shipping_minor) : order.total_minor, c),
    rules_version: order.rules_version,
    metadata: order.metadata,
    placed_at: toIso(order.placed_at),
    created_at: toIso(order.created_at),
    updated_at: toIso(order.updated_at),
    lines: presentLines(sets.lines, c, await promisesOf(executor, orderId, sets.lines)),
    ...presentFulfillment(sets.allocations, sets.fulfillment_orders),
    shipments: presentShipments(sets.shipments),
    ...presentMoney(sets.payments, order.total_minor),
    invoices: options.placedNow ? [] : await invoicesOfOrder(executor, orderId),
    holds,
    ...(options.placedNow ? NOTHING_RETURNED : await returnsOfOrder(executor, orderId)),
    notes: sets.events.filter((e) => e.type === 'order.note_added').map(noteOf),
    timeline: presentTimeline(sets.events),
    warnings: warningsOf(order),
  };
}

/**
 * What the order's caller should know and fix: a shipped order whose destination could not be
 * located (no coordinates, and a postal code Consign has no centroid for) was routed with every
 * distance counted as 0 km.
 */
function warningsOf(order: OrderRow): { code: string; detail: string }[] {
  if (order.delivery_method !== 'ship' || order.destination_latitude !== null) return [];
  const address = order.shipping_address as ShippingAddress | null;
  const detail = address
    ? `The delivery address (${addressLabel(address)}) could not be located: routing counted every location's distance as 0 km. Send the address's latitude and longitude, or import postal-code centroids for ${address.country} (\`consign geo import\`).`
    : "The order has no delivery address: routing counted every location's distance as 0 km.";
  return [{ code: 'destination_not_located', detail }];
}

const NOTHING_RETURNED: Awaited<ReturnType<typeof returnsOfOrder>> = {
  returns: [],
  linked_orders: [],
  linked_to: null,
};

export type OrderView = NonNullable<Awaited<ReturnType<typeof getOrder>>>;
