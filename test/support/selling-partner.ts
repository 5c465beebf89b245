import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { must } from './client.ts';
import { CONNECTOR_SECRET, startConnectorWorld, type ConnectorWorld } from './connectors.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- SP-API documents, read field by field
type Json = Record<string, any>;

/** The access token the connector is configured with (Login with Amazon). */
export const LWA_TOKEN = 'Atza|consign-test-token';
/** The fake gives up on its own after this long, should a test forget to stop it. */
const LIFETIME_MS = 10 * 60_000;

/** What `getOrders` shows of an address without a Restricted Data Token (SP-API: no name, no street). */
const withoutPii = (order: Json): Json => {
  const { ShippingAddress: address, BuyerInfo: _buyer, ...rest } = order;
  return {
    ...rest,
    ...(address
      ? {
          ShippingAddress: {
            City: address.City,
            StateOrRegion: address.StateOrRegion,
            PostalCode: address.PostalCode,
            CountryCode: address.CountryCode,
          },
        }
      : {}),
    BuyerInfo: {},
  };
};

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => resolve(body));
  });

/**
 * A local SP-API on 127.0.0.1 that behaves as the published one does: Orders v0 `getOrders` in
 * pages of two (`NextToken`) with the buyer and street withheld, `getOrderItems`, the Tokens API
 * `createRestrictedDataToken` (granted for the paths asked, only with the LWA token), and
 * `getOrderAddress` / `getOrderBuyerInfo` answered only with a Restricted Data Token for that
 * path. `throttle(operation, n)` answers the next n calls 429 with `x-amzn-RateLimit-Limit`.
 */
export class FakeSellingPartner {
  readonly requests: string[] = [];
  /** Per operation (`address`, `buyerInfo`, `token`, `orders`, `items`): when each call arrived (ms). */
  readonly arrivals = new Map<string, number[]>();
  failNextPage = false;
  private readonly throttled = new Map<string, { left: number; limit: string }>();
  private readonly grants = new Map<string, Set<string>>();
  private readonly server: Server;
  url = '';

  /** `orders` are complete (with `ShippingAddress` and `BuyerInfo`); the fake withholds what SP-API withholds. */
  constructor(
    private readonly orders: Json[],
    private readonly items: Json[],
  ) {
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  throttle(operation: string, times: number, limit: string): void {
    this.throttled.set(operation, { left: times, limit });
  }

  private async handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://localhost');
    this.requests.push(`${request.method} ${url.pathname}?${url.searchParams}`);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    const token = String(request.headers['x-amz-access-token'] ?? '');
    const restricted = /^\/orders\/v0\/orders\/([^/]+)\/(address|buyerInfo)$/.exec(url.pathname);
    const items = /^\/orders\/v0\/orders\/([^/]+)\/orderItems$/.exec(url.pathname);
    const operation =
      url.pathname === '/tokens/2021-03-01/restrictedDataToken'
        ? 'token'
        : restricted
          ? restricted[2]!
          : items
            ? 'items'
            : 'orders';
    this.arrivals.set(operation, [...(this.arrivals.get(operation) ?? []), Date.now()]);
    const throttle = this.throttled.get(operation);
    if (throttle && throttle.left > 0) {
      throttle.left -= 1;
      return send(
        429,
        { errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.' }] },
        {
          'x-amzn-RateLimit-Limit': throttle.limit,
        },
      );
    }
    if (operation === 'token') {
      if (request.method !== 'POST' || token !== LWA_TOKEN) return send(403, { errors: [{ code: 'Unauthorized' }] });
      const body = JSON.parse(await readBody(request)) as Json;
      const rdt = `Atz.sprdt|${this.grants.size + 1}`;
      this.grants.set(rdt, new Set((body.restrictedResources as Json[]).map((r) => `${r.method} ${r.path}`)));
      return send(200, { restrictedDataToken: rdt, expiresIn: 3600 });
    }
    if (restricted) {
      if (!this.grants.get(token)?.has(`GET ${url.pathname}`))
        return send(403, { errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.' }] });
      const order = this.orders.find((o) => o.AmazonOrderId === decodeURIComponent(restricted[1]!));
      if (!order) return send(404, { errors: [{ code: 'NotFound' }] });
      return send(
        200,
        restricted[2] === 'address'
          ? { payload: { AmazonOrderId: order.AmazonOrderId, ShippingAddress: order.ShippingAddress } }
          : { payload: { AmazonOrderId: order.AmazonOrderId, ...order.BuyerInfo } },
      );
    }
    if (token !== LWA_TOKEN) return send(403, { errors: [{ code: 'Unauthorized' }] });
    if (items) return send(200, { payload: { AmazonOrderId: items[1], OrderItems: this.items } });
    if (url.pathname !== '/orders/v0/orders') return send(404, { errors: [{ code: 'NotFound' }] });
    const next = url.searchParams.get('NextToken');
    if (next && this.failNextPage) {
      this.failNextPage = false;
      return send(503, { errors: [{ code: 'InternalFailure', message: 'We encountered an internal error.' }] });
    }
    const after = url.searchParams.get('LastUpdatedAfter') ?? '';
    const matching = this.orders.filter((o) => o.LastUpdateDate >= after);
    const start = next ? Number(next) : 0;
    const page = matching.slice(start, start + 2).map(withoutPii);
    const nextToken = start + 2 < matching.length ? String(start + 2) : undefined;
    return send(200, {
      payload: {
        Orders: page,
        ...(nextToken ? { NextToken: nextToken } : {}),
        LastUpdatedBefore: '2026-11-27T00:00:00Z',
      },
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.server.unref();
    setTimeout(() => this.server.close(), LIFETIME_MS).unref();
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop = () => new Promise<void>((resolve) => this.server.close(() => resolve()));
}

/** A connector world whose Amazon channel polls `partner` (Orders v0, from 2026-11-01). */
export async function pollingWorld(partner: FakeSellingPartner): Promise<ConnectorWorld> {
  const world = await startConnectorWorld({ platform: 'amazon', skus: ['CBA_OTF_1', 'CBA_OTF_5'] });
  await must(world.server.request, 'PUT', `/v1/channels/${world.channelId}/connector`, {
    platform: 'amazon',
    secret: CONNECTOR_SECRET,
    polling: {
      base_url: partner.url,
      api_version: 'v0',
      marketplace_ids: ['ATVPDKIKX0DER'],
      access_token: LWA_TOKEN,
      start_after: '2026-11-01T00:00:00Z',
    },
  });
  return world;
}
