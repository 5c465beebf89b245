import { parseCsv } from '../shared/csv.ts';
import type { HistoryOrder, HistoryRow } from './record.ts';

/**
 * The Olist marketplace dataset (orders, order items, customers, products as CSV files) read
 * into Consign's history format. Olist orders are Brazilian: amounts are reais with two
 * decimals, times are São Paulo's (UTC−3), and the data has no e-mails, payments or parcels.
 */
export interface OlistFiles {
  orders: string;
  items: string;
  customers: string;
  /** Optional: products with their category, for line and product names. */
  products?: string | undefined;
  /** Optional: category names in English. */
  categories?: string | undefined;
}

/** Olist's order statuses → Consign's. `unavailable`: the seller could not supply it, so it was cancelled. */
const statuses: Record<string, string> = {
  created: 'created',
  approved: 'confirmed',
  processing: 'confirmed',
  invoiced: 'in_process',
  shipped: 'shipped',
  delivered: 'delivered',
  canceled: 'cancelled',
  unavailable: 'cancelled',
};

/** Rows of a CSV file as objects keyed by its header (a UTF-8 BOM is dropped). */
function table(text: string): Record<string, string>[] {
  const [header = [], ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
  return rows.filter((r) => r.length > 1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/** `199.9` reais → 19990 centavos. */
const centavos = (value: string) => Math.round(Number(value) * 100);
/** `2017-10-02 10:56:33` in São Paulo → ISO 8601 with its offset. */
const saoPaulo = (value: string) => (value ? `${value.replace(' ', 'T')}-03:00` : undefined);

function names(files: OlistFiles): Map<string, string> {
  const english = new Map(
    table(files.categories ?? '').map((c) => [c.product_category_name ?? '', c.product_category_name_english ?? '']),
  );
  const byProduct = new Map<string, string>();
  for (const p of table(files.products ?? '')) {
    const category = p.product_category_name ?? '';
    byProduct.set(p.product_id ?? '', english.get(category) || category || 'Olist product');
  }
  return byProduct;
}

/**
 * Reads the Olist files: one history record per order (its row in the orders file), its items
 * as lines of one unit each, freight as shipping. The products the items name come back too,
 * for the catalogue: an Olist product ID is its SKU.
 */
export function readOlist(files: OlistFiles): { rows: HistoryRow[]; products: { sku: string; name: string }[] } {
  const productNames = names(files);
  const customers = new Map(table(files.customers).map((c) => [c.customer_id ?? '', c]));
  const items = new Map<string, Record<string, string>[]>();
  for (const item of table(files.items)) {
    const list = items.get(item.order_id ?? '') ?? [];
    list.push(item);
    items.set(item.order_id ?? '', list);
  }
  const products = new Map<string, string>();
  const rows = table(files.orders).map((o, i): HistoryRow => {
    const lines = (items.get(o.order_id ?? '') ?? []).sort((a, b) => Number(a.order_item_id) - Number(b.order_item_id));
    for (const l of lines) products.set(l.product_id ?? '', productNames.get(l.product_id ?? '') ?? 'Olist product');
    const customer = customers.get(o.customer_id ?? '');
    const shipping = lines.reduce((n, l) => n + centavos(l.freight_value ?? '0'), 0);
    const subtotal = lines.reduce((n, l) => n + centavos(l.price ?? '0'), 0);
    const record: HistoryOrder = {
      id: o.order_id ?? '',
      status: statuses[o.order_status ?? ''] ?? o.order_status ?? '',
      original_status: o.order_status ?? '',
      placed_at: saoPaulo(o.order_purchase_timestamp ?? '') ?? '',
      currency: 'BRL',
      customer: customer
        ? {
            id: customer.customer_unique_id ?? '',
            // Olist has no e-mails: a reserved-domain address keyed by the customer groups their orders in the 360.
            email: `${customer.customer_unique_id}@olist.invalid`,
          }
        : {},
      ...(customer && {
        shipping_address: {
          city: customer.customer_city,
          region: customer.customer_state,
          postal_code: (customer.customer_zip_code_prefix ?? '').padStart(5, '0'),
          country: 'BR',
        },
      }),
      lines: lines.map((l) => ({
        id: l.order_item_id ?? '',
        sku: l.product_id ?? '',
        name: productNames.get(l.product_id ?? '') ?? 'Olist product',
        quantity: 1,
        unit_price_minor: centavos(l.price ?? '0'),
      })),
      shipping_minor: shipping,
      total_minor: subtotal + shipping,
      metadata: {
        source: 'olist',
        sellers: [...new Set(lines.map((l) => l.seller_id))],
        approved_at: saoPaulo(o.order_approved_at ?? '') ?? null,
        delivered_to_carrier_at: saoPaulo(o.order_delivered_carrier_date ?? '') ?? null,
        delivered_to_customer_at: saoPaulo(o.order_delivered_customer_date ?? '') ?? null,
        estimated_delivery_at: saoPaulo(o.order_estimated_delivery_date ?? '') ?? null,
      },
    };
    return { row: i + 2, value: record };
  });
  return { rows, products: [...products].map(([sku, name]) => ({ sku, name })) };
}
