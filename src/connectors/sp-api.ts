import { setTimeout as sleep } from 'node:timers/promises';
import { parseExact } from './json.ts';
import { obj, text, type Json } from './mapping.ts';
import type { PollingSettings } from './settings.ts';

/** Retries of one request answered 429 before the poll gives up (and resumes at its cursor later). */
const MAX_THROTTLED = 5;
/** The longest Consign waits on one 429 (a limit below 1/60 per second still waits only this long). */
const MAX_WAIT_MS = 60_000;

/** The operation a path belongs to (`/orders/v0/orders/{id}/address`): SP-API limits are per operation. */
const operationOf = (method: string, path: string) =>
  `${method} ${path.split('?')[0]!.replace(/\/orders\/v0\/orders\/[^/]+/, '/orders/v0/orders/{id}')}`;

interface Pace {
  intervalMs: number;
  nextAt: number;
}

/**
 * The pace of each seller account (endpoint and token) outlives one client: every page of a poll,
 * and the next poll, makes a new one, and Amazon's limits are the account's, not the page's.
 */
const paces = new Map<string, Map<string, Pace>>();
const MAX_ACCOUNTS = 100;

function paceOf(account: string): Map<string, Pace> {
  let pace = paces.get(account);
  if (!pace) {
    if (paces.size >= MAX_ACCOUNTS) paces.delete(paces.keys().next().value!);
    pace = new Map();
    paces.set(account, pace);
  }
  return pace;
}

/**
 * SP-API over HTTP, as Amazon asks clients to behave: a 429 is waited out for as long as the
 * operation's `x-amzn-RateLimit-Limit` (requests per second) says (or `Retry-After`, if longer),
 * then retried; and from then on requests to that operation are spaced at that rate, so a poll
 * does not run into the limit again and again.
 */
export class SpApiClient {
  private readonly base: string;
  /** Per operation: the rate Amazon reported, and when the next request may go. */
  private readonly pace: Map<string, Pace>;

  constructor(private readonly settings: PollingSettings) {
    this.base = settings.base_url.replace(/\/$/, '');
    this.pace = paceOf(`${this.base} ${settings.access_token ?? ''}`);
  }

  get(path: string, token = this.settings.access_token): Promise<Json> {
    return this.request('GET', path, token, undefined);
  }

  post(path: string, body: unknown, token = this.settings.access_token): Promise<Json> {
    return this.request('POST', path, token, body);
  }

  private async request(method: string, path: string, token: string | undefined, body: unknown): Promise<Json> {
    const operation = operationOf(method, path);
    for (let attempt = 0; ; attempt++) {
      const pace = this.pace.get(operation);
      if (pace) {
        const wait = pace.nextAt - Date.now();
        if (wait > 0) await sleep(wait);
      }
      const response = await fetch(`${this.base}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { 'x-amz-access-token': token } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const answer = await response.text();
      // Spaced from each answer, not each request: slow answers never bunch the next requests up.
      if (pace) pace.nextAt = Date.now() + pace.intervalMs;
      if (response.status === 429 && attempt < MAX_THROTTLED) {
        const intervalMs = throttleIntervalMs(response.headers);
        this.pace.set(operation, { intervalMs, nextAt: Date.now() + intervalMs });
        continue;
      }
      if (!response.ok)
        throw new Error(`${method} ${path.split('?')[0]} → HTTP ${response.status}: ${answer.slice(0, 200)}`);
      return obj(parseExact(answer));
    }
  }
}

/** How long to wait after a 429: one request's share of the reported rate, or `Retry-After`. */
function throttleIntervalMs(headers: Headers): number {
  const limit = Number(headers.get('x-amzn-ratelimit-limit'));
  const retryAfter = Number(headers.get('retry-after'));
  const byLimit = Number.isFinite(limit) && limit > 0 ? Math.ceil(1000 / limit) : 1000;
  const byRetry = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 0;
  return Math.min(MAX_WAIT_MS, Math.max(byLimit, byRetry));
}

/**
 * The buyer and the full shipping address of an order, which `getOrders` withholds: a Restricted
 * Data Token (Tokens API `createRestrictedDataToken`) for exactly `getOrderAddress` and
 * `getOrderBuyerInfo` of this order, then both calls with it as `x-amz-access-token`.
 */
export async function restrictedOrderData(
  client: SpApiClient,
  orderId: string,
): Promise<{ ShippingAddress?: Json; BuyerInfo?: Json }> {
  const id = encodeURIComponent(orderId);
  const address = `/orders/v0/orders/${id}/address`;
  const buyerInfo = `/orders/v0/orders/${id}/buyerInfo`;
  const granted = await client.post('/tokens/2021-03-01/restrictedDataToken', {
    restrictedResources: [
      { method: 'GET', path: address },
      { method: 'GET', path: buyerInfo },
    ],
  });
  const token = text(granted.restrictedDataToken, 4000);
  if (!token) throw new Error(`createRestrictedDataToken for ${orderId} returned no restrictedDataToken`);
  const shipping = obj(obj((await client.get(address, token)).payload).ShippingAddress);
  const buyer = obj((await client.get(buyerInfo, token)).payload);
  return {
    ...(Object.keys(shipping).length > 0 ? { ShippingAddress: shipping } : {}),
    ...(Object.keys(buyer).length > 0 ? { BuyerInfo: buyer } : {}),
  };
}
