import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { CreateOrder } from '../orders/index.ts';
import { currencyExponent, toMinor } from './money.ts';
import { idText } from './json.ts';

export const platforms = ['shopify', 'woocommerce', 'bigcommerce', 'sfcc', 'amazon'] as const;
export type Platform = (typeof platforms)[number];

interface FieldError {
  pointer: string;
  message: string;
}

export interface MapContext {
  /** The Consign channel the order is for (ID). */
  channel: string;
  /** Platform location IDs → Consign location IDs, for pickup orders. */
  locationMap: Record<string, string>;
}

/**
 * The platform's own identity of an order line's item (see docs/connectors/README.md, "Catalog
 * mapping"): what the channel's catalog mapping is keyed by, and the SKU the platform sent.
 */
export interface PlatformItem {
  /** Where the line's SKU sits in the platform document (`/line_items/0/sku`). */
  pointer: string;
  /** Shopify/BigCommerce/WooCommerce `product_id`, SFCC `productId`, Amazon ASIN. */
  productId?: string;
  /** Shopify/BigCommerce `variant_id`, WooCommerce `variation_id`, Amazon SellerSKU. */
  variantId?: string;
  /** The SKU the platform sent, if any. */
  sku?: string;
}

export type MapOutcome =
  { ok: true; order: CreateOrder; items?: PlatformItem[] } | { ok: false; externalId?: string; errors: FieldError[] };

export type Json = Record<string, unknown>;
export type Money = CreateOrder['total'];
export type Address = NonNullable<CreateOrder['shipping_address']>;

export const obj = (value: unknown): Json =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
export const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Non-empty trimmed text (numbers as their digits), else undefined. */
export function text(value: unknown, max = 200): string | undefined {
  const raw = typeof value === 'number' ? idText(value) : value;
  if (typeof raw !== 'string') return undefined;
  const trimmed = raw.trim();
  if (trimmed.length === 0) return undefined;
  const cut = trimmed.slice(0, max);
  // Never cut a surrogate pair in half: half of one is text PostgreSQL refuses.
  return /[\ud800-\udbff]$/.test(cut) && trimmed.length > max ? cut.slice(0, -1) : cut;
}

/** The `email` format orders are validated with. */
const EMAIL = fullFormats.email as RegExp;

/**
 * A buyer's e-mail address when it is one; undefined for the placeholders marketplaces send when
 * they withhold it (`""`, `"Not Available"`, a masked value), so the order is kept without it.
 */
export function emailAddress(value: unknown): string | undefined {
  const candidate = text(value, 254);
  return candidate !== undefined && EMAIL.test(candidate) ? candidate : undefined;
}

export function joinName(...parts: unknown[]): string | undefined {
  return text(parts.map((p) => text(p) ?? '').join(' '));
}

/** Drops undefined fields so the canonical order carries only what the platform said. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Collects the canonical order's facts from a platform payload, and every reason it cannot:
 * each error points into the platform's own document (`/line_items/1/price`).
 */
export class Reader {
  readonly errors: FieldError[] = [];
  /** Each line's platform item, in line order. */
  readonly items: PlatformItem[] = [];
  readonly currency: string;

  /** `currency` is the order's, read from the platform field at `pointer` (refused when missing or not ISO 4217). */
  constructor(pointer: string, currency: string | undefined) {
    this.currency = currency ?? '';
    const field = pointer.split('/').at(-1);
    if (!currency) this.fail(pointer, `${field} is missing`);
    else if (currencyExponent(currency) === undefined)
      this.fail(pointer, `"${currency}" is not an ISO 4217 currency code`);
  }

  fail(pointer: string, message: string): void {
    this.errors.push({ pointer, message });
  }

  /** An exact amount in minor units of the order's currency (0 when absent and optional). */
  minor(pointer: string, value: unknown, optional = false): number {
    if ((value === undefined || value === null || value === '') && optional) return 0;
    const minor = toMinor(value, this.currency);
    if (minor === undefined) {
      this.fail(pointer, `${JSON.stringify(value ?? null)} is not an exact ${this.currency} amount`);
      return 0;
    }
    return minor;
  }

  money(pointer: string, value: unknown, optional = false): Money {
    return { amount: this.minor(pointer, value, optional), currency: this.currency };
  }

  /** Money in a currency the platform names beside the amount (Amazon): a different one is kept as sent. */
  moneyIn(pointer: string, value: unknown, currency: unknown): Money {
    const code = text(currency) ?? this.currency;
    const minor = toMinor(value, code);
    if (minor === undefined) this.fail(pointer, `${JSON.stringify(value ?? null)} is not an exact ${code} amount`);
    return { amount: minor ?? 0, currency: code };
  }

  /** A unit price from a line total: refused when the total does not divide evenly by the quantity. */
  unitPrice(pointer: string, lineTotal: unknown, quantity: number, currency?: unknown): Money {
    const total = currency === undefined ? this.money(pointer, lineTotal) : this.moneyIn(pointer, lineTotal, currency);
    if (quantity > 0 && total.amount % quantity !== 0) {
      this.fail(pointer, `line total ${total.amount} is not ${quantity} equal unit prices in minor units`);
    }
    return { amount: quantity > 0 ? Math.floor(total.amount / quantity) : 0, currency: total.currency };
  }

  quantity(pointer: string, value: unknown): number {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
    this.fail(pointer, `quantity ${JSON.stringify(value ?? null)} is not a positive integer`);
    return 1;
  }

  required(pointer: string, value: string | undefined, what: string): string {
    if (value === undefined) this.fail(pointer, `${what} is missing`);
    return value ?? '';
  }

  /**
   * A line's SKU as the platform sent it ('' when empty: the channel's catalog mapping resolves
   * it from the platform item), and the item's identity. Without either, the line is refused.
   */
  item(pointer: string, sku: string | undefined, ids: { productId?: string; variantId?: string }): string {
    const productId = ids.productId === '0' ? undefined : ids.productId;
    const variantId = ids.variantId === '0' ? undefined : ids.variantId;
    if (sku === undefined && productId === undefined)
      this.fail(pointer, 'SKU is missing and the line names no product');
    this.items.push(compact({ pointer, productId, variantId, sku }));
    return sku ?? '';
  }

  /** The Consign location for a pickup at `platformLocation`, or an error that says which mapping is missing. */
  pickupLocation(pointer: string, ctx: MapContext, candidates: (string | undefined)[]): string | undefined {
    for (const candidate of candidates) {
      if (candidate !== undefined && ctx.locationMap[candidate]) return ctx.locationMap[candidate];
    }
    const named = candidates.filter((c) => c !== undefined).join(', ') || 'none given';
    this.fail(pointer, `pickup at a platform location (${named}) that the connector's location_map does not name`);
    return undefined;
  }

  finish(order: CreateOrder): MapOutcome {
    return this.errors.length > 0
      ? { ok: false, externalId: order.external_id || undefined, errors: this.errors }
      : { ok: true, order, items: this.items };
  }
}

/** Sum of amounts in one currency. */
export const sum = (amounts: Money[], currency: string): Money => ({
  amount: amounts.reduce((n, m) => n + m.amount, 0),
  currency,
});

/** A payment authorization for the whole order, as the platform reports it. */
export function authorization(total: Money, gateway: string, reference: string | undefined) {
  return [compact({ kind: 'authorization' as const, amount: total, gateway: gateway.slice(0, 60), reference })];
}

/** An ISO timestamp from whatever date format the platform uses, or undefined. */
export function timestamp(value: unknown): string | undefined {
  const raw = text(value);
  if (!raw) return undefined;
  const withZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(raw) ? `${raw}Z` : raw;
  const date = new Date(withZone);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Where a platform keeps each address field (`name` may list several to join, e.g. first and last name). */
interface AddressKeys {
  name: string[];
  line1: string;
  line2: string;
  city: string;
  region: string[];
  postal: string;
  country: string;
  phone: string;
}

/** A platform address as Consign's; undefined when it has no street or city at all. */
export function addressFrom(value: unknown, keys: AddressKeys): Address | undefined {
  const a = obj(value);
  if (!text(a[keys.line1]) && !text(a[keys.city])) return undefined;
  return compact({
    name: joinName(...keys.name.map((k) => a[k])),
    line1: text(a[keys.line1]) ?? '',
    line2: text(a[keys.line2]),
    city: text(a[keys.city], 100) ?? '',
    region: keys.region.map((k) => text(a[k], 100)).find(Boolean),
    postal_code: text(a[keys.postal], 20),
    country: text(a[keys.country]) ?? '',
    phone: text(a[keys.phone], 40),
  });
}

/**
 * An order's delivery groups (BigCommerce's several shipping addresses, SFCC's several
 * shipments), kept in its metadata as `delivery_groups`: each group's platform ID, address and
 * the line IDs that go there. The order ships to the first group's address; see the mapping docs.
 */
export function deliveryGroups(
  groups: { id: string | undefined; address: Address | undefined; lineIds: string[] }[],
): { id: string | undefined; address: Address | undefined; line_ids: string[] }[] | undefined {
  if (groups.length < 2) return undefined;
  return groups.map((g) => compact({ id: g.id, address: g.address, line_ids: g.lineIds }));
}
