import { idText } from '../json.ts';
import { arr, obj, text, type Json, type Platform } from '../mapping.ts';

/** Units of one platform line (`line_id` as Consign keeps it: the platform's line ID). */
export interface LineUnits {
  line_id: string;
  quantity: number;
}

/** A refund the platform made: the amount as the platform wrote it (decimal text), in `currency`. */
export interface PlatformRefund {
  id: string;
  amount: string;
  currency: string;
  reason: string;
  /** Unfulfilled units the refund cancels (Shopify `restock_type: cancel`). */
  cancel_lines: LineUnits[];
}

/** A change of a placed order's lines on the platform (Shopify order edit). */
export interface PlatformEdit {
  id: string;
  removed: LineUnits[];
  added: LineUnits[];
}

/** What a platform says about an order beyond its creation. */
export interface OrderState {
  /** Why the platform cancelled it, when it did. */
  cancelled?: string | undefined;
  refunds: PlatformRefund[];
  edits: PlatformEdit[];
  /** Units the platform had already removed when the order reached Consign (a late first delivery). */
  removed_before: LineUnits[];
  /** A buyer asked the platform to cancel (Amazon): a person decides. */
  buyer_cancel_request?: string | undefined;
}

/** A platform delivery, read for what it means to an order's life. */
export type PlatformEvent =
  | { type: 'order'; payload: unknown }
  | { type: 'state'; externalId: string; state: OrderState; what: string }
  | { type: 'ignored'; detail: string };

export const emptyState = (): OrderState => ({ refunds: [], edits: [], removed_before: [] });

const positive = (value: unknown) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0;

function units(values: unknown[], idKey: string, quantityKey: string): LineUnits[] {
  return values
    .map(obj)
    .map((v) => ({ line_id: idText(v[idKey]) ?? '', quantity: positive(v[quantityKey]) }))
    .filter((u) => u.line_id !== '' && u.quantity > 0);
}

/** Sums decimal amounts exactly (in ten-thousandths), back to decimal text. */
function addDecimals(values: string[]): string {
  const scaled = values.reduce((n, v) => {
    const [whole = '0', fraction = ''] = v.replace('-', '').split('.');
    return n + BigInt(whole) * 10000n + BigInt((fraction + '0000').slice(0, 4));
  }, 0n);
  const fraction = (scaled % 10000n).toString().padStart(4, '0');
  return `${scaled / 10000n}.${fraction}`;
}

const decimal = (value: unknown) => {
  const t = typeof value === 'number' ? String(value) : text(value);
  return t !== undefined && /^-?\d+(\.\d+)?$/.test(t) ? t : undefined;
};

// ---- Shopify ------------------------------------------------------------------------------

function shopifyRefund(value: unknown, currency: string | undefined): PlatformRefund | undefined {
  const r = obj(value);
  const id = idText(r.id);
  if (!id) return undefined;
  const transactions = arr(r.transactions)
    .map(obj)
    .filter((t) => text(t.kind) === 'refund' && text(t.status) === 'success');
  const amounts = transactions.map((t) => decimal(t.amount)).filter((a): a is string => a !== undefined);
  return {
    id,
    amount: addDecimals(amounts),
    currency: text(transactions[0]?.currency) ?? currency ?? '',
    reason: text(r.note, 300) ?? 'refunded on Shopify',
    cancel_lines: units(
      arr(r.refund_line_items).filter((l) => text(obj(l).restock_type) === 'cancel'),
      'line_item_id',
      'quantity',
    ),
  };
}

function shopifyState(o: Json): OrderState {
  const currency = text(o.currency);
  return {
    cancelled: o.cancelled_at ? `cancelled on Shopify (${text(o.cancel_reason) ?? 'no reason given'})` : undefined,
    refunds: arr(o.refunds)
      .map((r) => shopifyRefund(r, currency))
      .filter((r): r is PlatformRefund => r !== undefined),
    edits: [],
    removed_before: arr(o.line_items)
      .map(obj)
      .filter((li) => typeof li.current_quantity === 'number' && typeof li.quantity === 'number')
      .map((li) => ({
        line_id: idText(li.id) ?? '',
        quantity: (li.quantity as number) - (li.current_quantity as number),
      }))
      .filter((u) => u.line_id !== '' && u.quantity > 0),
  };
}

/** Topics whose body is the whole order (placed when unknown, otherwise compared with Consign's). */
const SHOPIFY_ORDER_TOPICS = new Set([
  'orders/create',
  'orders/updated',
  'orders/cancelled',
  'orders/paid',
  'orders/fulfilled',
  'orders/partially_fulfilled',
]);

function shopifyEvent(topic: string | undefined, body: Json): PlatformEvent {
  if (topic === undefined || SHOPIFY_ORDER_TOPICS.has(topic)) return { type: 'order', payload: body };
  if (topic === 'refunds/create') {
    const refund = shopifyRefund(body, undefined);
    const externalId = idText(body.order_id);
    if (!refund || !externalId) return { type: 'ignored', detail: 'The refund names no id or order_id.' };
    return { type: 'state', externalId, what: `refund ${refund.id}`, state: { ...emptyState(), refunds: [refund] } };
  }
  if (topic === 'orders/edited') {
    const edit = obj(body.order_edit);
    const externalId = idText(edit.order_id);
    const id = idText(edit.id);
    if (!externalId || !id) return { type: 'ignored', detail: 'The order edit names no id or order_id.' };
    const lines = obj(edit.line_items);
    // An edit Consign pushed (its staff note names the change) added lines Consign already has.
    const ownEdit = typeof edit.staff_note === 'string' && CONSIGN_EDIT_NOTE.test(edit.staff_note);
    const change = {
      id,
      removed: units(arr(lines.removals), 'id', 'delta'),
      added: ownEdit ? [] : units(arr(lines.additions), 'id', 'delta'),
    };
    return { type: 'state', externalId, what: `order edit ${id}`, state: { ...emptyState(), edits: [change] } };
  }
  return { type: 'ignored', detail: `Shopify topic ${topic} is not taken by Consign.` };
}

/** The end of the staff note of an order edit Consign commits (see outbound/shopify-edit.ts). */
const CONSIGN_EDIT_NOTE = /\(Consign change chg_[A-Za-z0-9]+\)$/;

// ---- WooCommerce --------------------------------------------------------------------------

const WOO_ORDER_TOPICS = new Set(['order.created', 'order.updated']);

function wooState(o: Json): OrderState {
  const status = text(o.status);
  const currency = text(o.currency) ?? '';
  return {
    cancelled: status === 'cancelled' || status === 'refunded' ? `${status} on WooCommerce` : undefined,
    refunds: arr(o.refunds)
      .map(obj)
      .map((r) => ({
        id: idText(r.id) ?? '',
        amount: (decimal(r.total) ?? '').replace('-', ''),
        currency,
        // `reason`; older REST versions name it `refund`.
        reason: text(r.reason ?? r.refund, 300) ?? 'refunded on WooCommerce',
        cancel_lines: [],
      }))
      .filter((r) => r.id !== '' && r.amount !== ''),
    edits: [],
    removed_before: [],
  };
}

// ---- BigCommerce --------------------------------------------------------------------------

/** BigCommerce order status IDs (v2 `status_id`, webhook `new_status_id`). */
const BIGCOMMERCE_CANCELLED = 5;

function bigcommerceEvent(body: Json): PlatformEvent {
  const scope = text(body.scope);
  if (scope === undefined) return { type: 'order', payload: body };
  const data = obj(body.data);
  const externalId = idText(data.id);
  if (scope === 'store/order/statusUpdated' && externalId) {
    const status = obj(data.status).new_status_id;
    if (status === BIGCOMMERCE_CANCELLED) {
      return {
        type: 'state',
        externalId,
        what: 'status Cancelled',
        state: { ...emptyState(), cancelled: 'cancelled on BigCommerce' },
      };
    }
    return {
      type: 'ignored',
      detail: `BigCommerce status ${JSON.stringify(status ?? null)} of order ${externalId} changes nothing in Consign; only Cancelled (5) does.`,
    };
  }
  return {
    type: 'ignored',
    detail: `BigCommerce ${scope ?? 'webhook'} carries only the order ID: post the v2 order with its products and shipping_addresses embedded.`,
  };
}

// ---- Amazon -------------------------------------------------------------------------------

function amazonState(body: Json): OrderState {
  if (body.Order !== undefined) {
    const requests = arr(body.OrderItems)
      .map((i) => obj(obj(i).BuyerRequestedCancel))
      .filter((c) => String(c.IsBuyerRequestedCancel) === 'true');
    return {
      ...emptyState(),
      cancelled: text(obj(body.Order).OrderStatus) === 'Canceled' ? 'cancelled on Amazon' : undefined,
      buyer_cancel_request:
        requests.length > 0 ? (text(requests[0]!.BuyerCancelReason) ?? 'no reason given') : undefined,
    };
  }
  const o = obj(body.order ?? body);
  const requests = arr(o.orderItems)
    .map((i) => obj(obj(obj(i).cancellation).cancellationRequest))
    .filter((c) => text(c.requester) === 'BUYER');
  return {
    ...emptyState(),
    cancelled: text(obj(o.fulfillment).fulfillmentStatus) === 'CANCELLED' ? 'cancelled on Amazon' : undefined,
    buyer_cancel_request: requests.length > 0 ? (text(requests[0]!.cancelReason) ?? 'no reason given') : undefined,
  };
}

// ---- all platforms ------------------------------------------------------------------------

/** What a whole platform order says beyond its lines: cancelled, refunds, removed units, requests. */
export function orderState(platform: Platform, payload: unknown): OrderState {
  const body = obj(payload);
  switch (platform) {
    case 'shopify':
      return shopifyState(obj(body.order ?? body));
    case 'woocommerce':
      return wooState(body);
    case 'bigcommerce':
      return {
        ...emptyState(),
        cancelled: body.status_id === BIGCOMMERCE_CANCELLED ? 'cancelled on BigCommerce' : undefined,
      };
    case 'sfcc': {
      const status = text(body.status);
      return {
        ...emptyState(),
        cancelled: status === 'cancelled' || status === 'failed' ? `${status} on Salesforce Commerce Cloud` : undefined,
      };
    }
    case 'amazon':
      return amazonState(body);
  }
}

/** Where each platform names the event a delivery is (Shopify and WooCommerce webhooks). */
export const topicHeaders: Partial<Record<Platform, string>> = {
  shopify: 'x-shopify-topic',
  woocommerce: 'x-wc-webhook-topic',
};

/** Reads a delivery: a whole order (create or update), an event about one, or one Consign does not take. */
export function readPlatformEvent(platform: Platform, topic: string | undefined, payload: unknown): PlatformEvent {
  const body = obj(payload);
  if (platform === 'shopify') return shopifyEvent(topic, body);
  if (platform === 'bigcommerce') return bigcommerceEvent(body);
  if (platform === 'woocommerce' && topic !== undefined && !WOO_ORDER_TOPICS.has(topic)) {
    return { type: 'ignored', detail: `WooCommerce topic ${topic} is not taken by Consign.` };
  }
  return { type: 'order', payload };
}
