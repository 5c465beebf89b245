import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, type Db } from '../../src/db/index.ts';
import { pruneIdempotencyKeys } from '../../src/http/idempotency.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createDeployment, type Deployment } from '../support/deployment.ts';
import { waitFor } from '../support/wait.ts';

const TEST_TIMEOUT_MS = 240_000;

/** Stores a used key whose claim was made `ageMinutes` ago, for the bootstrap admin key. */
async function storeKey(db: Db, key: string, ageMinutes: number): Promise<void> {
  await db.execute(sql`
    insert into idempotency_keys (principal, key, request_hash, method, path, response_status, response_body, created_at)
    values ('bootstrap', ${key}, 'hash-of-an-earlier-request', 'POST', '/v1/products', 201, '{}'::jsonb,
            now() - make_interval(mins => ${ageMinutes}))`);
}

const storedKeys = async (db: Db) =>
  (await query<{ key: string }>(db, sql`select key from idempotency_keys order by key`)).map((r) => r.key);

describe('idempotency key retention (24 hours)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('prunes keys claimed more than 24 hours ago and keeps the younger ones', async () => {
    await storeKey(database.db, 'day-and-a-minute', 24 * 60 + 1);
    await storeKey(database.db, 'two-days', 48 * 60);
    await storeKey(database.db, 'a-minute-short-of-a-day', 24 * 60 - 1);
    await storeKey(database.db, 'just-now', 0);
    expect(await pruneIdempotencyKeys(database.db)).toBe(2);
    expect(await storedKeys(database.db)).toEqual(['a-minute-short-of-a-day', 'just-now']);
  });

  it('prunes in batches', async () => {
    await database.db.execute(sql`delete from idempotency_keys`);
    for (let i = 0; i < 5; i++) await storeKey(database.db, `old-${i}`, 25 * 60);
    expect(await pruneIdempotencyKeys(database.db, 24, 2)).toBe(2);
    expect((await storedKeys(database.db)).length).toBe(3);
  });
});

describe('consign serve prunes idempotency keys on its own', () => {
  let deployment: Deployment;
  beforeAll(async () => {
    deployment = await createDeployment({
      serverCount: 1,
      env: { CONSIGN_IDEMPOTENCY_PRUNE_INTERVAL_MS: '100' },
      prepare: async (db) => {
        await storeKey(db, 'expired-key', 25 * 60);
        await storeKey(db, 'live-key', 23 * 60);
      },
    });
  }, TEST_TIMEOUT_MS);
  afterAll(async () => {
    await deployment?.close();
  });

  const createWithKey = (key: string, sku: string) =>
    deployment.servers[0]!.request('POST', '/v1/products', {
      body: { sku, name: 'Retention test product' },
      headers: { 'idempotency-key': key },
    });

  it(
    'frees a key once its 24 hours are over, and still refuses a reused younger key',
    async () => {
      // Until the server prunes it, the expired key still names the earlier request: 409.
      const created = await waitFor(
        'the expired key to be pruned',
        async () => {
          const response = await createWithKey('expired-key', 'RET-1');
          if (response.status === 201) return response;
          expect(response.body.code).toBe('idempotency_conflict');
          return undefined;
        },
        { timeoutMs: 30_000 },
      );
      expect(created.body.sku).toBe('RET-1');
      const reused = await createWithKey('live-key', 'RET-2');
      expect(reused.status).toBe(409);
      expect(reused.body.code).toBe('idempotency_conflict');
      expect(await deployment.inspect(storedKeys)).toEqual(['expired-key', 'live-key']);
    },
    TEST_TIMEOUT_MS,
  );
});
