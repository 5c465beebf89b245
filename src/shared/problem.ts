/**
 * Every expected failure has a stable machine code. The registry maps each code to its HTTP
 * status and title; `src/http/errors.ts` is the one place that turns a problem into a response.
 */
export const problemCodes = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  invalid_text: { status: 400, title: 'The text contains characters Consign cannot store' },
  malformed_url: { status: 400, title: 'The URL is not valid' },
  malformed_request: { status: 400, title: 'The request is not valid HTTP' },
  unauthorized: { status: 401, title: 'An API key or a sign-in is required' },
  sign_in_failed: { status: 401, title: 'The e-mail address or the password is wrong' },
  account_locked: { status: 423, title: 'The account is locked after repeated wrong passwords' },
  invalid_sign_in_link: { status: 400, title: 'The sign-in link is unknown, used or expired' },
  sso_refused: { status: 403, title: 'The single sign-on did not sign this person in' },
  invalid_signature: { status: 401, title: 'The webhook signature does not verify' },
  forbidden: { status: 403, title: 'This API key may not do that' },
  csrf_failed: { status: 403, title: 'The request lacks the session’s X-CSRF-Token header' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  request_timeout: { status: 408, title: 'The request took too long to arrive' },
  conflict: { status: 409, title: 'Conflict' },
  already_exists: { status: 409, title: 'It already exists' },
  idempotency_conflict: { status: 409, title: 'This Idempotency-Key was used with another request' },
  insufficient_stock: { status: 409, title: 'Not enough stock is available' },
  illegal_transition: { status: 409, title: 'That change of status is not allowed' },
  below_reserved: { status: 409, title: 'On hand would fall below what is reserved' },
  max_shipments_exceeded: { status: 409, title: 'No plan fits within the routing rules’ maximum number of shipments' },
  refund_exceeds_captured: { status: 409, title: 'The refund is more than was captured and not yet refunded' },
  not_returnable: { status: 409, title: 'Those units cannot be returned' },
  return_window_closed: { status: 409, title: 'The return window has closed' },
  exchange_not_settled: { status: 409, title: 'The units this replacement stands for are not refunded yet' },
  reship_limit_exceeded: { status: 409, title: 'Those units were already reshipped' },
  bundle_in_use: { status: 409, title: 'The bundle is in use: its components are fixed while orders or holds name it' },
  bundle_has_stock: { status: 409, title: 'A product with stock of its own cannot become a bundle' },
  payment_declined: { status: 402, title: 'The payment was declined' },
  version_conflict: { status: 409, title: 'The order changed since this version; read it again' },
  change_not_open: { status: 409, title: 'The change is no longer a draft' },
  line_shipped: { status: 409, title: 'Shipped units cannot be changed; return them instead' },
  line_in_fulfillment: { status: 409, title: 'Those units are packed or ready for pickup and can no longer change' },
  release_required: { status: 409, title: 'A location is working on those units; it must release them first' },
  shipping_charged: { status: 409, title: 'The shipping charge was collected with the first shipment' },
  order_unmanaged: {
    status: 409,
    title: 'The order was imported as it was; Consign does not route, capture or change it',
  },
  invalid_change: { status: 422, title: 'The change cannot apply to this order' },
  negative_total: { status: 422, title: 'The change would make an amount negative' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  uri_too_long: { status: 414, title: 'A path segment is too long' },
  unsupported_media_type: { status: 415, title: 'Send application/json' },
  unknown_sku: { status: 422, title: 'Unknown SKU' },
  bundle_cycle: { status: 422, title: 'A bundle may not contain itself, directly or through another bundle' },
  duplicate_component: { status: 422, title: 'A component is listed twice' },
  bundle_not_stocked: { status: 422, title: 'A bundle has no stock of its own; its components do' },
  webhook_target_not_allowed: { status: 422, title: 'Webhooks may not be sent to that address' },
  unmapped_item: { status: 422, title: 'A platform item has no SKU and no catalog mapping' },
  unknown_location: { status: 422, title: 'Unknown location' },
  unknown_reference: { status: 422, title: 'A referenced record does not exist' },
  reservation_channel_mismatch: { status: 422, title: 'The cart hold was not held for this order’s channel' },
  reservation_sku_mismatch: { status: 422, title: 'The cart hold holds none of the line’s SKU' },
  ship_from_unusable: { status: 422, title: 'A line’s ship-from location cannot fulfil this order' },
  feed_rejected: { status: 422, title: 'The feed has invalid rows; nothing was applied' },
  as_of_in_future: { status: 422, title: 'as_of lies in the future' },
  date_in_past: { status: 422, title: 'The date lies in the past' },
  supply_not_open: { status: 409, title: 'The supply is already received or cancelled' },
  preorder_cap_exceeded: { status: 409, title: 'The pre-order cap of the SKU is reached' },
  shadow_undecided: { status: 409, title: 'Open shadow orders have no decision on both sides yet' },
  channel_not_shadow: { status: 409, title: 'The channel is not in shadow mode' },
  invalid_automation: { status: 422, title: 'The automation rule is not valid' },
  invalid_tax_rate: { status: 422, title: 'A tax rate names no valid jurisdiction or rate' },
  tax_unavailable: { status: 502, title: 'The tax engine did not answer with a tax' },
  unknown_template: { status: 404, title: 'There is no notification template of that kind and locale' },
  template_invalid: { status: 422, title: 'The notification template does not render' },
  template_changed: { status: 409, title: 'The notification template changed since it was read; read it again' },
  notification_not_resendable: { status: 409, title: 'Only a sent or dead notification can be sent again' },
  invalid_unsubscribe_token: { status: 400, title: 'The unsubscribe link is not one Consign issued' },
  too_many_requests: { status: 429, title: 'Too many requests' },
  headers_too_large: { status: 431, title: 'The request headers are too large' },
  rate_limited: { status: 429, title: 'This API key is sending too many requests' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
  secret_key_missing: { status: 503, title: 'No key is configured to seal secrets with' },
  internal_error: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof problemCodes;

export interface Problem {
  code: ProblemCode;
  detail: string;
  /** Structured data for clients (per-line shortfalls, per-row errors, …). */
  [extra: string]: unknown;
}

export function problem(code: ProblemCode, detail: string, extras: Record<string, unknown> = {}): Problem {
  return { ...extras, code, detail };
}

/** Thrown only to carry a problem out of a transaction (which must roll back) or a hook. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.code}: ${problem.detail}`);
  }
}
