/**
 * The returns API (`/v1/returns`, `/v1/orders/{id}/reship`): every shape and call the console
 * uses for returns lives in this file, so a change of that API is a change here.
 */
import type { Api } from './client.ts';
import type { Money } from '../ui/format.ts';
import type { Page } from './types.ts';

export const returnReasons = [
  'damaged',
  'defective',
  'wrong_item',
  'not_as_described',
  'size_fit',
  'no_longer_needed',
  'changed_mind',
  'other',
] as const;
export const returnMethods = ['mail_in', 'in_store'] as const;
export const returnConditions = ['new', 'opened', 'used', 'damaged', 'defective'] as const;
export const returnDispositions = ['restock', 'write_off', 'return_to_vendor'] as const;
export const reshipReasons = ['lost', 'damaged', 'other'] as const;
export type ReturnReason = (typeof returnReasons)[number];
export type ReturnMethod = (typeof returnMethods)[number];
export type ReturnCondition = (typeof returnConditions)[number];
export type ReturnDisposition = (typeof returnDispositions)[number];
export type ReshipReason = (typeof reshipReasons)[number];
export type ReturnStatus =
  'initiated' | 'authorized' | 'received' | 'restocked' | 'written_off' | 'refunded' | 'rejected' | 'cancelled';

/** A returned line: what was asked back and, per disposition, what has arrived. */
export interface ReturnLine {
  line_id: string;
  sku: string;
  quantity: number;
  reason: ReturnReason;
  comment: string | null;
  received: number;
  restocked: number;
  written_off: number;
  returned_to_vendor: number;
  refunded: number;
  exchange_sku: string | null;
}

export interface ReturnRecord {
  id: string;
  order_id: string;
  channel_id: string;
  status: ReturnStatus;
  method: ReturnMethod;
  location_id: string | null;
  carrier: string | null;
  tracking_number: string | null;
  customer_email: string | null;
  notes: string | null;
  refunded: Money;
  shipping_refunded: Money;
  restocking_fee: Money;
  exchange_order_id: string | null;
  created_at: string;
  updated_at: string;
  lines: ReturnLine[];
}

/** An exchange or reship order placed for this order (`linked_orders` of `GET /v1/orders/{id}`). */
export interface LinkedOrder {
  order_id: string;
  kind: 'exchange' | 'reship';
  return_id: string | null;
  reason: string;
}

export interface ReturnReceipt {
  line_id: string;
  quantity: number;
  condition: ReturnCondition;
  disposition: ReturnDisposition;
  location_id: string;
  note: string | null;
}

/** `GET /v1/returns/{id}` and every action's answer: the record with its receipts and credit memos. */
export interface ReturnDetail extends ReturnRecord {
  receipts: ReturnReceipt[];
  credit_memos: { id: string; total: Money; pdf: string }[];
}

export interface StartReturnInput {
  order_id: string;
  method: ReturnMethod;
  location_id?: string;
  carrier?: string;
  tracking_number?: string;
  lines: {
    line_id: string;
    quantity: number;
    reason: ReturnReason;
    comment?: string;
    /** An exchange: the replacement SKU, at the returned line's unit price. */
    exchange?: { sku: string };
  }[];
}

export interface ReceiveInput {
  /** Where the units arrived; defaults to the return's location. */
  location_id?: string;
  lines: ReceiveLine[];
  /** Nothing more is coming: finish receiving with what arrived. */
  close?: boolean;
}

export interface ReceiveLine {
  line_id: string;
  quantity: number;
  condition: ReturnCondition;
  disposition: ReturnDisposition;
}

/** What to refund: some received units (default: every one not yet refunded), shipping per the policy unless said. */
export interface RefundInput {
  lines?: { line_id: string; quantity: number }[];
  refund_shipping?: boolean;
}

/** `POST /v1/returns/{id}/refund-preview`: the refund's own computation, nothing written. */
export interface RefundPreview {
  lines: {
    line_id: string;
    sku: string;
    name: string;
    quantity: number;
    unit_price: Money;
    subtotal: Money;
    discount: Money;
    tax: Money;
    restocking_fee: Money;
    total: Money;
  }[];
  subtotal: Money;
  discount: Money;
  tax: Money;
  restocking_fee: Money;
  shipping: Money;
  total: Money;
  policy: { shipping_refund: 'never' | 'merchant_fault' | 'always'; restocking_fee_bps: number };
}

export interface RefundResult {
  return: ReturnDetail;
  /** `amount` is what was refunded: `computed` less what earlier (goodwill) refunds had already given back. */
  refund: {
    status: string;
    computed: Money;
    amount: Money;
    capped_by_earlier_refunds: Money;
    shipping: Money;
    restocking_fee: Money;
  };
}

export interface ReshipInput {
  reason: ReshipReason;
  note?: string;
  lines: { line_id: string; quantity: number }[];
}

const path = (id: string, action = '') => `/v1/returns/${encodeURIComponent(id)}${action && `/${action}`}`;

export const returnsApi = (api: Api) => ({
  forOrder: (orderId: string) => api.get<Page<ReturnRecord>>('/v1/returns', { order_id: orderId }),
  /** Returns, newest first, by order ID, order number, customer e-mail or status. */
  list: (filter: {
    order_id?: string;
    order_number?: string;
    customer_email?: string;
    status?: ReturnStatus;
    limit?: number;
  }) => api.get<Page<ReturnRecord>>('/v1/returns', filter),
  get: (id: string) => api.get<ReturnDetail>(path(id)),
  start: (input: StartReturnInput) => api.post<ReturnDetail>('/v1/returns', input, { idempotent: true }),
  authorize: (id: string) => api.post<ReturnDetail>(path(id, 'authorize'), {}, { idempotent: true }),
  reject: (id: string, reason: string) => api.post<ReturnDetail>(path(id, 'reject'), { reason }, { idempotent: true }),
  cancel: (id: string, reason: string) => api.post<ReturnDetail>(path(id, 'cancel'), { reason }, { idempotent: true }),
  receive: (id: string, input: ReceiveInput) =>
    api.post<ReturnDetail>(path(id, 'receive'), input, { idempotent: true }),
  /** What `refund` with the same input would give back, computed by the server. */
  previewRefund: (id: string, input: RefundInput = {}) => api.post<RefundPreview>(path(id, 'refund-preview'), input),
  /** By default every received unit not yet refunded, under the channel's shipping and restocking-fee policy. */
  refund: (id: string, input: RefundInput = {}) =>
    api.post<RefundResult>(path(id, 'refund'), input, { idempotent: true }),
  reship: (orderId: string, input: ReshipInput) =>
    api.post<{ order_id: string; reship_order_id: string }>(`/v1/orders/${encodeURIComponent(orderId)}/reship`, input, {
      idempotent: true,
    }),
});
