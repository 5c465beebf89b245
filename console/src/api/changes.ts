/**
 * The order changes API (`/v1/orders/{id}/changes`): the shapes and calls the console's order
 * edit uses, so a change of that API is a change here.
 */
import type { Api } from './client.ts';
import type { Money } from '../ui/format.ts';

interface Totals {
  subtotal: Money;
  discount: Money;
  shipping: Money;
  tax: Money;
  total: Money;
}

export interface RoutingMove {
  line_id: string;
  sku: string;
  location_id: string;
  quantity: number;
}

export interface ChangePreview {
  base_version: number;
  before: Totals;
  after: Totals;
  delta: Money;
  settlement: { authorize: Money; void: Money; refund: Money; uncovered: Money };
  /** Null while locations must release work first: routing is found when the change confirms. */
  routing: {
    placed: RoutingMove[];
    released: RoutingMove[];
    waiting: { line_id: string; quantity: number }[];
  } | null;
  release_needed: string[];
  lines: {
    line_id: string;
    sku: string;
    quantity: number;
    unit_price: Money;
    shipped: number;
    added: boolean;
    cancelled_now: number;
    added_units: number;
  }[];
}

export interface ChangeDraft {
  id: string;
  status: string;
  base_version: number;
  preview: ChangePreview | null;
  preview_problem?: { title?: string; detail: string };
}

const changesPath = (orderId: string) => `/v1/orders/${encodeURIComponent(orderId)}/changes`;

export const draftChange = (api: Api, orderId: string, reason: string, actions: object[]) =>
  api.post<ChangeDraft>(changesPath(orderId), { reason, actions }, { idempotent: true });

export const decideChange = (api: Api, orderId: string, changeId: string, verb: 'confirm' | 'cancel') =>
  api.post<ChangeDraft>(`${changesPath(orderId)}/${encodeURIComponent(changeId)}/${verb}`, {}, { idempotent: true });
