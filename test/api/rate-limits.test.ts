import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.ts';
import { buildApp } from '../../src/http/app.ts';
import type { FastifyInstance } from 'fastify';
import { createRequester, type Requester } from '../support/client.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TEST_ADMIN_KEY } from '../support/server.ts';

let database: TestDatabase;
let app: FastifyInstance;
let request: Requester;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildApp({
    database,
    bootstrapAdminKey: TEST_ADMIN_KEY,
    logLevel: 'silent',
    rateLimit: { perSecond: 1, burst: 3 },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  request = createRequester(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('per-key rate limits', () => {
  it('answers 429 rate_limited with Retry-After once a key has spent its burst, and serves it again after', async () => {
    const key = (await createApiKey(database.db, { role: 'agent' })).secret;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await request('GET', '/v1/me', { key })).status);
    expect(statuses).toEqual([200, 200, 200]);

    const limited = await request('GET', '/v1/me', { key });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(limited.body.code).toBe('rate_limited');
    expect(limited.body.detail).toMatch(/Retry-After/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);

    // Another key has a bucket of its own.
    const other = (await createApiKey(database.db, { role: 'agent' })).secret;
    expect((await request('GET', '/v1/me', { key: other })).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    expect((await request('GET', '/v1/me', { key })).status).toBe(200);
  });

  it('does not count requests without a valid key, nor public routes', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await request('GET', '/health', { key: null })).status).toBe(200);
      expect((await request('GET', '/v1/me', { key: 'csk_unknown' })).status).toBe(401);
    }
  });
});
