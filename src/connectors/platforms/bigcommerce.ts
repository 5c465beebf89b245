import { idText } from '../json.ts';
import {
  addressFrom,
  arr,
  authorization,
  compact,
  deliveryGroups,
  joinName,
  obj,
  Reader,
  text,
  timestamp,
  type MapContext,
  type MapOutcome,
} from '../mapping.ts';

const FUNDED = new Set(['authorized', 'captured', 'paid', 'partially refunded']);

const bigcommerceAddress = (value: unknown) =>
  addressFrom(value, {
    name: ['first_name', 'last_name'],
    line1: 'street_1',
    line2: 'street_2',
    city: 'city',
    region: ['state'],
    postal: 'zip',
    country: 'country_iso2',
    phone: 'phone',
  });

/**
 * A BigCommerce v2 order with its sub-resources embedded as the API returns them: `products`
 * (GET /v2/orders/{id}/products) and `shipping_addresses` (GET /v2/orders/{id}/shipping_addresses)
 * as arrays in place of their `{url, resource}` links. Amounts excluding tax; see the mapping doc.
 */
export function mapBigCommerceOrder(payload: unknown, ctx: MapContext): MapOutcome {
  const o = obj(payload);
  const r = new Reader('/currency_code', text(o.currency_code) ?? text(o.default_currency_code));
  const externalId = r.required('/id', idText(o.id), 'order id');
  if (!Array.isArray(o.products)) r.fail('/products', 'embed the order products (an array), not the link');
  const addresses = arr(o.shipping_addresses).map(obj);
  const pickup = obj(arr(obj(arr(o.consignments)[0]).pickups)[0]);
  const pickupId = idText(obj(pickup.location).id ?? pickup.location_id);
  const billing = obj(o.billing_address);
  const total = r.money('/total_inc_tax', o.total_inc_tax);
  const discount = r.money('/discount_amount', o.discount_amount, true);
  const shipping =
    r.minor('/shipping_cost_ex_tax', o.shipping_cost_ex_tax, true) +
    r.minor('/handling_cost_ex_tax', o.handling_cost_ex_tax, true) +
    r.minor('/wrapping_cost_ex_tax', o.wrapping_cost_ex_tax, true);
  const tax = r.money('/total_tax', o.total_tax, true);
  const order = {
    channel: ctx.channel,
    external_id: externalId,
    placed_at: timestamp(o.date_created),
    customer: compact({
      id: typeof o.customer_id === 'number' && o.customer_id > 0 ? String(o.customer_id) : undefined,
      email: text(billing.email, 254),
      name: joinName(billing.first_name, billing.last_name),
      phone: text(billing.phone, 40),
    }),
    lines: arr(o.products).map((value, i) => {
      const p = obj(value);
      const at = `/products/${i}`;
      return compact({
        line_id: r.required(`${at}/id`, idText(p.id), 'order product id'),
        sku: r.item(`${at}/sku`, text(p.sku, 100), {
          productId: idText(p.product_id),
          variantId: idText(p.variant_id),
        }),
        name: text(p.name, 300),
        quantity: r.quantity(`${at}/quantity`, p.quantity),
        unit_price: r.money(`${at}/price_ex_tax`, p.price_ex_tax),
      });
    }),
    ...(pickupId !== undefined
      ? {
          delivery_method: 'pickup' as const,
          pickup_location_id: r.pickupLocation('/consignments/0/pickups/0', ctx, [pickupId]),
        }
      : { delivery_method: 'ship' as const, shipping_address: bigcommerceAddress(addresses[0]) }),
    shipping: { amount: shipping, currency: r.currency },
    discounts: discount.amount > 0 ? [{ description: 'BigCommerce discounts', amount: discount }] : undefined,
    taxes: tax.amount > 0 ? [{ name: 'Tax', amount: tax }] : [],
    total,
    payments: FUNDED.has((text(o.payment_status) ?? '').toLowerCase())
      ? authorization(
          total,
          `bigcommerce:${text(o.payment_method) ?? 'unknown'}`,
          text(o.payment_provider_id) ?? undefined,
        )
      : undefined,
    metadata: compact({
      platform: 'bigcommerce',
      platform_order_id: externalId,
      platform_status: text(o.status),
      order_address_id: idText(addresses[0]?.id),
      delivery_groups: deliveryGroups(
        addresses.map((a) => ({
          id: idText(a.id),
          address: bigcommerceAddress(a),
          lineIds: arr(o.products)
            .map(obj)
            .filter((p) => idText(p.order_address_id) === idText(a.id))
            .map((p) => idText(p.id) ?? ''),
        })),
      ),
    }),
  };
  return r.finish(compact(order));
}
