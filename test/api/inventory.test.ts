import { sql } from 'drizzle-orm';
import { createApiKey } from '../../src/auth/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { ledgerMismatches, tableCounts } from '../support/invariants.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 6);
});
/** A level as a future-dated feed left it before such feeds were refused: counted "in 2030". */
async function freezeCount(locationId: string, sku: string) {
  await database.db.execute(
    sql`update stock_levels set counted_at = '2030-01-01T00:00:00Z' where location_id = ${locationId} and sku = ${sku}`,
  );
}

afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe('PUT /v1/inventory/{location_id}/{sku}', () => {
  it('sets on_hand and safety stock and writes the difference to the ledger', async () => {
    const [sku] = net.skus;
    const first = await server.request('PUT', `/v1/inventory/${net.storeA}/${sku}`, {
      body: { on_hand: 10, safety_stock: 2 },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ on_hand: 10, reserved: 0, safety_stock: 2, available: 8, applied: true });
    await server.request('PUT', `/v1/inventory/${net.storeA}/${sku}`, { body: { on_hand: 7 } });
    const ledger = await server.request('GET', `/v1/inventory/ledger?sku=${sku}&location_id=${net.storeA}`);
    expect(ledger.body.data.map((r: { on_hand_delta: number }) => r.on_hand_delta)).toEqual([10, -3]);
    expect(ledger.body.data.every((r: { kind: string }) => r.kind === 'count')).toBe(true);
  });

  it('ignores a count older than the one applied', async () => {
    const sku = net.skus[1]!;
    await server.request('PUT', `/v1/inventory/${net.storeA}/${sku}`, {
      body: { on_hand: 50, as_of: '2026-11-01T12:00:00Z' },
    });
    const older = await server.request('PUT', `/v1/inventory/${net.storeA}/${sku}`, {
      body: { on_hand: 5, as_of: '2026-11-01T11:00:00Z' },
    });
    expect(older.status).toBe(200);
    expect(older.body).toMatchObject({ applied: false, on_hand: 50 });
  });

  it('refuses a count dated beyond the clock-skew allowance, writing nothing', async () => {
    const sku = net.skus[5]!;
    await setStock(server, net.dc, sku, 4);
    const before = await tableCounts(database.db);
    const asOf = new Date(Date.now() + 60 * 60_000).toISOString();
    const response = await server.request('PUT', `/v1/inventory/${net.dc}/${sku}`, {
      body: { on_hand: 50, as_of: asOf },
    });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('as_of_in_future');
    expect(response.body.errors[0].pointer).toBe('/as_of');
    expect(await tableCounts(database.db)).toEqual(before);
    expect((await server.request('GET', `/v1/inventory/${net.dc}/${sku}`)).body.on_hand).toBe(4);
  });

  it('always applies a count without as_of, even over a later counted_at; an explicit as_of keeps the order rule', async () => {
    const sku = net.skus[5]!;
    await setStock(server, net.storeB, sku, 5);
    await freezeCount(net.storeB, sku);
    const explicit = await server.request('PUT', `/v1/inventory/${net.storeB}/${sku}`, {
      body: { on_hand: 6, as_of: new Date(Date.now() - 60_000).toISOString() },
    });
    expect(explicit.body).toMatchObject({ applied: false, on_hand: 5, counted_at: '2030-01-01T00:00:00.000Z' });
    const now = await server.request('PUT', `/v1/inventory/${net.storeB}/${sku}`, { body: { on_hand: 8 } });
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({ applied: true, on_hand: 8 });
    expect(Math.abs(Date.parse(now.body.counted_at) - Date.now())).toBeLessThan(60_000);
    expect(await ledgerMismatches(database.db)).toEqual([]);
  });

  it('refuses a count without as_of below what is reserved, also over a later counted_at', async () => {
    const sku = net.skus[5]!;
    await setStock(server, net.storeA, sku, 5);
    const hold = await server.request('POST', '/v1/reservations', {
      body: { lines: [{ sku, quantity: 4, location_id: net.storeA }] },
    });
    expect(hold.status).toBe(201);
    await freezeCount(net.storeA, sku);
    const response = await server.request('PUT', `/v1/inventory/${net.storeA}/${sku}`, { body: { on_hand: 3 } });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('below_reserved');
    await server.request('DELETE', `/v1/reservations/${hold.body.id}`);
  });

  it('takes a location code as well as its ID, also for a key limited to its locations', async () => {
    const sku = net.skus[5]!;
    const byCode = await server.request('PUT', `/v1/inventory/S-A/${sku}`, { body: { on_hand: 12 } });
    expect(byCode.status).toBe(200);
    expect(byCode.body).toMatchObject({ location_id: net.storeA, on_hand: 12, applied: true });
    expect((await server.request('GET', `/v1/inventory/${net.storeA}/${sku}`)).body.on_hand).toBe(12);
    expect((await server.request('GET', `/v1/inventory/S-A/${sku}`)).body).toMatchObject({
      location_id: net.storeA,
      on_hand: 12,
    });
    const key = (await createApiKey(database.db, { role: 'fulfillment', locationIds: [net.storeA] })).secret;
    expect((await server.request('PUT', `/v1/inventory/S-A/${sku}`, { key, body: { on_hand: 13 } })).status).toBe(200);
    const elsewhere = await server.request('PUT', `/v1/inventory/S-B/${sku}`, { key, body: { on_hand: 13 } });
    expect(elsewhere.status).toBe(403);
  });

  it('refuses unknown SKUs and locations with 422', async () => {
    const sku = await server.request('PUT', `/v1/inventory/${net.storeA}/NOPE`, { body: { on_hand: 1 } });
    expect(sku.status).toBe(422);
    expect(sku.body.code).toBe('unknown_sku');
    const location = await server.request('PUT', `/v1/inventory/loc_missing/${net.skus[0]}`, { body: { on_hand: 1 } });
    expect(location.status).toBe(422);
    expect(location.body.code).toBe('unknown_location');
  });
});

describe('POST /v1/inventory/adjustments', () => {
  it('applies receipts, adjustments and transfers together, in the ledger', async () => {
    const sku = net.skus[2]!;
    const response = await server.request('POST', '/v1/inventory/adjustments', {
      body: {
        reason: 'inbound PO',
        reference: 'PO-1001',
        movements: [
          { kind: 'receipt', sku, location_id: net.dc, quantity: 100 },
          { kind: 'transfer', sku, location_id: net.dc, to_location_id: net.storeB, quantity: 30 },
          { kind: 'adjustment', sku, location_id: net.dc, quantity: -5 },
        ],
      },
    });
    expect(response.status).toBe(201);
    expect(response.body.id).toMatch(/^adj_/);
    const levels = Object.fromEntries(
      response.body.levels.map((l: { location_id: string; on_hand: number }) => [l.location_id, l.on_hand]),
    );
    expect(levels).toEqual({ [net.dc]: 65, [net.storeB]: 30 });
    const ledger = await server.request('GET', '/v1/inventory/ledger?reference_id=PO-1001');
    expect(ledger.body.data.map((r: { kind: string }) => r.kind).sort()).toEqual([
      'adjustment',
      'receipt',
      'transfer_in',
      'transfer_out',
    ]);
  });

  it('refuses to remove reserved stock and applies nothing', async () => {
    const sku = net.skus[3]!;
    await setStock(server, net.storeA, sku, 5);
    const hold = await server.request('POST', '/v1/reservations', {
      body: { lines: [{ sku, quantity: 4, location_id: net.storeA }] },
    });
    expect(hold.status).toBe(201);
    const response = await server.request('POST', '/v1/inventory/adjustments', {
      body: {
        reason: 'damaged',
        movements: [
          { kind: 'receipt', sku, location_id: net.storeB, quantity: 3 },
          { kind: 'adjustment', sku, location_id: net.storeA, quantity: -2 },
        ],
      },
    });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('insufficient_stock');
    const storeB = await server.request('GET', `/v1/inventory/${net.storeB}/${sku}`);
    expect(storeB.body.on_hand).toBe(0);
  });

  it('validates kinds and quantities per line', async () => {
    const sku = net.skus[0]!;
    const zero = await server.request('POST', '/v1/inventory/adjustments', {
      body: { reason: 'x', movements: [{ kind: 'adjustment', sku, location_id: net.dc, quantity: 0 }] },
    });
    expect(zero.status).toBe(400);
    const negativeReceipt = await server.request('POST', '/v1/inventory/adjustments', {
      body: { reason: 'x', movements: [{ kind: 'receipt', sku, location_id: net.dc, quantity: -1 }] },
    });
    expect(negativeReceipt.status).toBe(400);
    const transferWithoutTarget = await server.request('POST', '/v1/inventory/adjustments', {
      body: { reason: 'x', movements: [{ kind: 'transfer', sku, location_id: net.dc, quantity: 1 }] },
    });
    expect(transferWithoutTarget.status).toBe(400);
    expect(transferWithoutTarget.body.errors[0].pointer).toBe('/movements/0/to_location_id');
  });
});

describe('GET /v1/availability', () => {
  it('returns totals and per-location availability, floored at zero, by scope', async () => {
    const sku = net.skus[4]!;
    await setStock(server, net.dc, sku, 40);
    await setStock(server, net.storeA, sku, 5, 2);
    await setStock(server, net.storeB, sku, 1, 3); // safety stock above on_hand: 0, never negative
    const all = await server.request('GET', `/v1/availability?skus=${sku}`);
    expect(all.status).toBe(200);
    expect(all.body.data[0]).toMatchObject({ sku, available: 43, on_hand: 46 });
    const storeB = all.body.data[0].locations.find((l: { location_id: string }) => l.location_id === net.storeB);
    expect(storeB.available).toBe(0);

    const group = await server.request('GET', `/v1/availability?skus=${sku}&location_group=${net.groupId}`);
    expect(group.body.data[0].available).toBe(3);
    const channel = await server.request('GET', `/v1/availability?skus=${sku}&channel=web`);
    expect(channel.body.data[0].available).toBe(3);
    const one = await server.request('GET', `/v1/availability?skus=${sku}&location_id=${net.dc}`);
    expect(one.body.data[0].available).toBe(40);
  });

  it('answers up to 1,000 SKUs in one call and names unknown ones', async () => {
    const skus = [...net.skus, ...Array.from({ length: 994 }, (_, i) => `GHOST-${i}`)];
    const response = await server.request('POST', '/v1/availability/query', { body: { skus } });
    expect(response.status).toBe(200);
    expect(response.body.data).toHaveLength(net.skus.length);
    expect(response.body.unknown_skus).toHaveLength(994);
    const tooMany = await server.request('POST', '/v1/availability/query', { body: { skus: [...skus, 'ONE-MORE'] } });
    expect(tooMany.status).toBe(400);
  });

  it('keeps the ledger equal to the levels', async () => {
    expect(await ledgerMismatches(database.db)).toEqual([]);
  });
});
