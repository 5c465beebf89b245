import { can, canSeeChannel, type Principal } from '../auth/index.ts';
import { listProducts } from '../catalog/index.ts';
import { listCustomers } from '../customers/index.ts';
import type { Executor } from '../db/index.ts';
import { listOrders } from '../orders/index.ts';
import { getReturn } from '../returns/index.ts';

/** What one search finds: each kind from the capability that owns it, as far as the key may read it. */
interface Found {
  kind: 'order' | 'customer' | 'sku' | 'return';
  /** The order ID, the e-mail, the SKU or the RMA number: what the console opens. */
  id: string;
  label: string;
  detail: string;
  /** The text is exactly this record's number, e-mail, SKU or RMA: the one to open. */
  exact: boolean;
}

/** At most this many of each kind. */
const EACH = 5;

/**
 * Finds an order by its number (external ID), ID, customer name or e-mail; a customer by e-mail;
 * a product by SKU or name; a return by its RMA number. Channel keys find only their channel's
 * orders, customers and returns.
 */
export async function search(executor: Executor, principal: Principal, text: string): Promise<Found[]> {
  const q = text.trim();
  if (q === '') return [];
  const channelId = principal.role === 'channel' ? (principal.channelId ?? 'none') : null;
  const found: Found[] = [];
  if (can(principal, 'orders:read')) {
    const orders = await listOrders(executor, { text: q, channelId: channelId ?? undefined, limit: EACH });
    // The order whose number is exactly the text first.
    orders.sort((a, b) => Number(b.external_id === q) - Number(a.external_id === q));
    for (const o of orders)
      found.push({
        kind: 'order',
        id: o.id,
        label: `Order ${o.external_id}`,
        exact: o.external_id === q || o.id === q,
        detail: [o.status, o.customer.name, o.customer.email].filter(Boolean).join(' · '),
      });
  }
  if (q.includes('@') && can(principal, 'customers:read'))
    for (const c of await listCustomers(executor, { text: q, channelId, limit: EACH }))
      found.push({
        kind: 'customer',
        id: c.email,
        label: c.name ? `${c.name} <${c.email}>` : c.email,
        detail: `${c.orders} order${c.orders === 1 ? '' : 's'}`,
        exact: c.email === q.toLowerCase(),
      });
  if (can(principal, 'catalog:read')) {
    const products = await listProducts(executor, { search: q, limit: EACH });
    products.sort((a, b) => Number(b.sku === q) - Number(a.sku === q));
    for (const p of products) found.push({ kind: 'sku', id: p.sku, label: p.sku, detail: p.name, exact: p.sku === q });
  }
  if (/^rma_/i.test(q) && can(principal, 'returns:read')) {
    const rma = await getReturn(executor, q.toLowerCase());
    if (rma && canSeeChannel(principal, rma.channel_id))
      found.push({ kind: 'return', id: rma.id, label: `Return ${rma.id}`, detail: rma.status, exact: true });
  }
  return found;
}
