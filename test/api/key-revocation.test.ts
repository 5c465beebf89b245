import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../../src/auth/index.ts';
import { openDatabase, type Database } from '../../src/db/index.ts';
import { buildApp } from '../../src/http/app.ts';
import { createRequester, type Requester } from '../support/client.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TEST_ADMIN_KEY } from '../support/server.ts';

/**
 * Two server instances on one database (on PostgreSQL each with a pool of its own, as two
 * processes would have): a key revoked through one is refused by the other soon after.
 */
let database: TestDatabase;
let second: Database;
const apps: FastifyInstance[] = [];
const requesters: Requester[] = [];

async function serve(db: Database): Promise<Requester> {
  const app = await buildApp({ database: db, bootstrapAdminKey: TEST_ADMIN_KEY, logLevel: 'silent' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  apps.push(app);
  return createRequester(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
}

beforeAll(async () => {
  database = await createTestDatabase();
  second = database.url ? await openDatabase({ databaseUrl: database.url, poolSize: 4 }) : database;
  requesters.push(await serve(database), await serve(second));
});
afterAll(async () => {
  for (const app of apps) await app.close();
  if (second !== database) await second?.close();
  await database?.close();
});

describe('revoking an API key', () => {
  it('both servers refuse the key within about a second', async () => {
    const created = await createApiKey(database.db, { role: 'agent' });
    const key = created.secret;
    const [one, two] = requesters as [Requester, Requester];
    // Both servers have seen the key work (so each holds it in its cache).
    expect((await one('GET', '/v1/me', { key })).status).toBe(200);
    expect((await two('GET', '/v1/me', { key })).status).toBe(200);

    expect(await revokeApiKey(database.db, created.id)).toBe(true);

    // Poll with a deadline well past the promise; what counts is that both refuse it.
    const deadline = Date.now() + 5_000;
    let statuses = [200, 200];
    while (Date.now() < deadline && statuses.includes(200)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      statuses = [(await one('GET', '/v1/me', { key })).status, (await two('GET', '/v1/me', { key })).status];
    }
    expect(statuses).toEqual([401, 401]);
  });
});
