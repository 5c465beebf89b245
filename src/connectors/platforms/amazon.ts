import {
  addressFrom,
  arr,
  authorization,
  compact,
  emailAddress,
  obj,
  Reader,
  sum,
  text,
  timestamp,
  type Address,
  type Json,
  type MapContext,
  type MapOutcome,
  type Money,
} from '../mapping.ts';

/** Orders Amazon has charged for; `Pending` ones are not yet payable and must not ship. */
const FUNDED_V0 = new Set(['Unshipped', 'PartiallyShipped', 'Shipped']);
const FUNDED_2026 = new Set(['UNSHIPPED', 'PARTIALLY_SHIPPED', 'SHIPPED']);

const AMAZON_V0_ADDRESS = {
  name: ['Name'],
  line1: 'AddressLine1',
  line2: 'AddressLine2',
  city: 'City',
  region: ['StateOrRegion'],
  postal: 'PostalCode',
  country: 'CountryCode',
  phone: 'Phone',
};
const AMAZON_2026_ADDRESS = {
  name: ['name'],
  line1: 'addressLine1',
  line2: 'addressLine2',
  city: 'city',
  region: ['stateOrRegion'],
  postal: 'postalCode',
  country: 'countryCode',
  phone: 'phone',
};
const amazonAddress = (value: unknown, v2026: boolean) =>
  addressFrom(value, v2026 ? AMAZON_2026_ADDRESS : AMAZON_V0_ADDRESS);

/** Amazon money objects name their currency: keep each as sent so a mixed order is caught. */
const amount = (r: Reader, pointer: string, m: unknown, v2026 = false): Money | undefined => {
  const o = obj(m);
  if (Object.keys(o).length === 0) return undefined;
  return v2026 ? r.moneyIn(pointer, o.amount, o.currencyCode) : r.moneyIn(pointer, o.Amount, o.CurrencyCode);
};

/**
 * SP-API Orders v0: `{ "Order": <getOrder payload>, "OrderItems": <getOrderItems payload.OrderItems> }`.
 * `ItemPrice` is the price of all units of the line, so the unit price is divided out exactly.
 */
function mapAmazonV0(body: Json, ctx: MapContext): MapOutcome {
  const o = obj(body.Order);
  const r = new Reader(
    '/Order/OrderTotal/CurrencyCode',
    text(obj(o.OrderTotal).CurrencyCode) ?? text(obj(obj(arr(body.OrderItems)[0]).ItemPrice).CurrencyCode),
  );
  const externalId = r.required('/Order/AmazonOrderId', text(o.AmazonOrderId), 'AmazonOrderId');
  const items = arr(body.OrderItems).map(obj);
  const parts = { shipping: [] as Money[], discount: [] as Money[], tax: [] as Money[] };
  const lines = items.map((li, i) => {
    const at = `/OrderItems/${i}`;
    const quantity = r.quantity(`${at}/QuantityOrdered`, li.QuantityOrdered);
    const price = obj(li.ItemPrice);
    for (const [field, bucket] of [
      ['ShippingPrice', parts.shipping],
      ['PromotionDiscount', parts.discount],
      ['ShippingDiscount', parts.discount],
      ['ItemTax', parts.tax],
      ['ShippingTax', parts.tax],
    ] as const) {
      const m = amount(r, `${at}/${field}`, li[field]);
      if (m) bucket.push(m);
    }
    return compact({
      line_id: r.required(`${at}/OrderItemId`, text(li.OrderItemId, 64), 'OrderItemId'),
      sku: r.item(`${at}/SellerSKU`, text(li.SellerSKU, 100), {
        productId: text(li.ASIN),
        variantId: text(li.SellerSKU),
      }),
      name: text(li.Title, 300),
      quantity,
      unit_price: r.unitPrice(`${at}/ItemPrice/Amount`, price.Amount, quantity, price.CurrencyCode ?? r.currency),
    });
  });
  const total = amount(r, '/Order/OrderTotal', o.OrderTotal) ?? r.money('/Order/OrderTotal', undefined);
  const buyer = obj(o.BuyerInfo);
  return finishAmazon(r, ctx, {
    externalId,
    placedAt: timestamp(o.PurchaseDate),
    customer: { email: buyer.BuyerEmail, name: text(buyer.BuyerName) },
    lines,
    parts,
    total,
    pickup: o.IsISPU === true ? text(obj(o.FulfillmentInstruction).FulfillmentSupplySourceId) : undefined,
    address: amazonAddress(o.ShippingAddress, false),
    funded: FUNDED_V0.has(text(o.OrderStatus) ?? ''),
    metadata: { api_version: 'v0', marketplace_id: text(o.MarketplaceId), status: text(o.OrderStatus) },
  });
}

/** SP-API Orders 2026-01-01: the `getOrder` response `{ "order": … }` (items inside) or one `searchOrders` order. */
function mapAmazon2026(body: Json, ctx: MapContext): MapOutcome {
  const o = obj(body.order ?? body);
  const r = new Reader('/order/proceeds/grandTotal/currencyCode', text(obj(obj(o.proceeds).grandTotal).currencyCode));
  const externalId = r.required('/order/orderId', text(o.orderId), 'orderId');
  const parts = { shipping: [] as Money[], discount: [] as Money[], tax: [] as Money[] };
  const lines = arr(o.orderItems).map((value, i) => {
    const li = obj(value);
    const at = `/order/orderItems/${i}`;
    const product = obj(li.product);
    arr(obj(li.proceeds).breakdowns).forEach((b, j) => {
      const entry = obj(b);
      const bucket = { SHIPPING: parts.shipping, DISCOUNT: parts.discount, TAX: parts.tax }[text(entry.type) ?? ''];
      const m = amount(r, `${at}/proceeds/breakdowns/${j}/subtotal`, entry.subtotal, true);
      if (bucket && m) bucket.push({ ...m, amount: Math.abs(m.amount) });
    });
    return compact({
      line_id: r.required(`${at}/orderItemId`, text(li.orderItemId, 64), 'orderItemId'),
      sku: r.item(`${at}/product/sellerSku`, text(product.sellerSku, 100), {
        productId: text(product.asin),
        variantId: text(product.sellerSku),
      }),
      name: text(product.title, 300),
      quantity: r.quantity(`${at}/quantityOrdered`, li.quantityOrdered),
      unit_price:
        amount(r, `${at}/product/price/unitPrice`, obj(product.price).unitPrice, true) ??
        r.money(`${at}/product/price/unitPrice`, undefined),
    });
  });
  const total =
    amount(r, '/order/proceeds/grandTotal', obj(o.proceeds).grandTotal, true) ??
    r.money('/order/proceeds/grandTotal', undefined);
  const buyer = obj(o.buyer);
  const fulfillment = obj(o.fulfillment);
  return finishAmazon(r, ctx, {
    externalId,
    placedAt: timestamp(o.createdTime),
    customer: { email: buyer.buyerEmail, name: text(buyer.buyerName) },
    lines,
    parts,
    total,
    pickup: undefined,
    address: amazonAddress(obj(o.recipient).deliveryAddress, true),
    funded: FUNDED_2026.has(text(fulfillment.fulfillmentStatus) ?? ''),
    metadata: {
      api_version: '2026-01-01',
      marketplace_id: text(obj(o.salesChannel).marketplaceId),
      status: text(fulfillment.fulfillmentStatus),
    },
  });
}

interface AmazonFacts {
  externalId: string;
  placedAt: string | undefined;
  /** The buyer's e-mail as Amazon sent it (a placeholder when it withholds it). */
  customer: { email: unknown; name: string | undefined };
  lines: ReturnType<typeof compact<{ line_id: string; sku: string; quantity: number; unit_price: Money }>>[];
  parts: { shipping: Money[]; discount: Money[]; tax: Money[] };
  total: Money;
  pickup: string | undefined;
  address: Address | undefined;
  funded: boolean;
  metadata: Record<string, string | undefined>;
}

function finishAmazon(r: Reader, ctx: MapContext, f: AmazonFacts): MapOutcome {
  if (!r.currency) r.fail('/', 'the order total names no currency');
  const mixed = [...f.parts.shipping, ...f.parts.discount, ...f.parts.tax].find((m) => m.currency !== r.currency);
  const discount = sum(f.parts.discount, r.currency);
  const tax = sum(f.parts.tax, r.currency);
  // A withheld or placeholder e-mail never costs the order: it is kept without one, marked.
  const email = emailAddress(f.customer.email);
  const order = {
    channel: ctx.channel,
    external_id: f.externalId,
    placed_at: f.placedAt,
    customer: compact({ email: email, name: f.customer.name }),
    lines: f.lines,
    ...(f.pickup !== undefined
      ? {
          delivery_method: 'pickup' as const,
          pickup_location_id: r.pickupLocation('/Order/FulfillmentInstruction', ctx, [f.pickup]),
        }
      : { delivery_method: 'ship' as const, shipping_address: f.address }),
    shipping: mixed ?? sum(f.parts.shipping, r.currency),
    discounts: discount.amount > 0 ? [{ description: 'Amazon promotions', amount: discount }] : undefined,
    taxes: tax.amount > 0 ? [{ name: 'Tax', amount: tax }] : [],
    total: f.total,
    payments: f.funded ? authorization(f.total, 'amazon', f.externalId) : undefined,
    metadata: compact({
      platform: 'amazon',
      platform_order_id: f.externalId,
      ...f.metadata,
      buyer_email: email ? undefined : 'withheld',
    }),
  };
  return r.finish(compact(order));
}

/** Either SP-API version, told apart by its shape. */
export function mapAmazonOrder(payload: unknown, ctx: MapContext): MapOutcome {
  const body = obj(payload);
  if (body.Order !== undefined) return mapAmazonV0(body, ctx);
  if (body.order !== undefined || body.orderId !== undefined) return mapAmazon2026(body, ctx);
  return {
    ok: false,
    errors: [{ pointer: '/', message: 'expected {"Order", "OrderItems"} (v0) or {"order"} (2026-01-01)' }],
  };
}
