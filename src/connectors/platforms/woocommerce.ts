import { idText } from '../json.ts';
import {
  addressFrom,
  arr,
  authorization,
  compact,
  joinName,
  obj,
  Reader,
  sum,
  text,
  timestamp,
  type Json,
  type MapContext,
  type MapOutcome,
} from '../mapping.ts';

/** Order statuses in which WooCommerce has the payment (or the merchant accepted it). */
const FUNDED = new Set(['processing', 'completed', 'on-hold']);
const PICKUP_METHODS = new Set(['local_pickup', 'pickup_location']);

const wooAddress = (value: unknown) =>
  addressFrom(value, {
    name: ['first_name', 'last_name'],
    line1: 'address_1',
    line2: 'address_2',
    city: 'city',
    region: ['state'],
    postal: 'postcode',
    country: 'country',
    phone: 'phone',
  });

function wooLines(o: Json, r: Reader) {
  return arr(o.line_items).map((value, i) => {
    const li = obj(value);
    const at = `/line_items/${i}`;
    const quantity = r.quantity(`${at}/quantity`, li.quantity);
    return compact({
      line_id: r.required(`${at}/id`, idText(li.id), 'line item id'),
      sku: r.item(`${at}/sku`, text(li.sku, 100), {
        productId: idText(li.product_id),
        variantId: idText(li.variation_id),
      }),
      name: text(li.name, 300),
      quantity,
      // `subtotal` is the line before coupons, excluding tax; `price` is a float and not used.
      unit_price: r.unitPrice(`${at}/subtotal`, li.subtotal, quantity),
    });
  });
}

function pickupCandidates(line: Json): (string | undefined)[] {
  const meta = arr(line.meta_data).map(obj);
  const named = (key: string) => text(meta.find((m) => m.key === key)?.value);
  return [named('pickup_location'), named('_pickup_location_id'), idText(line.instance_id)];
}

/** A WooCommerce REST v3 order (or its `order.created` webhook body) → the canonical order. */
export function mapWooOrder(payload: unknown, ctx: MapContext): MapOutcome {
  const o = obj(payload);
  const r = new Reader('/currency', text(o.currency));
  const externalId = r.required('/id', idText(o.id), 'order id');
  const shippingLines = arr(o.shipping_lines).map(obj);
  const pickupLine = shippingLines.find((s) => PICKUP_METHODS.has(text(s.method_id) ?? ''));
  const billing = obj(o.billing);
  const total = r.money('/total', o.total);
  const discount = r.money('/discount_total', o.discount_total, true);
  // Fees (`fee_lines`, ex tax; their tax is in `tax_lines`): charges join shipping, negative fees are discounts.
  const fees = arr(o.fee_lines).map((f, i) => r.minor(`/fee_lines/${i}/total`, obj(f).total));
  const charges = fees.filter((f) => f > 0).reduce((n, f) => n + f, 0);
  discount.amount -= fees.filter((f) => f < 0).reduce((n, f) => n + f, 0);
  const codes = arr(o.coupon_lines)
    .map((c) => text(obj(c).code))
    .filter(Boolean);
  const order = {
    channel: ctx.channel,
    external_id: externalId,
    placed_at: timestamp(o.date_created_gmt) ?? timestamp(o.date_created),
    customer: compact({
      id: typeof o.customer_id === 'number' && o.customer_id > 0 ? String(o.customer_id) : undefined,
      email: text(billing.email, 254),
      name: joinName(billing.first_name, billing.last_name),
      phone: text(billing.phone, 40),
    }),
    lines: wooLines(o, r),
    ...(pickupLine
      ? {
          delivery_method: 'pickup' as const,
          pickup_location_id: r.pickupLocation(
            `/shipping_lines/${shippingLines.indexOf(pickupLine)}`,
            ctx,
            pickupCandidates(pickupLine),
          ),
        }
      : { delivery_method: 'ship' as const, shipping_address: wooAddress(o.shipping) ?? wooAddress(o.billing) }),
    shipping: sum(
      [
        ...shippingLines.map((s, i) => r.money(`/shipping_lines/${i}/total`, s.total)),
        { amount: charges, currency: r.currency },
      ],
      r.currency,
    ),
    discounts: discount.amount > 0 ? [compact({ code: codes.join(',') || undefined, amount: discount })] : undefined,
    taxes: arr(o.tax_lines).map((value, i) => {
      const t = obj(value);
      const items = r.minor(`/tax_lines/${i}/tax_total`, t.tax_total, true);
      const onShipping = r.minor(`/tax_lines/${i}/shipping_tax_total`, t.shipping_tax_total, true);
      return compact({
        name: text(t.label ?? t.rate_code, 100),
        amount: { amount: items + onShipping, currency: r.currency },
      });
    }),
    total,
    payments: FUNDED.has(text(o.status) ?? '')
      ? authorization(total, `woocommerce:${text(o.payment_method) ?? 'unknown'}`, text(o.transaction_id))
      : undefined,
    metadata: compact({
      platform: 'woocommerce',
      platform_order_id: externalId,
      platform_order_number: text(o.number),
      platform_status: text(o.status),
      fees_minor: fees.length > 0 ? fees : undefined,
    }),
  };
  return r.finish(compact(order));
}
