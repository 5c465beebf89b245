import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/support/db.ts';
import { orderBody, placeOrder } from '../test/support/orders.ts';
import { startTestServer, type TestServer } from '../test/support/server.ts';
import { CONTENTION, runKey, seedContention, type ContentionNetwork } from './contention-seed.ts';
import { classifyAnswer } from './contention.ts';
import { auditStock, soldOnce } from './stock-audit.ts';

let database: TestDatabase;
let server: TestServer;
let network: ContentionNetwork;
let skus: string[];

beforeAll(async () => {
  database = await createTestDatabase();
  network = await seedContention(database);
  skus = network.runs.get(runKey(CONTENTION.concurrencies[0], 1))!.skus;
  server = await startTestServer(database);
});

afterAll(async () => {
  await server?.close();
  await database?.close();
});

/** Places an order on the contention channel and reads its answer as the contention scenario does. */
async function order(externalId: string, lines: { sku: string; quantity: number }[]) {
  const response = await placeOrder(server, orderBody(externalId, lines, { channel: 'contention' }));
  return classifyAnswer(response.status, JSON.stringify(response.body));
}

describe('the stock audit after orders against scarce stock', () => {
  const perSku = CONTENTION.holders * CONTENTION.onHand;

  it('accounts for every unit the orders took, level by level', async () => {
    // skus[4] allows back-orders (every fifth SKU); skus[2] does not.
    const outcomes = [
      await order('AUDIT-1', [
        { sku: skus[0]!, quantity: 1 },
        { sku: skus[1]!, quantity: 1 },
      ]),
      await order('AUDIT-2', [{ sku: skus[0]!, quantity: 1 }]),
      await order('AUDIT-3', [{ sku: skus[2]!, quantity: perSku + 1 }]),
      await order('AUDIT-4', [{ sku: skus[4]!, quantity: perSku + 1 }]),
    ];

    const audit = await auditStock(database.db, skus);

    expect(outcomes).toEqual([
      { units: 2, backordered: false },
      { units: 1, backordered: false },
      'rejected',
      { units: perSku, backordered: true },
    ]);
    expect(audit).toEqual({
      levels: CONTENTION.skus * CONTENTION.holders,
      overReserved: 0,
      unmatched: 0,
      unitsInOrders: 3 + perSku,
      unitsTaken: 3 + perSku,
    });
    expect(soldOnce(audit)).toBe(true);
  });

  it('finds a lost update: a level that reserves less than its orders hold sells a unit twice', async () => {
    await database.db.execute(
      sql`update stock_levels set reserved = reserved - 1 where sku = ${skus[1]!} and reserved > 0`,
    );

    const audit = await auditStock(database.db, skus);

    expect(audit.unmatched).toBe(1);
    expect(audit.overReserved).toBe(0);
    expect(soldOnce(audit)).toBe(false);
  });

  it('finds a level with more units promised than on hand', async () => {
    // The database refuses this state; the check is dropped here to plant it.
    await database.db.execute(sql`alter table stock_levels drop constraint stock_levels_reserved_within_on_hand`);
    await database.db.execute(sql`update stock_levels set on_hand = 0 where sku = ${skus[0]!} and reserved > 0`);

    const audit = await auditStock(database.db, skus);

    expect(audit.overReserved).toBeGreaterThan(0);
    expect(soldOnce(audit)).toBe(false);
  });

  it('looks only at the SKUs it is given', async () => {
    const other = network.runs.get(runKey(CONTENTION.concurrencies[1], 1))!.skus;

    const audit = await auditStock(database.db, other);

    expect(audit).toMatchObject({ overReserved: 0, unmatched: 0, unitsInOrders: 0, unitsTaken: 0 });
    expect(soldOnce(audit)).toBe(true);
  });
});
