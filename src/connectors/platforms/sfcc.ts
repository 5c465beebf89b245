import {
  addressFrom,
  arr,
  compact,
  deliveryGroups,
  obj,
  Reader,
  text,
  timestamp,
  type MapContext,
  type MapOutcome,
} from '../mapping.ts';
import { netOfTax } from '../tax-included.ts';

const sfccAddress = (value: unknown) =>
  addressFrom(value, {
    name: ['firstName', 'lastName'],
    line1: 'address1',
    line2: 'address2',
    city: 'city',
    region: ['stateCode'],
    postal: 'postalCode',
    country: 'countryCode',
    phone: 'phone',
  });

/**
 * A Salesforce Commerce Cloud SCAPI order (Shopper Orders `Order`) → the canonical order. Net
 * taxation only adds `taxTotal` on top; gross taxation keeps it in the prices (see the doc).
 */
export function mapSfccOrder(payload: unknown, ctx: MapContext): MapOutcome {
  const o = obj(payload);
  const r = new Reader('/currency', text(o.currency));
  const externalId = r.required('/orderNo', text(o.orderNo), 'orderNo');
  const shipments = arr(o.shipments).map(obj);
  const shipment = shipments[0] ?? {};
  const storeId = text(shipment.c_fromStoreId);
  const items = arr(o.productItems).map(obj);
  const net = text(o.taxation) !== 'gross';
  const tax = r.money('/taxTotal', o.taxTotal, true);
  const shippingTax = r.minor('/shippingTotalTax', o.shippingTotalTax, true);
  const quantities = items.map((li, i) => r.quantity(`/productItems/${i}/quantity`, li.quantity));
  const bases = items.map((li, i) => r.minor(`/productItems/${i}/basePrice`, li.basePrice));
  // Gross taxation: prices hold the tax; lines are priced net of their share of it (see `netOfTax`).
  const netLines = net
    ? undefined
    : netOfTax(
        bases.map((b, i) => ({ grossMinor: b * quantities[i]!, quantity: quantities[i]! })),
        tax.amount - shippingTax,
      );
  const lines = items.map((li, i) => {
    const at = `/productItems/${i}`;
    const line = netLines?.[i];
    return compact({
      line_id: r.required(`${at}/itemId`, text(li.itemId, 64), 'itemId'),
      sku: r.item(`${at}/productId`, text(li.productId, 100), { productId: text(li.productId, 100) }),
      name: text(li.productName ?? li.itemText, 300),
      quantity: quantities[i]!,
      unit_price: { amount: line ? line.unitPriceMinor : bases[i]!, currency: r.currency },
      discount: line && line.discountMinor > 0 ? { amount: line.discountMinor, currency: r.currency } : undefined,
    });
  });
  const atBase = bases.reduce((n, b, i) => n + b * quantities[i]!, 0);
  const productTotal = r.minor('/productTotal', o.productTotal);
  const total = r.money('/orderTotal', o.orderTotal);
  const customer = obj(o.customerInfo);
  const promotions = arr(o.orderPriceAdjustments)
    .map((a) => text(obj(a).promotionId ?? obj(a).couponCode))
    .filter(Boolean)
    .join(',')
    .slice(0, 100);
  const order = {
    channel: ctx.channel,
    external_id: externalId,
    placed_at: timestamp(o.creationDate),
    customer: compact({
      id: text(customer.customerId, 100),
      email: text(customer.email, 254),
      name: text(customer.customerName ?? o.customerName),
      phone: text(obj(o.billingAddress).phone, 40),
    }),
    lines,
    ...(storeId !== undefined
      ? {
          delivery_method: 'pickup' as const,
          pickup_location_id: r.pickupLocation('/shipments/0/c_fromStoreId', ctx, [storeId]),
        }
      : { delivery_method: 'ship' as const, shipping_address: sfccAddress(shipment.shippingAddress) }),
    shipping: {
      amount: r.minor('/shippingTotal', o.shippingTotal, true) - (net ? 0 : shippingTax),
      currency: r.currency,
    },
    discounts:
      atBase - productTotal !== 0
        ? [
            compact({
              code: promotions || undefined,
              description: 'Item and order price adjustments',
              amount: { amount: atBase - productTotal, currency: r.currency },
            }),
          ]
        : undefined,
    taxes: tax.amount > 0 ? [{ name: 'Tax', amount: tax }] : [],
    total,
    payments: arr(o.paymentInstruments).map((value, i) => {
      const p = obj(value);
      return compact({
        kind: 'authorization' as const,
        amount: r.money(`/paymentInstruments/${i}/amount`, p.amount),
        gateway: `sfcc:${text(p.paymentMethodId, 40) ?? 'unknown'}`,
        reference: text(p.paymentInstrumentId),
      });
    }),
    metadata: compact({
      platform: 'sfcc',
      platform_order_id: externalId,
      shipment_id: text(shipment.shipmentId),
      taxation: text(o.taxation),
      delivery_groups: deliveryGroups(
        shipments.map((sh) => ({
          id: text(sh.shipmentId),
          address: sfccAddress(sh.shippingAddress),
          lineIds: items.filter((li) => text(li.shipmentId) === text(sh.shipmentId)).map((li) => text(li.itemId) ?? ''),
        })),
      ),
      payment_status: text(o.paymentStatus),
    }),
  };
  return r.finish(compact(order));
}
