import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollChannel } from '../../src/connectors/index.ts';
import { query } from '../../src/db/index.ts';
import { must } from '../support/client.ts';
import { CONNECTOR_SECRET, connectorFixture, startConnectorWorld, type ConnectorWorld } from '../support/connectors.ts';

type Json = Record<string, any>;

/** A local SP-API Orders v0 endpoint: getOrders in pages of two (NextToken), getOrderItems per order. */
class FakeSellingPartner {
  readonly requests: string[] = [];
  failNextPage = false;
  private readonly server: Server;
  url = '';

  constructor(
    private readonly orders: Json[],
    private readonly items: Json[],
  ) {
    this.server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      this.requests.push(`${url.pathname}?${url.searchParams}`);
      const send = (status: number, body: unknown) =>
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const itemsMatch = /^\/orders\/v0\/orders\/([^/]+)\/orderItems$/.exec(url.pathname);
      if (itemsMatch) return send(200, { payload: { AmazonOrderId: itemsMatch[1], OrderItems: this.items } });
      if (url.pathname !== '/orders/v0/orders') return send(404, { errors: [{ code: 'NotFound' }] });
      const token = url.searchParams.get('NextToken');
      if (token && this.failNextPage) {
        this.failNextPage = false;
        return send(503, { errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota' }] });
      }
      const after = url.searchParams.get('LastUpdatedAfter') ?? '';
      const matching = this.orders.filter((o) => o.LastUpdateDate >= after);
      const start = token ? Number(token) : 0;
      const page = matching.slice(start, start + 2);
      const next = start + 2 < matching.length ? String(start + 2) : undefined;
      return send(200, {
        payload: { Orders: page, ...(next ? { NextToken: next } : {}), LastUpdatedBefore: '2026-11-27T00:00:00Z' },
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop = () => new Promise<void>((resolve) => this.server.close(() => resolve()));
}

describe('polling connector (SP-API getOrders with a stored cursor)', () => {
  let world: ConnectorWorld;
  let partner: FakeSellingPartner;
  const ids = ['111-0000001-0000001', '111-0000002-0000002', '111-0000003-0000003'];

  beforeAll(async () => {
    const sample = JSON.parse(connectorFixture('amazon/v0-order.json')) as Json;
    const orders = ids.map((id, i) => ({
      ...sample.Order,
      AmazonOrderId: id,
      LastUpdateDate: `2026-11-2${i}T10:00:00Z`,
    }));
    partner = await new FakeSellingPartner(orders, sample.OrderItems).start();
    world = await startConnectorWorld({ platform: 'amazon', skus: ['CBA_OTF_1', 'CBA_OTF_5'] });
    await must(world.server.request, 'PUT', `/v1/channels/${world.channelId}/connector`, {
      platform: 'amazon',
      secret: CONNECTOR_SECRET,
      polling: {
        base_url: partner.url,
        api_version: 'v0',
        marketplace_ids: ['ATVPDKIKX0DER'],
        access_token: 'Atza|consign-test-token',
        start_after: '2026-11-01T00:00:00Z',
      },
    });
  });
  afterAll(async () => {
    await partner?.stop();
    await world?.close();
  });

  const externalIds = async () =>
    (
      await query<{ external_id: string }>(world.database.db, sql`select external_id from orders order by external_id`)
    ).map((r) => r.external_id);

  it('a failure mid-way keeps the pages already taken with their cursor; a restart neither misses nor repeats', async () => {
    partner.failNextPage = true;
    await expect(pollChannel(world.database.db, world.channelId)).rejects.toThrow(/HTTP 503/);
    expect(await externalIds()).toEqual(ids.slice(0, 2));
    const connector = await must(world.server.request, 'GET', `/v1/channels/${world.channelId}/connector`);
    expect(connector.poll_cursor).toMatchObject({ next_token: '2' });
    expect(connector.polling.access_token).toBeUndefined();

    // Restart: the poll resumes from the stored token.
    const resumed = await pollChannel(world.database.db, world.channelId);
    expect(resumed.orders).toBe(1);
    expect(partner.requests.filter((r) => r.startsWith('/orders/v0/orders?')).at(-1)).toContain('NextToken=2');
    expect(await externalIds()).toEqual(ids);

    // The next poll starts at the latest update seen; the order updated then comes back and is absorbed.
    await pollChannel(world.database.db, world.channelId);
    expect(partner.requests.filter((r) => r.startsWith('/orders/v0/orders?')).at(-1)).toContain(
      'LastUpdatedAfter=2026-11-22T10%3A00%3A00Z',
    );
    expect(await externalIds()).toEqual(ids);
  });

  it('places polled orders as the webhook connectors do (routed, paid, with the Amazon IDs)', async () => {
    const list = await must(world.server.request, 'GET', `/v1/orders?channel=${world.channelId}`);
    expect(list.data).toHaveLength(3);
    const order = await must(world.server.request, 'GET', `/v1/orders/${list.data[0].id}`);
    expect(order.status).toBe('in_process');
    expect(order.total).toEqual({ amount: 6596, currency: 'USD' });
  });
});
