import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReportFixture, type ReportDataset, type ReportFixture } from '../support/report-dataset.ts';
import type { TestServer } from '../support/server.ts';

let fixture: ReportFixture;
let server: TestServer;
let data: ReportDataset;

beforeAll(async () => {
  fixture = await startReportFixture();
  ({ server, data } = fixture);
}, 60_000);
afterAll(async () => {
  await fixture?.close();
});

const both = () => [data.net.channelId, data.marketplaceId].sort();
const pat = () => ({
  email: 'pat@example.com',
  name: 'Pat Doe',
  orders: 3,
  first_order_at: '2026-03-01T10:00:00.000Z',
  last_order_at: '2026-03-02T12:00:00.000Z',
  channels: both(),
});
const sam = () => ({
  email: 'sam@example.com',
  name: 'Sam Roe',
  orders: 5,
  first_order_at: '2026-03-01T23:30:00.000Z',
  last_order_at: '2026-03-04T00:00:00.000Z',
  channels: both(),
});

describe('the customer list', () => {
  it('lists customers by e-mail across channels, a page at a time', async () => {
    const all = await server.request('GET', '/v1/customers');
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ data: [pat(), sam()], next_cursor: null });
    const first = await server.request('GET', '/v1/customers?limit=1');
    expect(first.body.data).toEqual([pat()]);
    const second = await server.request('GET', `/v1/customers?limit=1&cursor=${first.body.next_cursor}`);
    expect(second.body).toEqual({ data: [sam()], next_cursor: null });
  });

  it('searches e-mail and name', async () => {
    expect((await server.request('GET', '/v1/customers?q=PAT@')).body.data).toEqual([pat()]);
    expect((await server.request('GET', '/v1/customers?q=roe')).body.data).toEqual([sam()]);
    expect((await server.request('GET', '/v1/customers?q=nobody')).body.data).toEqual([]);
  });

  it("shows a channel key only its own channel's orders", async () => {
    const own = await server.request('GET', '/v1/customers', { key: data.marketplaceKey });
    expect(own.body.data).toEqual([
      { ...pat(), orders: 1, first_order_at: '2026-03-02T12:00:00.000Z', channels: [data.marketplaceId] },
      {
        ...sam(),
        orders: 1,
        first_order_at: '2026-03-03T00:00:00.000Z',
        last_order_at: '2026-03-03T00:00:00.000Z',
        channels: [data.marketplaceId],
      },
    ]);
  });

  it('rejects a bad cursor and refuses fulfillment keys', async () => {
    const bad = await server.request('GET', '/v1/customers?cursor=nonsense');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
    expect((await server.request('GET', '/v1/customers', { key: data.fulfillmentKey })).status).toBe(403);
  });
});

describe('customer 360', () => {
  it('gathers every order of one e-mail across channels, with totals', async () => {
    const response = await server.request('GET', '/v1/customers/Pat%40example.com');
    expect(response.status).toBe(200);
    const body = response.body;
    expect(body).toMatchObject({ email: 'pat@example.com', name: 'Pat Doe', returns: [], channels: both() });
    const { W1, W4, M1 } = data.orders;
    expect(body.orders.map((o: { id: string }) => o.id).sort()).toEqual([W1, W4, M1].sort());
    const list = await server.request('GET', '/v1/orders?email=pat@example.com');
    expect(body.orders).toEqual(list.body.data);
    // W1 1771 + M1 2743; W4 was cancelled. 500 of W1 was refunded.
    expect(body.totals).toEqual([{ currency: 'USD', orders: 3, spent_minor: 4514, refunded_minor: 500 }]);
  });

  it("shows a channel key only its own channel's orders of the customer", async () => {
    const response = await server.request('GET', '/v1/customers/pat@example.com', { key: data.marketplaceKey });
    expect(response.body.orders.map((o: { id: string }) => o.id)).toEqual([data.orders.M1]);
    expect(response.body.totals).toEqual([{ currency: 'USD', orders: 1, spent_minor: 2743, refunded_minor: 0 }]);
    expect(response.body.channels).toEqual([data.marketplaceId]);
  });

  it('answers 404 problem+json for an e-mail without orders', async () => {
    const response = await server.request('GET', '/v1/customers/nobody@example.com');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.code).toBe('not_found');
    const hidden = await server.request('GET', '/v1/customers/pat@example.com', {
      key: data.fulfillmentKey,
    });
    expect(hidden.status).toBe(403);
  });

  it('sums the totals exactly for a customer with many orders', async () => {
    const body = (await server.request('GET', '/v1/customers/sam@example.com')).body;
    // W2 2743 + W3 1771 + M2 1771 + W5 2743 + W6 1771
    expect(body.totals).toEqual([{ currency: 'USD', orders: 5, spent_minor: 10_799, refunded_minor: 0 }]);
    expect(body.orders).toHaveLength(5);
  });
});
