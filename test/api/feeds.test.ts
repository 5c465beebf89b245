import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, type SmallNetwork } from '../support/fixtures.ts';
import { ledgerMismatches, tableCounts } from '../support/invariants.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 4);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const level = async (location: string, sku: string) =>
  (await server.request('GET', `/v1/inventory/${location}/${sku}`)).body;

describe('POST /v1/inventory/feeds', () => {
  it('applies a snapshot, and a resend of the same feed_id is a replay', async () => {
    const body = {
      feed_id: 'wms-snap-1',
      mode: 'snapshot',
      as_of: '2026-11-20T10:00:00Z',
      source: 'WMS',
      rows: net.skus.map((sku, i) => ({ location_id: net.dc, sku, on_hand: 10 * (i + 1), safety_stock: 1 })),
    };
    const first = await server.request('POST', '/v1/inventory/feeds', { body });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ feed_id: 'wms-snap-1', rows: 4, applied: 4, stale: 0, replayed: false });
    const again = await server.request('POST', '/v1/inventory/feeds', { body });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ applied: 4, replayed: true });
    expect((await level(net.dc, net.skus[1]!)).on_hand).toBe(20);

    const changed = await server.request('POST', '/v1/inventory/feeds', {
      body: { ...body, rows: body.rows.slice(1) },
    });
    expect(changed.status).toBe(409);
    expect(changed.body.code).toBe('idempotency_conflict');
  });

  it('never lets an older snapshot overwrite a newer one (out-of-order delivery)', async () => {
    const sku = net.skus[0]!;
    const newer = {
      feed_id: 'snap-newer',
      mode: 'snapshot',
      as_of: '2026-11-21T12:00:00Z',
      rows: [{ location_id: net.storeA, sku, on_hand: 8 }],
    };
    const older = {
      feed_id: 'snap-older',
      mode: 'snapshot',
      as_of: '2026-11-21T09:00:00Z',
      rows: [{ location_id: net.storeA, sku, on_hand: 99 }],
    };
    expect((await server.request('POST', '/v1/inventory/feeds', { body: newer })).status).toBe(201);
    const late = await server.request('POST', '/v1/inventory/feeds', { body: older });
    expect(late.status).toBe(201);
    expect(late.body).toMatchObject({ applied: 0, stale: 1 });
    expect((await level(net.storeA, sku)).on_hand).toBe(8);
  });

  it('applies deltas after the last count and skips deltas the count already includes', async () => {
    const sku = net.skus[1]!;
    await server.request('POST', '/v1/inventory/feeds', {
      body: {
        feed_id: 'count-b',
        mode: 'snapshot',
        as_of: '2026-11-22T12:00:00Z',
        rows: [{ location_id: net.storeB, sku, on_hand: 10 }],
      },
    });
    const before = await server.request('POST', '/v1/inventory/feeds', {
      body: {
        feed_id: 'pos-early',
        mode: 'delta',
        as_of: '2026-11-22T11:00:00Z',
        rows: [{ location_id: net.storeB, sku, quantity: -3 }],
      },
    });
    expect(before.body).toMatchObject({ applied: 0, stale: 1 });
    const after = await server.request('POST', '/v1/inventory/feeds', {
      body: {
        feed_id: 'pos-late',
        mode: 'delta',
        as_of: '2026-11-22T13:00:00Z',
        rows: [{ location_id: net.storeB, sku, quantity: -3 }],
      },
    });
    expect(after.body).toMatchObject({ applied: 1, stale: 0 });
    expect((await level(net.storeB, sku)).on_hand).toBe(7);
  });

  it('rejects the whole feed with per-row errors when any row is bad, writing nothing', async () => {
    const before = await tableCounts(database.db);
    const response = await server.request('POST', '/v1/inventory/feeds', {
      body: {
        feed_id: 'bad-feed',
        mode: 'snapshot',
        as_of: '2026-11-23T12:00:00Z',
        rows: [
          { location_id: net.dc, sku: net.skus[0], on_hand: 5 },
          { location_id: net.dc, sku: 'NOT-A-SKU', on_hand: 5 },
          { location_id: 'loc_nowhere', sku: net.skus[1], on_hand: 5 },
          { location_id: net.dc, sku: net.skus[0], on_hand: 6 },
          { location_id: net.dc, sku: net.skus[2], quantity: 3 },
        ],
      },
    });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('feed_rejected');
    const codes = response.body.errors.map((e: { row: number; code: string }) => `${e.row}:${e.code}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        '1:unknown_sku',
        '2:unknown_location',
        '3:duplicate_row',
        '4:missing_field',
        '4:unexpected_field',
      ]),
    );
    expect(await tableCounts(database.db)).toEqual(before);
    expect((await server.request('GET', '/v1/inventory/feeds/bad-feed')).status).toBe(404);
  });

  it('rejects a count below what is reserved', async () => {
    const sku = net.skus[3]!;
    await server.request('PUT', `/v1/inventory/${net.storeA}/${sku}`, { body: { on_hand: 6 } });
    await server.request('POST', '/v1/reservations', {
      body: { lines: [{ sku, quantity: 5, location_id: net.storeA }] },
    });
    const response = await server.request('POST', '/v1/inventory/feeds', {
      body: {
        feed_id: 'too-low',
        mode: 'snapshot',
        as_of: new Date().toISOString(),
        rows: [{ location_id: net.storeA, sku, on_hand: 2 }],
      },
    });
    expect(response.status).toBe(422);
    expect(response.body.errors[0]).toMatchObject({ row: 0, code: 'below_reserved' });
  });

  it('with snapshot_scope "locations", counts omitted SKUs at those locations as zero', async () => {
    await server.request('POST', '/v1/inventory/feeds', {
      body: {
        feed_id: 'full-1',
        mode: 'snapshot',
        as_of: '2026-11-24T00:00:00Z',
        rows: net.skus.slice(0, 3).map((sku) => ({ location_id: net.storeB, sku, on_hand: 4 })),
      },
    });
    const full = await server.request('POST', '/v1/inventory/feeds', {
      body: {
        feed_id: 'full-2',
        mode: 'snapshot',
        as_of: '2026-11-25T00:00:00Z',
        snapshot_scope: 'locations',
        rows: [{ location_id: net.storeB, sku: net.skus[0], on_hand: 4 }],
      },
    });
    expect(full.status).toBe(201);
    expect((await level(net.storeB, net.skus[2]!)).on_hand).toBe(0);
    expect((await level(net.storeB, net.skus[0]!)).on_hand).toBe(4);
  });

  it('ingests 10,000 rows in one feed and keeps ledger = levels', async () => {
    const skus = Array.from({ length: 5000 }, (_, i) => `BULK-${String(i).padStart(5, '0')}`);
    await database.db.execute(
      sql`insert into products (sku, name) select sku, 'Bulk ' || sku from jsonb_array_elements_text(${JSON.stringify(skus)}::jsonb) as t(sku)`,
    );
    const rows = skus.flatMap((sku, i) => [
      { location_id: net.dc, sku, on_hand: i % 50 },
      { location_id: net.storeA, sku, on_hand: (i * 7) % 13 },
    ]);
    expect(rows).toHaveLength(10_000);
    const body = { feed_id: 'bulk-10k', mode: 'snapshot', as_of: '2026-11-26T00:00:00Z', rows };
    const response = await server.request('POST', '/v1/inventory/feeds', { body });
    expect(response.status).toBe(201);
    expect(response.body.rows).toBe(10_000);
    expect(response.body.applied + response.body.unchanged).toBe(10_000);
    expect(await ledgerMismatches(database.db)).toEqual([]);
    const oneMore = await server.request('POST', '/v1/inventory/feeds', {
      body: {
        ...body,
        feed_id: 'bulk-too-big',
        rows: [...rows, { location_id: net.storeB, sku: skus[0], on_hand: 1 }],
      },
    });
    expect(oneMore.status).toBe(400);
  });
});

describe('an as_of in the future', () => {
  const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
  /** A snapshot of one row at the DC. */
  const countFeed = (feedId: string, sku: string, onHand: number, asOf: string) =>
    server.request('POST', '/v1/inventory/feeds', {
      body: { feed_id: feedId, mode: 'snapshot', as_of: asOf, rows: [{ location_id: net.dc, sku, on_hand: onHand }] },
    });
  const newProduct = async (sku: string) => {
    const created = await server.request('POST', '/v1/products', { body: { sku, name: sku } });
    expect(created.status).toBe(201);
    return sku;
  };

  it('refuses a snapshot or delta dated beyond the clock-skew allowance, writing nothing', async () => {
    const sku = await newProduct('FUTURE-FEED');
    const before = await tableCounts(database.db);
    for (const [mode, row] of [
      ['snapshot', { on_hand: 50 }],
      ['delta', { quantity: 5 }],
    ] as const) {
      const response = await server.request('POST', '/v1/inventory/feeds', {
        body: {
          feed_id: `future-${mode}`,
          mode,
          as_of: '2030-01-01T00:00:00Z',
          rows: [{ location_id: net.dc, sku, ...row }],
        },
      });
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('as_of_in_future');
      expect(response.body.detail).toContain('2030-01-01T00:00:00.000Z');
      expect(response.body.errors).toEqual([{ pointer: '/as_of', message: expect.stringContaining('minutes') }]);
      expect((await server.request('GET', `/v1/inventory/feeds/future-${mode}`)).status).toBe(404);
    }
    expect(await tableCounts(database.db)).toEqual(before);
  });

  it('accepts a feed from a clock a little ahead of ours', async () => {
    const sku = await newProduct('FUTURE-SKEW');
    const response = await countFeed('skewed', sku, 3, inMinutes(2));
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ applied: 1, stale: 0 });
  });

  it('a count without as_of repairs a level frozen by a future-dated count, and feeds apply again', async () => {
    const sku = await newProduct('FROZEN');
    const first = await countFeed('frozen-1', sku, 50, inMinutes(0));
    expect(first.status).toBe(201);
    // A level as a future-dated feed left it before such feeds were refused.
    await database.db.execute(
      sql`update stock_levels set counted_at = '2030-01-01T00:00:00Z' where location_id = ${net.dc} and sku = ${sku}`,
    );
    const stuck = await countFeed('frozen-2', sku, 7, inMinutes(0));
    expect(stuck.body).toMatchObject({ applied: 0, stale: 1 });

    const counted = await server.request('PUT', `/v1/inventory/${net.dc}/${sku}`, { body: { on_hand: 7 } });
    expect(counted.status).toBe(200);
    expect(counted.body).toMatchObject({ applied: true, on_hand: 7 });
    expect(Math.abs(Date.parse(counted.body.counted_at) - Date.now())).toBeLessThan(60_000);

    const next = await countFeed('frozen-3', sku, 9, inMinutes(0));
    expect(next.body).toMatchObject({ applied: 1, stale: 0 });
    expect((await level(net.dc, sku)).on_hand).toBe(9);
    expect(await ledgerMismatches(database.db)).toEqual([]);
  });
});
