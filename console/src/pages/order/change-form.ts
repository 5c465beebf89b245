import type { Order, OrderLine } from '../../api/types.ts';
import { fromMinor, toMinor } from '../../ui/format.ts';

/**
 * What the user has typed in the edit form. Only touched fields are kept, so an untouched field
 * follows the order when it is loaded again (after a concurrent change) instead of undoing it.
 */
export interface LineEdit {
  quantity?: string;
  price?: string;
  priceReason?: string;
  remove?: boolean;
}

export interface NewLine {
  sku: string;
  name: string;
  quantity: number;
  price: string;
}

export interface DiscountEdit {
  kind: 'add_discount' | 'remove_discount';
  code: string;
  amount: string;
}

export interface AddressForm {
  name: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postal_code: string;
  country: string;
}

export interface ChangeForm {
  lines: Record<string, LineEdit>;
  added: NewLine[];
  address?: AddressForm;
  delivery?: { method: 'ship' | 'pickup' | 'curbside'; pickupLocationId: string };
  discounts: DiscountEdit[];
  shipping?: string;
}

export const emptyForm = (): ChangeForm => ({ lines: {}, added: [], discounts: [] });

/** The units of a line the customer still wants: what a new quantity replaces. */
export const liveUnits = (line: OrderLine) => line.quantities.ordered - line.quantities.cancelled;

/** Why a line's price cannot change or the line cannot be removed: units of it have left. */
export function lineLock(line: OrderLine): string | null {
  const { shipped } = line.quantities;
  if (shipped === 0) return null;
  return shipped >= liveUnits(line)
    ? `Locked: all ${shipped} unit(s) shipped`
    : `Locked: ${shipped} unit(s) shipped, so the price stays and at least ${shipped} remain`;
}

/** The shipping charge is set until the first shipment leaves. */
export const shippingLock = (order: Order) =>
  order.lines.some((l) => l.quantities.shipped > 0) ? 'Locked: the first shipment has left' : null;

export const addressOf = (order: Order): AddressForm => {
  const a = order.shipping_address ?? {};
  const text = (key: string) => (typeof a[key] === 'string' ? (a[key] as string) : '');
  return {
    name: text('name'),
    line1: text('line1'),
    line2: text('line2'),
    city: text('city'),
    region: text('region'),
    postal_code: text('postal_code'),
    country: text('country') || 'US',
  };
};

const compact = (address: AddressForm) =>
  Object.fromEntries(Object.entries(address).filter(([, value]) => value.trim() !== ''));

const money = (amount: number, order: Order) => ({ amount, currency: order.total.currency });

function lineActions(order: Order, form: ChangeForm): object[] {
  const actions: object[] = [];
  for (const line of order.lines) {
    const edit = form.lines[line.line_id];
    if (!edit) continue;
    const locked = lineLock(line) !== null;
    if (edit.remove && !locked && liveUnits(line) > 0) {
      actions.push({ type: 'remove_line', line_id: line.line_id });
      continue;
    }
    const quantity = edit.quantity === undefined ? liveUnits(line) : Number(edit.quantity);
    if (quantity !== liveUnits(line))
      actions.push(
        quantity === 0
          ? { type: 'remove_line', line_id: line.line_id }
          : { type: 'change_quantity', line_id: line.line_id, quantity },
      );
    const price = edit.price === undefined ? line.unit_price.amount : toMinor(edit.price, order.total.currency);
    if (!locked && price !== line.unit_price.amount)
      actions.push({
        type: 'change_price',
        line_id: line.line_id,
        unit_price: money(price, order),
        reason: edit.priceReason?.trim() ?? '',
      });
  }
  return actions;
}

function deliveryActions(order: Order, form: ChangeForm): object[] {
  const actions: object[] = [];
  if (form.address) actions.push({ type: 'change_shipping_address', shipping_address: compact(form.address) });
  const d = form.delivery;
  const moved = d && (d.method !== order.delivery_method || d.pickupLocationId !== (order.pickup_location_id ?? ''));
  if (d && moved)
    actions.push(
      d.method === 'ship'
        ? { type: 'change_delivery_method', delivery_method: 'ship' }
        : { type: 'change_delivery_method', delivery_method: d.method, pickup_location_id: d.pickupLocationId },
    );
  return actions;
}

/** The change's actions: what differs between the form and the order as it is now. */
export function actionsOf(order: Order, form: ChangeForm): object[] {
  const shipping = form.shipping === undefined ? undefined : toMinor(form.shipping, order.total.currency);
  return [
    ...lineActions(order, form),
    ...form.added.map((l) => ({
      type: 'add_line',
      sku: l.sku,
      ...(l.name ? { name: l.name } : {}),
      quantity: l.quantity,
      unit_price: money(toMinor(l.price, order.total.currency), order),
    })),
    ...deliveryActions(order, form),
    ...form.discounts.map((d) => ({
      type: d.kind,
      ...(d.code ? { code: d.code } : {}),
      amount: money(toMinor(d.amount, order.total.currency), order),
    })),
    ...(shipping !== undefined && shipping !== order.shipping.amount && !shippingLock(order)
      ? [{ type: 'set_shipping', amount: money(shipping, order) }]
      : []),
  ];
}

/** A money field's text as the order shows it (12.50 for 1250 cents). */
export const moneyText = (order: Order, amountMinor: number) => fromMinor(amountMinor, order.total.currency);
