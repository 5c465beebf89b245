/**
 * The returns API (`/v1/returns`, `/v1/orders/{id}/reship`): every shape and call the console
 * uses for returns lives in this file, so a change of that API is a change here.
 */
import type { Api } from './client.ts';
import type { Money } from '../ui/format.ts';
import type { Page } from './types.ts';

export const returnConditions = ['new', 'opened', 'damaged', 'defective'] as const;
export const returnDispositions = ['restock', 'write_off'] as const;
export type ReturnCondition = (typeof returnConditions)[number];
export type ReturnDisposition = (typeof returnDispositions)[number];

export interface ReturnLine {
  line_id: string;
  sku: string;
  quantity: number;
  reason?: string | null;
  received_quantity?: number;
  condition?: ReturnCondition | null;
  disposition?: ReturnDisposition | null;
}

export interface ReturnRecord {
  id: string;
  order_id: string;
  status: string;
  reason?: string | null;
  lines: ReturnLine[];
  refund_total?: Money | null;
  created_at?: string;
  updated_at?: string;
}

export interface StartReturnInput {
  order_id: string;
  reason: string;
  lines: { line_id: string; quantity: number; reason?: string }[];
}

export interface ReceiveLine {
  line_id: string;
  quantity: number;
  condition: ReturnCondition;
  disposition: ReturnDisposition;
}

export const returnsApi = (api: Api) => ({
  forOrder: (orderId: string) => api.get<Page<ReturnRecord>>('/v1/returns', { order_id: orderId }),
  get: (id: string) => api.get<ReturnRecord>(`/v1/returns/${encodeURIComponent(id)}`),
  start: (input: StartReturnInput) => api.post<ReturnRecord>('/v1/returns', input, { idempotent: true }),
  authorize: (id: string) => api.post<ReturnRecord>(`/v1/returns/${encodeURIComponent(id)}/authorize`, {}),
  receive: (id: string, lines: ReceiveLine[]) =>
    api.post<ReturnRecord>(`/v1/returns/${encodeURIComponent(id)}/receive`, { lines }),
  refund: (id: string) => api.post<ReturnRecord>(`/v1/returns/${encodeURIComponent(id)}/refund`, {}),
  cancel: (id: string, reason: string) =>
    api.post<ReturnRecord>(`/v1/returns/${encodeURIComponent(id)}/cancel`, { reason }),
  reship: (orderId: string, lines: { line_id: string; quantity: number }[], reason: string) =>
    api.post<{ id: string }>(
      `/v1/orders/${encodeURIComponent(orderId)}/reship`,
      { lines, reason },
      { idempotent: true },
    ),
});
