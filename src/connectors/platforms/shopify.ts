import { idText } from '../json.ts';
import {
  arr,
  authorization,
  compact,
  joinName,
  obj,
  Reader,
  sum,
  text,
  timestamp,
  type Address,
  type Json,
  type MapContext,
  type MapOutcome,
} from '../mapping.ts';
import { netOfTax } from '../tax-included.ts';

/** Financial statuses under which Shopify holds the buyer's money (authorized or taken). */
const FUNDED = new Set(['authorized', 'paid', 'partially_paid', 'partially_refunded']);
const PICKUP = /pick[\s_-]?up/i;

function shopifyAddress(value: unknown): Address | undefined {
  const a = obj(value);
  if (Object.keys(a).length === 0) return undefined;
  const latitude = Number(a.latitude);
  const longitude = Number(a.longitude);
  return compact({
    name: text(a.name) ?? joinName(a.first_name, a.last_name),
    line1: text(a.address1) ?? '',
    line2: text(a.address2),
    city: text(a.city, 100) ?? '',
    region: text(a.province_code ?? a.province, 100),
    postal_code: text(a.zip, 20),
    country: text(a.country_code) ?? '',
    phone: text(a.phone, 40),
    latitude: a.latitude != null && Number.isFinite(latitude) ? latitude : undefined,
    longitude: a.longitude != null && Number.isFinite(longitude) ? longitude : undefined,
  });
}

/** The sum of a Shopify `tax_lines` array's prices (a line's, or a shipping line's). */
const taxOf = (r: Reader, at: string, value: unknown): number | undefined =>
  Array.isArray(value)
    ? value.reduce<number>((n, t, j) => n + r.minor(`${at}/tax_lines/${j}/price`, obj(t).price), 0)
    : undefined;

/**
 * The lines at their prices. With `taxes_included`, prices hold the tax: each line is priced net
 * of its own `tax_lines` (see `netOfTax`), and `goodsTax` is what the lines hold together.
 */
function shopifyLines(o: Json, r: Reader, taxesIncluded: boolean, goodsTax: number) {
  const items = arr(o.line_items).map(obj);
  const gross = items.map((li, i) => {
    const quantity = r.quantity(`/line_items/${i}/quantity`, li.quantity);
    const price = r.minor(`/line_items/${i}/price`, li.price);
    return { grossMinor: price * quantity, quantity, taxMinor: taxOf(r, `/line_items/${i}`, li.tax_lines) };
  });
  const net = taxesIncluded ? netOfTax(gross, goodsTax) : undefined;
  return items.map((li, i) => {
    const at = `/line_items/${i}`;
    const line = net?.[i];
    return compact({
      line_id: r.required(`${at}/id`, idText(li.id), 'line item id'),
      sku: r.item(`${at}/sku`, text(li.sku, 100), {
        productId: idText(li.product_id),
        variantId: idText(li.variant_id),
      }),
      name: text(li.name ?? li.title, 300),
      quantity: gross[i]!.quantity,
      unit_price: line ? { amount: line.unitPriceMinor, currency: r.currency } : r.money(`${at}/price`, li.price),
      discount: line && line.discountMinor > 0 ? { amount: line.discountMinor, currency: r.currency } : undefined,
    });
  });
}

/**
 * The payments: Shopify's own transactions when the order carries them (successful
 * `authorization` and `sale` ones, each as the platform transaction it is); otherwise one for
 * the total under a funded `financial_status`, named by the order.
 */
function shopifyPayments(o: Json, r: Reader, total: { amount: number; currency: string }, gateway: string) {
  if (Array.isArray(o.transactions)) {
    return o.transactions
      .map(obj)
      .map((t, i) => ({ t, i }))
      .filter(({ t }) => ['authorization', 'sale'].includes(text(t.kind) ?? '') && text(t.status) === 'success')
      .map(({ t, i }) =>
        compact({
          kind: 'authorization' as const,
          amount: r.money(`/transactions/${i}/amount`, t.amount),
          gateway: `shopify:${text(t.gateway) ?? gateway}`.slice(0, 60),
          reference: idText(t.id),
        }),
      );
  }
  return FUNDED.has(text(o.financial_status) ?? '')
    ? authorization(total, `shopify:${gateway}`, text(o.name))
    : undefined;
}

/**
 * A Shopify order (the `orders/create` webhook body, or a REST Admin `order`) → Consign's
 * canonical order. Amounts are the shop currency's (`currency`); see docs/connectors/shopify.md.
 */
export function mapShopifyOrder(payload: unknown, ctx: MapContext): MapOutcome {
  const o = obj(obj(payload).order ?? payload);
  const r = new Reader('/currency', text(o.currency));
  const externalId = r.required('/id', idText(o.id), 'order id');
  const shippingLines = arr(o.shipping_lines).map(obj);
  const taxesIncluded = o.taxes_included === true;
  const shippingTax = shippingLines.reduce((n, s, i) => n + (taxOf(r, `/shipping_lines/${i}`, s.tax_lines) ?? 0), 0);
  const shipping = sum(
    shippingLines.map((s, i) => r.money(`/shipping_lines/${i}/price`, s.price)),
    r.currency,
  );
  // Tax-inclusive shipping is kept net; its tax is among the order's taxes.
  if (taxesIncluded) shipping.amount -= shippingTax;
  const taxLines = arr(o.tax_lines).map(obj);
  const totalTax = r.money('/total_tax', o.total_tax, true);
  const taxes =
    taxLines.length > 0
      ? taxLines.map((t, i) =>
          compact({ name: text(t.title, 100), rate: rate(t.rate), amount: r.money(`/tax_lines/${i}/price`, t.price) }),
        )
      : totalTax.amount > 0
        ? [{ name: 'Tax', amount: totalTax }]
        : [];
  const discount = r.money('/total_discounts', o.total_discounts, true);
  const codes = arr(o.discount_codes)
    .map((c) => text(obj(c).code))
    .filter(Boolean);
  const total = r.money('/total_price', o.total_price);
  const pickup = shippingLines.some((s) => PICKUP.test(`${text(s.code) ?? ''} ${text(s.delivery_category) ?? ''}`));
  const customer = obj(o.customer);
  const gateway = text(o.gateway) ?? text(arr(o.payment_gateway_names)[0]) ?? 'shopify';
  const order = {
    channel: ctx.channel,
    external_id: externalId,
    placed_at: timestamp(o.processed_at) ?? timestamp(o.created_at),
    customer: compact({
      id: idText(customer.id),
      email: text(o.email ?? o.contact_email ?? customer.email, 254),
      name: joinName(customer.first_name, customer.last_name) ?? shopifyAddress(o.billing_address)?.name,
      phone: text(o.phone ?? customer.phone, 40),
    }),
    lines: shopifyLines(o, r, taxesIncluded, totalTax.amount - shippingTax),
    ...(pickup
      ? {
          delivery_method: 'pickup' as const,
          pickup_location_id: r.pickupLocation('/location_id', ctx, [idText(o.location_id)]),
        }
      : { delivery_method: 'ship' as const, shipping_address: shopifyAddress(o.shipping_address) }),
    shipping,
    discounts: discount.amount > 0 ? [compact({ code: codes.join(',') || undefined, amount: discount })] : undefined,
    taxes,
    total,
    payments: shopifyPayments(o, r, total, gateway),
    metadata: compact({
      platform: 'shopify',
      platform_order_id: externalId,
      platform_order_name: text(o.name),
      financial_status: text(o.financial_status),
      taxes_included: taxesIncluded || undefined,
      location_id: idText(o.location_id),
    }),
  };
  return r.finish(compact(order));
}

function rate(value: unknown): number | undefined {
  const n = Number(value);
  return value != null && Number.isFinite(n) && n >= 0 && n <= 1 ? n : undefined;
}
