import { parseExact, stringifyExact } from '../../src/connectors/index.ts';
import { PlatformApiPeer, type PeerAnswer } from './platform-api-peer.ts';

interface WooLineItem {
  id: number;
  product_id: number;
  variation_id: number;
  quantity: number;
  [field: string]: unknown;
}

export interface WooRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
}

/**
 * WooCommerce REST v3 orders behind a connector's relay: `GET /wp-json/wc/v3/orders/{id}` answers
 * the order, `PUT` updates it as WooCommerce does — a line item named by `id` takes the new
 * `quantity` (0 removes it), one without an `id` is added with a new ID, `shipping` replaces the
 * address — and answers the whole order. An unknown product or line item is a
 * `woocommerce_rest_invalid_…` error with status 400.
 */
export class WooCommerceRestPeer {
  readonly requests: WooRequest[] = [];
  readonly orders = new Map<string, Record<string, unknown> & { line_items: WooLineItem[] }>();
  readonly peer: PlatformApiPeer;
  private nextItemId = 900;

  constructor(secret: string) {
    this.peer = new PlatformApiPeer(secret, '/woo-relay', (method, path, text) => this.handle(method, path, text));
  }

  /** An order as WooCommerce has it (a retrieve-order response). */
  addOrder(orderText: string) {
    const order = parseExact(orderText) as Record<string, unknown> & { id: number; line_items: WooLineItem[] };
    this.orders.set(String(order.id), order);
  }

  private handle(method: string, path: string, text: string): PeerAnswer {
    const id = /^\/wp-json\/wc\/v3\/orders\/(\d+)$/.exec(path)?.[1];
    const order = id ? this.orders.get(id) : undefined;
    const body = text ? (parseExact(text) as Record<string, unknown>) : null;
    this.requests.push({ method, path, body });
    if (!order) return error(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
    if (method === 'GET') return { status: 200, text: stringifyExact(order) };
    if (method !== 'PUT' || !body)
      return error(405, 'rest_no_route', 'No route was found matching the URL and request method.');
    for (const item of (body.line_items ?? []) as Partial<WooLineItem>[]) {
      if (item.id !== undefined) {
        const existing = order.line_items.find((li) => li.id === item.id);
        if (!existing)
          return error(400, 'woocommerce_rest_invalid_item_id', 'Order item ID provided is not associated with order.');
        existing.quantity = item.quantity ?? existing.quantity;
      } else {
        if (!item.product_id)
          return error(400, 'woocommerce_rest_invalid_product_id', 'Product ID provided is invalid.');
        order.line_items.push({
          ...item,
          id: this.nextItemId++,
          product_id: item.product_id,
          variation_id: item.variation_id ?? 0,
          quantity: item.quantity ?? 1,
        });
      }
    }
    order.line_items = order.line_items.filter((li) => li.quantity > 0);
    if (body.shipping) order.shipping = body.shipping;
    return { status: 200, text: stringifyExact(order) };
  }
}

const error = (status: number, code: string, message: string): PeerAnswer => ({
  status,
  text: JSON.stringify({ code, message, data: { status } }),
});
