import type { CreateOrder } from '../orders/index.ts';
import { seededRandom } from '../shared/random.ts';
import { demoAddresses, demoCustomerNames, familyPriceMinor, type DemoAddress } from './order-data.ts';
import type { DemoProduct } from './products.ts';

/** The seed of the demo's order history: the same number gives the same orders on every machine. */
export const DEMO_ORDERS_SEED = 20_260_339;
export const DEMO_ORDER_COUNT = 24;
export const DEMO_HISTORY_DAYS = 30;

const HOUR_MS = 3_600_000;
const CANCEL_RATE = 0.07;
const MARKETPLACE_SHARE = 0.35;
const TWO_PARCEL_RATE = 0.3;
const DISCOUNT_RATE = 0.2;
const FREE_SHIPPING_FROM_MINOR = 10_000;
const SHIPPING_MINOR = 795;
const TAX_RATE = 0.08;

/** What happens to a demo order after it is placed. */
export type DemoFate =
  | { kind: 'cancelled' }
  /** Not shipped yet: too recent, or the warehouse is behind. */
  | { kind: 'open' }
  | {
      kind: 'shipped';
      /** Hours from placement to the first parcel; a second parcel leaves `secondParcelHours` later. */
      shipHours: number;
      secondParcelHours: number | null;
      /** Hours from each parcel leaving to its delivery; null: still in transit. */
      deliverHours: number | null;
    };

export interface DemoOrderPlan {
  number: number;
  channel: 'web' | 'marketplace';
  placedAtMs: number;
  customer: { email: string; name: string };
  address: DemoAddress;
  lines: { sku: string; quantity: number; priceMinor: number }[];
  discounted: boolean;
  fate: DemoFate;
}

function pickWeighted<T>(items: readonly T[], weight: (item: T) => number, random: () => number): T {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  let left = random() * total;
  for (const item of items) {
    left -= weight(item);
    if (left < 0) return item;
  }
  return items[items.length - 1]!;
}

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;

function planLines(products: readonly DemoProduct[], random: () => number): DemoOrderPlan['lines'] {
  const count = random() < 0.6 ? 1 : random() < 0.75 ? 2 : 3;
  const lines: DemoOrderPlan['lines'] = [];
  while (lines.length < count) {
    const product = pickWeighted(products, (p) => p.demand, random);
    if (lines.some((l) => l.sku === product.sku)) continue;
    const quantity = random() < 0.8 ? 1 : random() < 0.75 ? 2 : 3;
    lines.push({ sku: product.sku, quantity, priceMinor: familyPriceMinor[product.sku.split('-')[1]!] ?? 3000 });
  }
  return lines;
}

/**
 * Most orders ship within a day or two (some later than a 48-hour promise), a few are
 * cancelled, the newest are still open; parcels arrive two to five days after they leave.
 */
function planFate(ageHours: number, lineCount: number, random: () => number): DemoFate {
  if (random() < CANCEL_RATE) return { kind: 'cancelled' };
  const shipHours = Math.round((2 + 70 * random() ** 2) * 10) / 10;
  const secondParcelHours = lineCount > 1 && random() < TWO_PARCEL_RATE ? 6 + Math.round(30 * random()) : null;
  const lastParcelHours = shipHours + (secondParcelHours ?? 0);
  if (lastParcelHours >= ageHours - 1) return { kind: 'open' };
  const deliverHours = 48 + Math.round(72 * random());
  return {
    kind: 'shipped',
    shipHours,
    secondParcelHours,
    deliverHours: lastParcelHours + deliverHours < ageHours ? deliverHours : null,
  };
}

/** The demo's order history over the last 30 days, deterministic for a seed and a `now`. */
export function planDemoOrders(
  nowMs: number,
  products: readonly DemoProduct[],
  count = DEMO_ORDER_COUNT,
  seed = DEMO_ORDERS_SEED,
): DemoOrderPlan[] {
  const random = seededRandom(seed);
  const customers = demoCustomerNames.map((name) => ({
    name,
    email: `${name.toLowerCase().replace(' ', '.')}@example.com`,
  }));
  const placedAt = Array.from({ length: count }, () => nowMs - Math.floor(random() * DEMO_HISTORY_DAYS * 24 * HOUR_MS));
  placedAt.sort((a, b) => a - b);
  return placedAt.map((placedAtMs, i) => {
    const lines = planLines(products, random);
    return {
      number: i + 1,
      channel: random() < MARKETPLACE_SHARE ? 'marketplace' : 'web',
      placedAtMs,
      customer: pick(customers, random),
      address: pick(demoAddresses, random),
      lines,
      discounted: random() < DISCOUNT_RATE,
      fate: planFate((nowMs - placedAtMs) / HOUR_MS, lines.length, random),
    };
  });
}

/** The order as a storefront would post it: money adds up, the authorization covers the total. */
export function demoOrderInput(plan: DemoOrderPlan): CreateOrder {
  const usd = (amount: number) => ({ amount, currency: 'USD' });
  const subtotal = plan.lines.reduce((sum, l) => sum + l.priceMinor * l.quantity, 0);
  const discount = plan.discounted ? Math.floor(subtotal / 10) : 0;
  const shipping = subtotal >= FREE_SHIPPING_FROM_MINOR ? 0 : SHIPPING_MINOR;
  const tax = Math.round((subtotal - discount) * TAX_RATE);
  const total = subtotal - discount + shipping + tax;
  const web = plan.channel === 'web';
  return {
    channel: plan.channel,
    external_id: web ? `HP-${100_000 + plan.number}` : `113-${String(7_340_000 + plan.number * 37).padStart(7, '0')}`,
    placed_at: new Date(plan.placedAtMs).toISOString(),
    customer: plan.customer,
    lines: plan.lines.map((l, i) => ({
      line_id: `L${i + 1}`,
      sku: l.sku,
      quantity: l.quantity,
      unit_price: usd(l.priceMinor),
    })),
    delivery_method: 'ship',
    shipping_address: { name: plan.customer.name, ...plan.address, country: 'US' },
    shipping: usd(shipping),
    ...(discount > 0 ? { discounts: [{ code: 'WELCOME10', amount: usd(discount) }] } : {}),
    taxes: [{ name: 'Sales tax', rate: TAX_RATE, amount: usd(tax) }],
    total: usd(total),
    payments: [{ kind: 'authorization', amount: usd(total), gateway: 'test', reference: `demo-auth-${plan.number}` }],
  };
}
