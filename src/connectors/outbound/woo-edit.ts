import type { ShippingAddress } from '../../orders/index.ts';
import type { PerformOutcome, RelayRequest } from '../../webhooks/index.ts';
import { parseExact, stringifyExact } from '../json.ts';
import type { EditPlan } from './edit-plan.ts';

interface WooItem {
  /** Numbers, or their text beyond 2^53 (as `parseExact` reads them). */
  id: number | string;
  product_id: number | string;
  variation_id: number | string;
  quantity: number;
}
type WooShipping = Record<string, string>;

/** Consign's address as WooCommerce's `shipping` object. */
function wooShipping(a: ShippingAddress): WooShipping {
  const [first, ...rest] = (a.name ?? '').split(' ');
  return {
    first_name: first ?? '',
    last_name: rest.join(' '),
    address_1: a.line1,
    address_2: a.line2 ?? '',
    city: a.city,
    state: a.region ?? '',
    postcode: a.postal_code ?? '',
    country: a.country,
    ...(a.phone && { phone: a.phone }),
  };
}

/**
 * The `PUT` body still needed against the order as WooCommerce has it now: line items whose
 * quantity differs (0 removes one), added items not there yet (an item that was not on the
 * order, of the same product, variation and quantity, counts as added), and the shipping address
 * when it differs. Empty when the edit is already made, so a retry changes nothing.
 */
function updateBody(plan: EditPlan, items: WooItem[], shipping: WooShipping | undefined) {
  const byId = new Map(items.map((i) => [String(i.id), i]));
  const lineItems: Record<string, unknown>[] = [];
  for (const edit of plan.set_quantities) {
    const item = byId.get(edit.line_item_id);
    if (!item ? edit.quantity === 0 : item.quantity === edit.quantity) continue;
    lineItems.push({ id: BigInt(edit.line_item_id), quantity: edit.quantity });
  }
  const known = new Set(plan.known_line_items);
  const added = items.filter((i) => !known.has(String(i.id)) && i.quantity > 0);
  for (const a of plan.additions) {
    const product = BigInt(a.product_id ?? 0);
    const variation = BigInt(a.variant_id || 0);
    const there = added.findIndex(
      (i) => BigInt(i.product_id) === product && BigInt(i.variation_id) === variation && i.quantity === a.quantity,
    );
    if (there >= 0) {
      added.splice(there, 1);
      continue;
    }
    lineItems.push({
      product_id: product,
      ...(variation > 0n && { variation_id: variation }),
      quantity: a.quantity,
      subtotal: a.total,
      total: a.total,
    });
  }
  const wanted = plan.shipping_address && wooShipping(plan.shipping_address);
  const moved = wanted && Object.entries(wanted).some(([key, value]) => (shipping?.[key] ?? '') !== value);
  return { ...(lineItems.length > 0 && { line_items: lineItems }), ...(moved && { shipping: wanted }) };
}

const failure = (what: string, answer: { status: number; text: string }): PerformOutcome => {
  const body = (() => {
    try {
      return JSON.parse(answer.text) as { code?: string; message?: string };
    } catch {
      return {};
    }
  })();
  const said = body.message ? `${body.code ?? 'error'}: ${body.message}` : answer.text.slice(0, 300);
  return { ok: false, status: answer.status, error: `WooCommerce ${what}: HTTP ${answer.status} ${said}` };
};

/** A confirmed change as WooCommerce REST v3: the order read, then one `PUT /orders/{id}` of what is still needed. */
export async function performWooEdit(plan: EditPlan, request: RelayRequest): Promise<PerformOutcome> {
  const path = `/wp-json/wc/v3/orders/${plan.external_id}`;
  const read = await request('GET', path);
  if (read.status !== 200) return failure(`GET ${path}`, read);
  const order = parseExact(read.text) as { line_items?: WooItem[]; shipping?: WooShipping };
  const body = updateBody(plan, order.line_items ?? [], order.shipping);
  if (Object.keys(body).length === 0) return { ok: true, status: 200 };
  const updated = await request('PUT', path, stringifyExact(body));
  if (updated.status !== 200) return failure(`PUT ${path}`, updated);
  return { ok: true, status: 200 };
}
