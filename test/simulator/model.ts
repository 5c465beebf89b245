/**
 * The lifecycle simulator's reference model: what a sequence of operations must have done to
 * orders, lines, stock, money and returns, written from PRODUCT.md, the README and ADRs 0002,
 * 0003 and 0006 (0047 for imported orders, 0048 for shadow orders) — not from Consign's code.
 * Routing's choice of location is Consign's to make: the model takes it from the API and checks
 * that it was allowed (an eligible location with the stock). Everything else is predicted. Pure:
 * no I/O here.
 */

export type OrderStatus =
  | 'created'
  | 'confirmed'
  | 'in_process'
  | 'partially_shipped'
  | 'shipped'
  | 'partially_delivered'
  | 'delivered'
  | 'cancelled';

export type FoStatus =
  | 'allocated'
  | 'accepted'
  | 'picking'
  | 'packed'
  | 'shipped'
  | 'delivered'
  | 'ready_for_pickup'
  | 'picked_up'
  | 'rejected'
  | 'cancelled';

export type ReturnStatus =
  'initiated' | 'authorized' | 'received' | 'restocked' | 'written_off' | 'refunded' | 'rejected' | 'cancelled';

/** PRODUCT.md's lifecycles, written out as the pairs a status may move between. */
export const orderLifecycle: Record<OrderStatus, OrderStatus[]> = {
  created: ['confirmed', 'in_process', 'partially_shipped', 'shipped', 'cancelled'],
  confirmed: ['created', 'in_process', 'cancelled'],
  in_process: ['created', 'confirmed', 'partially_shipped', 'shipped', 'delivered', 'cancelled'],
  partially_shipped: ['shipped', 'partially_delivered', 'delivered'],
  shipped: ['partially_delivered', 'delivered'],
  partially_delivered: ['delivered'],
  delivered: [],
  cancelled: [],
};

export const foLifecycle: Record<FoStatus, FoStatus[]> = {
  allocated: ['accepted', 'rejected', 'cancelled'],
  accepted: ['picking', 'rejected', 'cancelled'],
  picking: ['packed', 'rejected'],
  packed: ['shipped', 'ready_for_pickup'],
  shipped: ['delivered'],
  ready_for_pickup: ['picked_up'],
  delivered: [],
  picked_up: [],
  rejected: [],
  cancelled: [],
};

export const returnLifecycle: Record<ReturnStatus, ReturnStatus[]> = {
  initiated: ['authorized', 'rejected', 'cancelled'],
  authorized: ['received', 'cancelled'],
  received: ['restocked', 'written_off'],
  restocked: ['refunded'],
  written_off: ['refunded'],
  refunded: [],
  rejected: [],
  cancelled: [],
};

/** A product of the sequence: its own SKU, so sequences sharing a database never meet. */
export interface Product {
  sku: string;
  priceMinor: number;
  allowBackorder: boolean;
  /** A kit (ADR 0024): its components, units per kit. A kit has no stock of its own. */
  components?: { sku: string; quantity: number }[];
}

export interface Line {
  lineId: string;
  sku: string;
  quantity: number;
  priceMinor: number;
  /** The line's share of the order's discounts and taxes (ADR 0002). */
  discountMinor: number;
  taxMinor: number;
  /** The buckets: allocated + waiting + cancelled + shipped = quantity. */
  allocated: number;
  waiting: number;
  cancelled: number;
  shipped: number;
  delivered: number;
  returnRequested: number;
  returned: number;
  /** Units refunded (or settled by an exchange) so far: refunds number units in this order. */
  refunded: number;
  /** Units on invoices: billed by shipments, or ahead of shipping by an invoice of money captured up front. */
  invoiced: number;
  /** A replacement line: what earlier orders were paid for its units (ADR 0011), in the order they were settled. */
  credits: Credit[];
  /** A replacement line: the line it stands for (an exchange's: the return line; a reship's: the line reshipped). */
  origin: { returnId: string | null; orderId: string; lineId: string } | null;
  /** The location the order names for the line: its units are placed and shipped there only. */
  shipFrom: string | null;
}

/** Money paid on an earlier order for units `[from, from + units)` of a replacement line. */
export interface Credit {
  from: number;
  units: number;
  orderId: string;
  lineId: string;
  amountMinor: number;
}

/** Money of some units held by one order (on one of its lines). */
export interface Part {
  orderId: string;
  lineId: string;
  amountMinor: number;
}

export interface Allocation {
  lineId: string;
  sku: string;
  locationId: string;
  quantity: number;
  foId: string | null;
}

export interface Fo {
  id: string;
  locationId: string;
  method: 'ship' | 'pickup' | 'curbside';
  status: FoStatus;
  pickupCode: string | null;
}

export interface Shipment {
  id: string;
  foId: string;
  locationId: string;
  delivered: boolean;
  lines: { lineId: string; quantity: number }[];
}

export type HoldKind = 'payment' | 'fraud' | 'manual' | 'review' | 'routing';

export interface Money {
  totalMinor: number;
  shippingMinor: number;
  authorizedMinor: number;
  capturedMinor: number;
  voidedMinor: number;
  refundedMinor: number;
  /** Shipping goes with the first shipment charged. */
  shippingCaptured: boolean;
  /** Shipped and invoiced but not captured: the authorization did not cover it (the invoices' amount due). */
  uncollectedMinor: number;
  /** Shipping given back by return refunds (at most once per order). */
  shippingRefundedMinor: number;
  /**
   * What the authorization fell short of the total at placement. A change moves the total and
   * the authorization together (an extra authorization, or a void of the difference), and a
   * cancellation voids its units' value, so the shortfall stays what it was.
   */
  shortMinor: number;
  /** Captured up front by an automation's `capture` (not by shipments), and what cancellations gave back of it. */
  upFrontMinor: number;
  cancelRefundedMinor: number;
  /** Refunded by cheaper order changes (money captured up front cannot be voided). */
  changeRefundedMinor: number;
  /** Money captured up front that no invoice lists yet. */
  upFrontUninvoicedMinor: number;
}

/** What a previous system's record said of an order imported as it was (ADR 0047). */
export interface Imported {
  /** The record's `placed_at`: a routing simulation replays the order when its period holds it. */
  placedAt: string;
  /** Refunds the previous system recorded: Consign issued no credit memo for them. */
  refundedMinor: number;
}

export interface Order {
  id: string;
  externalId: string;
  origin: 'order' | 'exchange' | 'reship' | 'subscription';
  /**
   * False for an order imported as it was (ADR 0047): Consign never routes, captures, cancels,
   * changes or holds it, and never derives its status; its status and units stay as imported.
   */
  managed: boolean;
  /** An imported order: what its record said. Null for the orders Consign placed. */
  imported: Imported | null;
  /** The order an exchange or reship was made for. */
  linkedTo: string | null;
  method: 'ship' | 'pickup' | 'curbside';
  pickupLocationId: string | null;
  status: OrderStatus;
  lines: Line[];
  /** Reserved allocations only (what still holds stock). */
  allocations: Allocation[];
  fos: Fo[];
  shipments: Shipment[];
  holds: HoldKind[];
  /** Locations that rejected work of this order: never offered it again. */
  rejectedAt: string[];
  money: Money;
}

export interface ReturnLine {
  lineId: string;
  sku: string;
  quantity: number;
  received: number;
  restocked: number;
  refunded: number;
  exchange: { sku: string; priceMinor: number } | null;
}

export interface Return {
  id: string;
  orderId: string;
  status: ReturnStatus;
  lines: ReturnLine[];
  exchangeOrderId: string | null;
}

export interface CartHold {
  id: string;
  status: 'held' | 'committed' | 'released';
  lines: { sku: string; locationId: string; quantity: number }[];
}

/**
 * An order of the shadow channel (ADR 0048): decided only. It has no order row, reserves nothing
 * and writes no event; its answer is kept to be replayed.
 */
export interface ShadowOrder {
  id: string;
  externalId: string;
  decision: 'allocated' | 'partially_allocated' | 'rejected';
}

export interface Level {
  onHand: number;
  reserved: number;
}

export interface Location {
  id: string;
  code: string;
  capabilities: string[];
  inGroup: boolean;
}

export interface Model {
  products: Product[];
  locations: Location[];
  /** `${location}|${sku}` → the level the model expects. */
  stock: Map<string, Level>;
  orders: Order[];
  returns: Return[];
  holds: CartHold[];
  shadows: ShadowOrder[];
}

export const levelKey = (locationId: string, sku: string) => `${locationId}|${sku}`;

export function level(model: Model, locationId: string, sku: string): Level {
  const key = levelKey(locationId, sku);
  let found = model.stock.get(key);
  if (!found) {
    found = { onHand: 0, reserved: 0 };
    model.stock.set(key, found);
  }
  return found;
}

/** What one unit of a SKU takes from stock: a kit its components, anything else itself. */
export const unitsOf = (model: Model, sku: string) =>
  model.products.find((p) => p.sku === sku)?.components ?? [{ sku, quantity: 1 }];

/** The products that have stock levels of their own (not kits). */
export const stockedProducts = (model: Model) => model.products.filter((p) => !p.components);

/** Available units at a location; a kit's are the whole kits its components make there. */
export const available = (model: Model, locationId: string, sku: string): number =>
  Math.min(
    ...unitsOf(model, sku).map((c) => {
      const l = level(model, locationId, c.sku);
      return Math.floor((l.onHand - l.reserved) / c.quantity);
    }),
  );

/** Moves the stock of `units` of a SKU: a kit's on its components (units × units per kit), each level its own. */
export function moveStock(model: Model, locationId: string, sku: string, onHand: number, reserved: number): void {
  for (const c of unitsOf(model, sku)) {
    const l = level(model, locationId, c.sku);
    l.onHand += onHand * c.quantity;
    l.reserved += reserved * c.quantity;
  }
}

export const product = (model: Model, sku: string) => {
  const found = model.products.find((p) => p.sku === sku);
  if (!found) throw new Error(`the model has no product ${sku}`);
  return found;
};

export const orderById = (model: Model, id: string) => {
  const found = model.orders.find((o) => o.id === id);
  if (!found) throw new Error(`the model has no order ${id}`);
  return found;
};

/**
 * A line total (discount or tax) shared over its units: each unit gets the floor, and the minor
 * units left over go one each to the first units. The share of units [from, from + count).
 */
export function shareOfUnits(totalMinor: number, quantity: number, from: number, count: number): number {
  const units: number[] = [];
  const base = Math.floor(totalMinor / quantity);
  let left = totalMinor - base * quantity;
  for (let i = 0; i < quantity; i++) {
    units.push(base + (left > 0 ? 1 : 0));
    if (left > 0) left--;
  }
  return units.slice(from, from + count).reduce((a, b) => a + b, 0);
}

/** What units [from, from + count) of a line cost the customer: price less discount plus tax. */
export function unitsValue(line: Line, from: number, count: number): number {
  return (
    line.priceMinor * count -
    shareOfUnits(line.discountMinor, line.quantity, from, count) +
    shareOfUnits(line.taxMinor, line.quantity, from, count)
  );
}

/** The status an order's lines and holds imply (PRODUCT.md: statuses are derived from the facts). */
export function expectedStatus(order: Order): OrderStatus {
  const live = order.lines.filter((l) => l.quantity > l.cancelled);
  if (live.length === 0) return 'cancelled';
  const open = live.reduce((n, l) => n + l.quantity - l.cancelled, 0);
  const shipped = live.reduce((n, l) => n + l.shipped, 0);
  const delivered = live.reduce((n, l) => n + l.delivered, 0);
  if (delivered === open) return 'delivered';
  if (shipped === open) return delivered > 0 ? 'partially_delivered' : 'shipped';
  if (shipped > 0) return 'partially_shipped';
  if (order.holds.length > 0) return 'created';
  return live.some((l) => l.allocated > 0) ? 'in_process' : 'confirmed';
}

/** Units not yet shipped nor cancelled, per line: what the order still owes the customer. */
export const openUnits = (line: Line) => line.quantity - line.cancelled - line.shipped;

/** What is still to be charged: every open unit at its value (units ship in order), and shipping if not yet charged. */
export function remainingDue(order: Order): number {
  const lines = order.lines.reduce((n, l) => n + unitsValue(l, l.shipped, openUnits(l)), 0);
  const open = order.lines.reduce((n, l) => n + openUnits(l), 0);
  return lines + (open > 0 && !order.money.shippingCaptured ? order.money.shippingMinor : 0);
}

/** Locations that may take this order's units now. */
export function eligibleLocations(model: Model, order: Order, exclude: string[]): Location[] {
  return model.locations.filter((loc) => {
    if (!loc.inGroup || order.rejectedAt.includes(loc.id) || exclude.includes(loc.id)) return false;
    if (order.method === 'ship') return loc.capabilities.includes('ship');
    return loc.id === order.pickupLocationId;
  });
}

/**
 * Whether routing can place the order's waiting units, and how many of each line would still
 * wait: a line of a product that may be back-ordered takes what the eligible locations have; any
 * other line needs all its units (a pickup: all at the store), or nothing is placed. Lines share
 * stock: a kit's units are whole kits at one location each, and a kit and a line of one of its
 * components (docs/bundles.md) are placed together only when, for every component, the eligible
 * locations hold the kits' units of it and the plain line's together. A line naming its
 * ship-from location counts that location's stock only (the simulator names one only for a line
 * sharing no SKU with the order's other line).
 */
export function routingOutcome(
  model: Model,
  order: Order,
  exclude: string[],
): { placeable: boolean; waitingAfter: Map<string, number> } {
  const eligible = eligibleLocations(model, order, exclude);
  const waitingAfter = new Map<string, number>();
  let placeable = true;
  for (const line of order.lines.filter((l) => l.waiting > 0)) {
    // A line naming its location takes from there only (nothing when it is not eligible).
    const from = line.shipFrom === null ? eligible : eligible.filter((loc) => loc.id === line.shipFrom);
    const stock = from.reduce((n, loc) => n + Math.max(0, available(model, loc.id, line.sku)), 0);
    const backorder = product(model, line.sku).allowBackorder && order.method === 'ship';
    if (stock >= line.waiting) waitingAfter.set(line.lineId, 0);
    else if (backorder) waitingAfter.set(line.lineId, line.waiting - stock);
    else placeable = false;
  }
  const need = new Map<string, number>();
  for (const line of order.lines.filter((l) => l.waiting > 0 && !product(model, l.sku).allowBackorder))
    for (const c of unitsOf(model, line.sku)) need.set(c.sku, (need.get(c.sku) ?? 0) + line.waiting * c.quantity);
  for (const [sku, units] of need) {
    const stock = eligible.reduce((n, loc) => n + Math.max(0, available(model, loc.id, sku)), 0);
    if (stock < units) placeable = false;
  }
  return { placeable, waitingAfter };
}

/** The shares of a replacement line's credits carried by its units [from, from + count), one part per paying order and line. */
export function creditParts(credits: Credit[], from: number, count: number): Part[] {
  const parts: Part[] = [];
  for (const c of credits) {
    const start = Math.max(from, c.from);
    const end = Math.min(from + count, c.from + c.units);
    if (end <= start) continue;
    const share = shareOfUnits(c.amountMinor, c.units, start - c.from, end - start);
    const same = parts.find((p) => p.orderId === c.orderId && p.lineId === c.lineId);
    if (same) same.amountMinor += share;
    else parts.push({ orderId: c.orderId, lineId: c.lineId, amountMinor: share });
  }
  return parts;
}

/** Units of a replacement line whose credits are settled. */
export const settledUnits = (line: Line) => line.credits.reduce((n, c) => Math.max(n, c.from + c.units), 0);

/** Units of a line sent again by reships and not cancelled there: reships are capped by what shipped less these. */
export const reshippedUnits = (model: Model, orderId: string, lineId: string) =>
  model.orders
    .filter((o) => o.origin === 'reship' && o.linkedTo === orderId)
    .flatMap((o) => o.lines)
    .filter((l) => l.origin?.lineId === lineId)
    .reduce((n, l) => n + l.quantity - l.cancelled, 0);
