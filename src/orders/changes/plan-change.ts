import { allocateProportionally } from '../../shared/proportional.ts';
import { problem, type Problem } from '../../shared/problem.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import type { ShippingAddress } from '../schemas.ts';
import type { ChangeAction } from './schemas.ts';
import { grownMoney, lineDue, versionTotals, type LineMoney, type VersionTotals } from './totals.ts';

/**
 * Plans a change against the order as it is now: every action is checked and applied to a
 * copy of the lines in memory, so that a change that cannot apply is refused before anything
 * is written or any gateway is called. Pure.
 */

/** Where a line's open units are: what a change may take back, and what it may not. */
export interface LinePlacement {
  /** Reserved units whose work has not started (no fulfillment order, or one not yet accepted). */
  changeable: number;
  /** Units in fulfillment orders a location accepted or is picking: released only on request. */
  started: number;
  /** Units packed or ready for pickup. */
  locked: number;
}

export interface LineNow extends LineMoney {
  line_id: string;
  line_no: number;
  sku: string;
  name: string | null;
  shipped: number;
  backordered: number;
  allocated: number;
}

export interface OrderNow {
  currency: string;
  status: string;
  shipping_minor: number;
  delivery_method: string;
  pickup_location_id: string | null;
  has_shipping_address: boolean;
  /** Whether any unit has shipped (the shipping charge went with the first shipment). */
  shipped_any: boolean;
}

export interface PlannedLine extends LineNow {
  is_new: boolean;
  /** Units added to an existing line (they wait for routing). */
  grown: number;
  /** Units of an existing line to cancel (back-ordered first, then changeable ones). */
  cancel: number;
  /** Set when the line's money changed. */
  money_changed: boolean;
}

export interface ChangePlan {
  lines: PlannedLine[];
  shippingMinor: number;
  shippingAddress: ShippingAddress | undefined;
  deliveryMethod: { delivery_method: string; pickup_location_id: string | null } | undefined;
  /** Every open unit is routed again (a new address or delivery method). */
  reroute: boolean;
  before: VersionTotals;
  after: VersionTotals;
  deltaMinor: number;
  /** Fulfillment orders a location must release before the change can apply. */
  releaseNeeded: string[];
}

export interface PlanContext {
  order: OrderNow;
  lines: LineNow[];
  placements: Map<string, LinePlacement & { startedFulfillmentOrders: string[] }>;
  /** Active catalogue SKUs among those the actions add. */
  skus: Set<string>;
  /** Locations that can take pickups, among those the actions name. */
  pickupLocations: Set<string>;
}

/** Statuses an order never leaves backwards: a change could only make them untrue. */
const CLOSED = ['cancelled', 'shipped', 'partially_delivered', 'delivered'];

type Step = Result<void>;
const done: Step = ok(undefined);
const at = (i: number, detail: string, code: Problem['code'] = 'invalid_change', extra: Record<string, unknown> = {}) =>
  fail(
    problem(code, detail, { errors: [{ pointer: i < 0 ? '/actions' : `/actions/${i}`, message: detail }], ...extra }),
  );

export function planChange(context: PlanContext, actions: ChangeAction[]): Result<ChangePlan> {
  const { order } = context;
  if (CLOSED.includes(order.status))
    return fail(problem('illegal_transition', `The order is ${order.status}; it can no longer be changed.`));
  const state: State = {
    context,
    lines: context.lines.map((l) => ({ ...l, is_new: false, grown: 0, cancel: 0, money_changed: false })),
    placements: new Map([...context.placements].map(([k, v]) => [k, { ...v }])),
    shippingMinor: order.shipping_minor,
    shippingAddress: undefined,
    deliveryMethod: undefined,
    hasAddress: order.has_shipping_address,
    reroute: false,
    release: new Set(),
  };
  for (const [i, action] of actions.entries()) {
    const step = apply(state, action, i);
    if (!step.ok) return step;
  }
  if (state.reroute) {
    const step = rerouteAll(state);
    if (!step.ok) return step;
  }
  for (const [i, line] of state.lines.entries()) {
    const due = lineDue(line);
    if (due.subtotalMinor - due.discountMinor < 0)
      return fail(
        problem(
          'negative_total',
          `Line ${line.line_id} would cost less than nothing: its discount exceeds its price.`,
          {
            errors: [{ pointer: `/lines/${i}`, message: 'discount exceeds the line subtotal' }],
          },
        ),
      );
  }
  const before = versionTotals(context.lines, order.shipping_minor);
  const after = versionTotals(state.lines, state.shippingMinor);
  if (after.totalMinor < 0) return fail(problem('negative_total', 'The change would make the order total negative.'));
  return ok({
    lines: state.lines,
    shippingMinor: state.shippingMinor,
    shippingAddress: state.shippingAddress,
    deliveryMethod: state.deliveryMethod,
    reroute: state.reroute,
    before,
    after,
    deltaMinor: after.totalMinor - before.totalMinor,
    releaseNeeded: [...state.release].sort(),
  });
}

interface State {
  context: PlanContext;
  lines: PlannedLine[];
  placements: Map<string, LinePlacement & { startedFulfillmentOrders: string[] }>;
  shippingMinor: number;
  shippingAddress: ShippingAddress | undefined;
  deliveryMethod: ChangePlan['deliveryMethod'];
  hasAddress: boolean;
  reroute: boolean;
  release: Set<string>;
}

function apply(state: State, action: ChangeAction, i: number): Step {
  const currency = state.context.order.currency;
  const moneys = Object.values(action).filter(
    (v): v is { amount: number; currency: string } => typeof v === 'object' && v !== null && 'currency' in v,
  );
  const other = moneys.find((m) => m.currency !== currency);
  if (other) return at(i, `The order is in ${currency}, not ${other.currency}.`);
  switch (action.type) {
    case 'add_line':
      return addLine(state, action, i);
    case 'remove_line':
    case 'change_quantity':
      return changeQuantity(state, action.line_id, action.type === 'remove_line' ? 0 : action.quantity, i);
    case 'change_price':
      return changePrice(state, action, i);
    case 'add_discount':
    case 'remove_discount':
      return changeDiscount(state, action.type === 'add_discount' ? action.amount.amount : -action.amount.amount, i);
    case 'set_shipping':
      if (state.context.order.shipped_any && action.amount.amount !== state.shippingMinor)
        return at(i, 'The shipping charge was collected with the first shipment.', 'shipping_charged');
      state.shippingMinor = action.amount.amount;
      return done;
    case 'change_shipping_address':
      state.shippingAddress = action.shipping_address;
      state.hasAddress = true;
      state.reroute = true;
      return done;
    case 'change_delivery_method':
      return changeMethod(state, action, i);
  }
}

function lineOf(state: State, lineId: string, i: number): Result<PlannedLine> {
  const line = state.lines.find((l) => l.line_id === lineId);
  if (!line) return at(i, `The order has no line ${lineId}.`, 'unknown_reference');
  return ok(line);
}

function addLine(state: State, action: Extract<ChangeAction, { type: 'add_line' }>, i: number): Step {
  if (!state.context.skus.has(action.sku))
    return at(i, `SKU ${action.sku} is not in the catalogue (or inactive).`, 'unknown_sku');
  const lineId = action.line_id ?? nextLineId(state.lines);
  if (state.lines.some((l) => l.line_id === lineId)) return at(i, `The order already has a line ${lineId}.`);
  const discount = action.discount?.amount ?? 0;
  if (discount > action.unit_price.amount * action.quantity)
    return at(i, `The line's discount ${discount} exceeds its subtotal.`, 'negative_total');
  state.lines.push({
    line_id: lineId,
    line_no: Math.max(0, ...state.lines.map((l) => l.line_no)) + 1,
    sku: action.sku,
    name: action.name ?? null,
    quantity: action.quantity,
    cancelled: 0,
    shipped: 0,
    backordered: action.quantity,
    allocated: 0,
    unit_price_minor: action.unit_price.amount,
    discount_minor: discount,
    tax_minor: action.tax?.amount ?? 0,
    is_new: true,
    grown: 0,
    cancel: 0,
    money_changed: true,
  });
  state.placements.set(lineId, { changeable: 0, started: 0, locked: 0, startedFulfillmentOrders: [] });
  return done;
}

function nextLineId(lines: PlannedLine[]): string {
  for (let n = lines.length + 1; ; n++) if (!lines.some((l) => l.line_id === `L${n}`)) return `L${n}`;
}

function changeQuantity(state: State, lineId: string, wanted: number, i: number): Step {
  const found = lineOf(state, lineId, i);
  if (!found.ok) return found;
  const line = found.value;
  const live = line.quantity - line.cancelled;
  if (wanted > live) {
    const units = wanted - live;
    Object.assign(line, grownMoney(line, units));
    line.backordered += units;
    if (line.is_new) line.money_changed = true;
    else line.grown += units;
    return done;
  }
  const take = live - wanted;
  if (wanted < line.shipped)
    return at(i, `${line.shipped} units of line ${lineId} have shipped; return them instead.`, 'line_shipped', {
      line_id: lineId,
      shipped: line.shipped,
    });
  return takeUnits(state, line, take, i, 'cancel');
}

/**
 * Takes open units off a line: back-ordered units first (when cancelling), then reserved units
 * whose work has not started. Units a location has started on need its release; packed ones
 * cannot be taken.
 */
function takeUnits(state: State, line: PlannedLine, take: number, i: number, into: 'cancel' | 'reroute'): Step {
  const placement = state.placements.get(line.line_id)!;
  let left = take;
  if (into === 'cancel') {
    const fromWaiting = Math.min(left, line.backordered);
    line.backordered -= fromWaiting;
    left -= fromWaiting;
  }
  const fromChangeable = Math.min(left, placement.changeable);
  placement.changeable -= fromChangeable;
  left -= fromChangeable;
  if (left > 0 && placement.started > 0) {
    for (const fo of placement.startedFulfillmentOrders) state.release.add(fo);
    const fromStarted = Math.min(left, placement.started);
    placement.started -= fromStarted;
    left -= fromStarted;
  }
  if (left > 0)
    return at(
      i,
      `${left} units of line ${line.line_id} are packed or ready for pickup and can no longer change.`,
      'line_in_fulfillment',
      { line_id: line.line_id },
    );
  if (into === 'cancel') {
    line.cancelled += take;
    line.cancel += take;
  }
  return done;
}

function changePrice(state: State, action: Extract<ChangeAction, { type: 'change_price' }>, i: number): Step {
  const found = lineOf(state, action.line_id, i);
  if (!found.ok) return found;
  const line = found.value;
  if (line.shipped > 0)
    return at(i, `Line ${line.line_id} has shipped units; its price can no longer change.`, 'line_shipped', {
      line_id: line.line_id,
      shipped: line.shipped,
    });
  line.unit_price_minor = action.unit_price.amount;
  if (action.tax) {
    if (line.cancelled > 0)
      return at(i, `Line ${line.line_id} has cancelled units; its tax is for all its units and cannot be set.`);
    line.tax_minor = action.tax.amount;
  }
  line.money_changed = true;
  return done;
}

/** Spreads a discount over (or takes one back from) the lines whose every unit is still open. */
function changeDiscount(state: State, amountMinor: number, i: number): Step {
  const open = state.lines.filter((l) => l.shipped === 0 && l.cancelled === 0);
  if (open.length === 0)
    return at(i, 'No line can take a discount any more: every line has shipped or cancelled units.');
  if (amountMinor >= 0) {
    const shares = allocateProportionally(
      amountMinor,
      open.map((l) => l.unit_price_minor * l.quantity - l.discount_minor),
    );
    open.forEach((l, k) => {
      l.discount_minor += shares[k]!;
      l.money_changed = true;
    });
    return done;
  }
  const available = open.reduce((n, l) => n + l.discount_minor, 0);
  if (-amountMinor > available)
    return at(i, `Only ${available} of discount is on lines that can still change; cannot remove ${-amountMinor}.`);
  const shares = allocateProportionally(
    -amountMinor,
    open.map((l) => l.discount_minor),
  );
  open.forEach((l, k) => {
    l.discount_minor -= shares[k]!;
    l.money_changed = true;
  });
  return done;
}

function changeMethod(
  state: State,
  action: Extract<ChangeAction, { type: 'change_delivery_method' }>,
  i: number,
): Step {
  const pickup = action.delivery_method !== 'ship';
  if (pickup && !action.pickup_location_id)
    return at(i, `A ${action.delivery_method} order needs a pickup_location_id.`);
  if (!pickup && action.pickup_location_id) return at(i, 'A shipped order has no pickup location.');
  if (pickup && !state.context.pickupLocations.has(action.pickup_location_id!))
    return at(i, `Location ${action.pickup_location_id} does not take pickups.`, 'unknown_location');
  if (!pickup && !state.hasAddress) return at(i, 'Shipping needs a shipping address: change it in the same change.');
  state.deliveryMethod = {
    delivery_method: action.delivery_method,
    pickup_location_id: action.pickup_location_id ?? null,
  };
  state.reroute = true;
  return done;
}

/** A new destination: every reserved unit whose work can be taken back is routed again. */
function rerouteAll(state: State): Step {
  for (const line of state.lines) {
    const placement = state.placements.get(line.line_id)!;
    const open = placement.changeable + placement.started + placement.locked;
    if (open === 0) continue;
    const step = takeUnits(state, line, open, -1, 'reroute');
    if (!step.ok) return step;
  }
  return done;
}
