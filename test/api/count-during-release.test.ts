import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { openTransaction } from '../support/open-transaction.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/wait.ts';

/**
 * A count or a feed that starts while a release of the same level is still open, and sets
 * on_hand between the reserved before the release and the reserved after it. Under READ
 * COMMITTED the writing statement's snapshot predates the release; the count must still be
 * checked against what it locked (the released level), never against that older version.
 * PostgreSQL only: one embedded connection cannot hold a transaction open beside a request.
 */
let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 2);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

/** Backends of this database waiting for a row lock. */
async function lockWaits(): Promise<number> {
  const rows = await query<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`,
  );
  return rows[0]!.n;
}

/**
 * Holds `reserved` of `sku` at store A, then releases `released` of them in a transaction that
 * commits only once `write` is waiting for the level's lock; returns `write`'s response.
 */
async function writeDuringRelease(
  sku: string,
  reserved: number,
  released: number,
  write: () => Promise<{ status: number; body: unknown }>,
) {
  await setStock(server, net.storeA, sku, 10);
  const hold = await server.request('POST', '/v1/reservations', {
    body: { lines: [{ sku, quantity: reserved, location_id: net.storeA }], expires_in_seconds: 600 },
  });
  expect(hold.status).toBe(201);
  // The release as a raw movement: what matters is only that it commits after the write's snapshot.
  const release = await openTransaction(database.db, async (tx) => {
    await tx.execute(
      sql`update stock_levels set reserved = reserved - ${released} where location_id = ${net.storeA} and sku = ${sku}`,
    );
  });
  const response = write();
  await waitFor('the write waits for the level', async () => (await lockWaits()) > 0, { timeoutMs: 10_000 });
  await release.commit();
  return response;
}

describe.runIf(testEngine() === 'postgres')('counts and feeds racing a release (PostgreSQL)', () => {
  it('a count checks on_hand against the reserved it locked', async () => {
    const sku = net.skus[0]!;
    const response = await writeDuringRelease(sku, 8, 5, () =>
      server.request('PUT', `/v1/inventory/${net.storeA}/${sku}`, { body: { on_hand: 5 } }),
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ on_hand: 5, reserved: 3, available: 2 });
  });

  it('a snapshot feed checks each row against the reserved it locked', async () => {
    const sku = net.skus[1]!;
    const response = await writeDuringRelease(sku, 8, 5, () =>
      server.request('POST', '/v1/inventory/feeds', {
        body: {
          feed_id: 'count-during-release',
          mode: 'snapshot',
          as_of: new Date().toISOString(),
          rows: [{ location_id: net.storeA, sku, on_hand: 5 }],
        },
      }),
    );
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ applied: 1 });
    const level = await server.request('GET', `/v1/inventory/${net.storeA}/${sku}`);
    expect(level.body).toMatchObject({ on_hand: 5, reserved: 3 });
  });
});
