import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, type CreatedKey } from '../../src/auth/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;
let agent: CreatedKey;
/** A channel key of the order's own channel, and one of another channel. */
let ownChannel: CreatedKey;
let otherChannel: CreatedKey;
let orderId: string;
let otherOrderId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 2);
  await setStock(server, net.storeA, net.skus[0]!, 20);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 42.3601, longitude: -71.0589 } });
  const group = net.groupId;
  const b2b = await server.request('POST', '/v1/channels', {
    body: { code: 'b2b', name: 'B2B', type: 'b2b', location_group_id: group },
  });
  agent = await createApiKey(database.db, { role: 'agent' });
  ownChannel = await createApiKey(database.db, { role: 'channel', channelId: net.channelId });
  otherChannel = await createApiKey(database.db, { role: 'channel', channelId: b2b.body.id });
  const placed = await placeOrder(server, orderBody('WEB-7001', [{ sku: net.skus[0]!, quantity: 3 }]));
  if (placed.status !== 201) throw new Error(JSON.stringify(placed.body));
  orderId = placed.body.id;
  otherOrderId = (
    await placeOrder(server, orderBody('B2B-7002', [{ sku: net.skus[0]!, quantity: 1 }], { channel: 'b2b' }))
  ).body.id;
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

type TimelineEntry = { type: string; actor: string | null; data: Record<string, unknown> };
const timeline = async (id: string): Promise<TimelineEntry[]> =>
  (await server.request('GET', `/v1/orders/${id}`)).body.timeline;

describe('order notes', () => {
  it('writes a note with the caller as its author, on the order, its notes and its timeline', async () => {
    const written = await server.request('POST', `/v1/orders/${orderId}/notes`, {
      key: agent.secret,
      body: { text: '  Customer called: leave at the back door.  ' },
    });
    expect(written.status).toBe(201);
    expect(written.body).toEqual({
      id: expect.any(String),
      text: 'Customer called: leave at the back door.',
      author: agent.id,
      created_at: expect.any(String),
    });
    const order = (await server.request('GET', `/v1/orders/${orderId}`)).body;
    expect(order.notes).toEqual([written.body]);
    expect((await server.request('GET', `/v1/orders/${orderId}/notes`)).body).toEqual({ data: [written.body] });
    const entry = order.timeline.find((e: TimelineEntry) => e.type === 'order.note_added');
    expect(entry).toMatchObject({
      id: written.body.id,
      actor: agent.id,
      data: { note: 'Customer called: leave at the back door.' },
    });
    const events = await server.request('GET', `/v1/events?subject_id=${orderId}&type=order.note_added`);
    expect(events.body.data.map((e: { data: unknown }) => e.data)).toEqual([
      {
        order_id: orderId,
        channel_id: net.channelId,
        external_id: 'WEB-7001',
        order_status: order.status,
        actor: agent.id,
        note: 'Customer called: leave at the back door.',
      },
    ]);
  });

  it('refuses an empty note, one of only spaces, one too long and unknown fields, writing nothing', async () => {
    for (const body of [
      { text: '' },
      { text: '   \n ' },
      { text: 'x'.repeat(2001) },
      { text: 'ok', pinned: true },
      {},
    ]) {
      const refused = await server.request('POST', `/v1/orders/${orderId}/notes`, { key: agent.secret, body });
      expect([refused.status, refused.body.code], JSON.stringify(body)).toEqual([400, 'validation_failed']);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
    }
    const blank = await server.request('POST', `/v1/orders/${orderId}/notes`, { body: { text: '   ' } });
    expect(blank.body.errors).toEqual([{ pointer: '/text', message: 'must not be empty or only spaces' }]);
    const long = await server.request('POST', `/v1/orders/${orderId}/notes`, { body: { text: 'x'.repeat(2001) } });
    expect(long.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/text']);
    expect(
      await server.request('POST', `/v1/orders/${orderId}/notes`, { body: { text: 'x'.repeat(2000) } }),
    ).toMatchObject({ status: 201 });
    expect((await server.request('GET', `/v1/orders/${orderId}/notes`)).body.data).toHaveLength(2);
    const absent = await server.request('POST', '/v1/orders/ord_absent/notes', { body: { text: 'hello' } });
    expect([absent.status, absent.body.code]).toEqual([404, 'not_found']);
  });

  it('lets channel keys read their own channel’s notes only, and write none', async () => {
    const own = await server.request('GET', `/v1/orders/${orderId}/notes`, { key: ownChannel.secret });
    expect(own.status).toBe(200);
    expect(own.body.data).toHaveLength(2);
    const foreign = await server.request('GET', `/v1/orders/${orderId}/notes`, { key: otherChannel.secret });
    expect([foreign.status, foreign.body.code]).toEqual([404, 'not_found']);
    const write = await server.request('POST', `/v1/orders/${orderId}/notes`, {
      key: ownChannel.secret,
      body: { text: 'from the storefront' },
    });
    expect([write.status, write.body.code]).toEqual([403, 'forbidden']);
    expect((await server.request('GET', `/v1/orders/${orderId}/notes`)).body.data).toHaveLength(2);
  });
});

describe('order tags', () => {
  it('adds, replaces and removes tags, each change an event on the timeline with its actor', async () => {
    const added = await server.request('POST', `/v1/orders/${orderId}/tags`, {
      key: agent.secret,
      body: { tags: ['vip', 'gift:wrap', 'vip'] },
    });
    expect([added.status, added.body]).toEqual([200, { tags: ['gift:wrap', 'vip'] }]);
    const again = await server.request('POST', `/v1/orders/${orderId}/tags`, {
      key: agent.secret,
      body: { tags: ['vip'] },
    });
    expect(again.body).toEqual({ tags: ['gift:wrap', 'vip'] });
    const replaced = await server.request('PUT', `/v1/orders/${orderId}/tags`, {
      key: agent.secret,
      body: { tags: ['vip', 'fragile'] },
    });
    expect(replaced.body).toEqual({ tags: ['fragile', 'vip'] });
    const removed = await server.request('DELETE', `/v1/orders/${orderId}/tags/vip`, { key: agent.secret });
    expect([removed.status, removed.body]).toEqual([200, { tags: ['fragile'] }]);
    const gone = await server.request('DELETE', `/v1/orders/${orderId}/tags/vip`, { key: agent.secret });
    expect(gone.body).toEqual({ tags: ['fragile'] });
    expect((await server.request('GET', `/v1/orders/${orderId}`)).body.tags).toEqual(['fragile']);

    const changes = (await timeline(orderId))
      .filter((e) => e.type === 'order.tagged' || e.type === 'order.untagged')
      .map((e) => [e.type, e.data.tag, e.actor]);
    expect(changes).toEqual([
      ['order.tagged', 'gift:wrap', agent.id],
      ['order.tagged', 'vip', agent.id],
      ['order.untagged', 'gift:wrap', agent.id],
      ['order.tagged', 'fragile', agent.id],
      ['order.untagged', 'vip', agent.id],
    ]);
  });

  it('refuses tags that are not 1–64 lower-case letters, digits, "_", ":" or "-", changing nothing', async () => {
    for (const tag of ['', 'VIP', 'two words', '-lead', 'x'.repeat(65), 'ümlaut']) {
      for (const method of ['POST', 'PUT']) {
        const refused = await server.request(method, `/v1/orders/${orderId}/tags`, { body: { tags: ['ok', tag] } });
        expect([refused.status, refused.body.code], `${method} ${tag}`).toEqual([400, 'validation_failed']);
        expect(refused.body.errors).toEqual([{ pointer: '/tags/1', message: expect.stringContaining('lower-case') }]);
      }
    }
    const badDelete = await server.request('DELETE', `/v1/orders/${orderId}/tags/BAD%20TAG`);
    expect([badDelete.status, badDelete.body.code]).toEqual([400, 'validation_failed']);
    const notList = await server.request('POST', `/v1/orders/${orderId}/tags`, { body: { tags: 'vip' } });
    expect(notList.body.code).toBe('validation_failed');
    expect((await server.request('GET', `/v1/orders/${orderId}`)).body.tags).toEqual(['fragile']);
    const absent = await server.request('POST', '/v1/orders/ord_absent/tags', { body: { tags: ['vip'] } });
    expect([absent.status, absent.body.code]).toEqual([404, 'not_found']);
  });

  it('filters the order search by tag, a channel key within its own channel only', async () => {
    await server.request('POST', `/v1/orders/${otherOrderId}/tags`, { body: { tags: ['fragile'] } });
    const ids = (body: { data: { id: string }[] }) => body.data.map((o) => o.id).sort();
    const all = await server.request('GET', '/v1/orders?tag=fragile');
    expect(ids(all.body)).toEqual([orderId, otherOrderId].sort());
    expect(ids((await server.request('GET', '/v1/orders?tag=vip')).body)).toEqual([]);
    expect(ids((await server.request('GET', '/v1/orders?tag=fragile&channel=web')).body)).toEqual([orderId]);
    const own = await server.request('GET', '/v1/orders?tag=fragile', { key: ownChannel.secret });
    expect(ids(own.body)).toEqual([orderId]);
    const other = await server.request('GET', '/v1/orders?tag=fragile&channel=web', { key: otherChannel.secret });
    expect(ids(other.body)).toEqual([otherOrderId]);
    const bad = await server.request('GET', '/v1/orders?tag=Not%20a%20tag');
    expect([bad.status, bad.body.code]).toEqual([400, 'validation_failed']);
  });

  it('lets channel keys and fulfillment keys change no tags', async () => {
    const fulfillment = await createApiKey(database.db, { role: 'fulfillment', locationIds: [net.storeA] });
    for (const key of [ownChannel.secret, fulfillment.secret]) {
      for (const [method, path, body] of [
        ['POST', `/v1/orders/${orderId}/tags`, { tags: ['x'] }],
        ['PUT', `/v1/orders/${orderId}/tags`, { tags: [] }],
        ['DELETE', `/v1/orders/${orderId}/tags/fragile`, undefined],
      ] as const) {
        const refused = await server.request(method, path, { key, body });
        expect([refused.status, refused.body.code], `${method} ${path}`).toEqual([403, 'forbidden']);
      }
    }
    expect((await server.request('GET', `/v1/orders/${orderId}`)).body.tags).toEqual(['fragile']);
  });
});

describe('the current total', () => {
  it('is the total less what cancellations took back; the shipping goes when nothing is left', async () => {
    const placed = (await placeOrder(server, orderBody('WEB-7003', [{ sku: net.skus[0]!, quantity: 3, price: 1001 }])))
      .body;
    expect(placed.current_total).toEqual(placed.total);
    const cancelled = await server.request('POST', `/v1/orders/${placed.id}/cancel`, {
      body: { reason: 'customer wants two', lines: [{ line_id: 'L1', quantity: 1 }] },
    });
    expect(cancelled.status).toBe(200);
    // 3 × 10.01, discount 300, tax 216, shipping 799; the last unit carries its base shares.
    const voided = cancelled.body.payments
      .filter((p: { kind: string }) => p.kind === 'void')
      .reduce((n: number, p: { amount: { amount: number } }) => n + p.amount.amount, 0);
    expect(cancelled.body.total).toEqual(placed.total);
    expect(cancelled.body.current_total).toEqual({ amount: placed.total.amount - voided, currency: 'USD' });
    expect(cancelled.body.current_total.amount).toBe(1001 * 2 - 200 + 144 + 799);
    const all = await server.request('POST', `/v1/orders/${placed.id}/cancel`, { body: { reason: 'changed mind' } });
    expect(all.body.current_total).toEqual({ amount: 0, currency: 'USD' });
  });

  it('is what the previous system said for an order imported as it was', async () => {
    const imported = await server.request('POST', '/v1/imports/history', {
      body: {
        channel: 'web',
        orders: [
          {
            id: 'LEGACY-7',
            status: 'confirmed',
            placed_at: '2026-10-01T10:00:00Z',
            customer: { email: 'legacy@example.com' },
            lines: [{ id: '1', sku: net.skus[1]!, quantity: 2, unit_price_minor: 1_000 }],
            // An order-level discount stays on the order: the lines do not carry it.
            discount_minor: 500,
            total_minor: 1_500,
          },
        ],
      },
    });
    expect(imported.body).toMatchObject({ imported: 1, rejected: 0 });
    const [row] = (await server.request('GET', '/v1/orders?q=LEGACY-7')).body.data;
    const order = (await server.request('GET', `/v1/orders/${row.id}`)).body;
    expect([order.managed, order.current_total]).toEqual([false, order.total]);
  });
});
