import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import type { TaxAddress, TaxRequest, TaxRequestLine } from './adapter.ts';
import type { TaxSettings } from './settings.ts';

interface OrderRow {
  currency: string;
  customer: Record<string, unknown>;
  customer_email: string | null;
  shipping_address: Record<string, unknown> | null;
  placed_at: string | Date;
  shipping_minor: number;
  total_minor: number;
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

function addressOf(raw: Record<string, unknown> | null): TaxAddress | null {
  const country = text(raw?.country);
  if (!raw || !country) return null;
  return {
    line1: text(raw.line1),
    city: text(raw.city),
    region: text(raw.region),
    postalCode: text(raw.postal_code),
    country: country.toUpperCase(),
  };
}

interface OrderTaxFacts {
  totalMinor: number;
  request: Omit<TaxRequest, 'code' | 'kind' | 'commit'>;
}

/**
 * What a tax engine needs of an order: its lines after discounts (with their products' tax
 * codes), the shipping charge as a line of its own, and where it ships from and to. Undefined
 * when there is nowhere to tax it at (no address, no ship-from).
 */
export async function orderTaxFacts(
  executor: Executor,
  orderId: string,
  settings: TaxSettings,
  /** `live`: only the units no cancellation or change took back (a change's new state). */
  units: 'all' | 'live' = 'all',
): Promise<OrderTaxFacts | undefined> {
  const order = await queryOne<OrderRow>(
    executor,
    sql`select currency, customer, customer_email, shipping_address, placed_at, shipping_minor, total_minor
        from orders where id = ${orderId}`,
  );
  if (!order) return undefined;
  const shipFrom = addressOf(settings.ship_from);
  const shipTo = addressOf(order.shipping_address) ?? shipFrom;
  if (!shipTo) return undefined;
  const rows = await query<{
    line_id: string;
    sku: string;
    quantity: number;
    amount_minor: number;
    tax_code: string | null;
  }>(
    executor,
    // The units counted less their discount share: the share of the first units, as captures
    // charge them (ADR 0006); for all the units, the whole discount.
    sql`with counted as (
          select l.line_no, l.line_id, l.sku, l.quantity, l.unit_price_minor, l.discount_minor,
                 case when ${units === 'live'}::boolean then l.quantity - l.cancelled else l.quantity end as units
          from order_lines l where l.order_id = ${orderId})
        select l.line_id, l.sku, l.units as quantity,
               l.unit_price_minor * l.units
                 - ((l.discount_minor / l.quantity) * l.units
                    + least(l.units, l.discount_minor - (l.discount_minor / l.quantity) * l.quantity)) as amount_minor,
               c.tax_code
        from counted l left join product_tax_codes c on c.sku = l.sku
        where l.units > 0 order by l.line_no`,
  );
  const lines: TaxRequestLine[] = rows.map((r) => ({
    lineId: r.line_id,
    sku: r.sku,
    taxCode: r.tax_code,
    quantity: r.quantity,
    amountMinor: Number(r.amount_minor),
    shipping: false,
  }));
  if (order.shipping_minor > 0)
    lines.push({
      lineId: 'shipping',
      sku: null,
      taxCode: null,
      quantity: 1,
      amountMinor: order.shipping_minor,
      shipping: true,
    });
  return {
    totalMinor: order.total_minor,
    request: {
      date: new Date(order.placed_at).toISOString().slice(0, 10),
      currency: order.currency,
      customerCode: text(order.customer.id) ?? order.customer_email ?? orderId,
      shipFrom,
      shipTo,
      mode: settings.price_mode,
      lines,
    },
  };
}
