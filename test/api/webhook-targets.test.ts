import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gapGraceMsFor } from '../../src/streaming/index.ts';
import { createWebhookDispatcher } from '../../src/webhooks/index.ts';
import { must } from '../support/client.ts';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const ALLOW = 'CONSIGN_WEBHOOK_ALLOW_HOSTS';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

beforeAll(async () => {
  delete process.env[ALLOW];
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 1);
});
afterEach(() => {
  delete process.env[ALLOW];
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const subscribe = (url: string) =>
  server.request('POST', '/v1/webhook-subscriptions', { body: { url, event_types: ['inventory.*'] } });

describe('webhook targets', () => {
  const internal = [
    'http://127.0.0.1:8080/hook',
    'http://127.1.2.3/hook',
    'http://0.0.0.0/hook',
    'http://10.0.0.5/hook',
    'http://172.16.0.1/hook',
    'http://172.31.255.254/hook',
    'http://192.168.1.10/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://100.64.0.1/hook',
    'http://[::1]/hook',
    'http://[::]/hook',
    'http://[fc00::1]/hook',
    'http://[fd12:3456::1]/hook',
    'http://[fe80::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[::ffff:a9fe:a9fe]/hook',
    'http://localhost:3000/hook',
    'http://2130706433/hook',
  ];
  for (const url of internal) {
    it(`refuses ${url} with 422`, async () => {
      const response = await subscribe(url);
      expect(response.status, JSON.stringify(response.body)).toBe(422);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.code).toBe('webhook_target_not_allowed');
      expect(response.body.detail).toContain(ALLOW);
    });
  }

  it('accepts a public address, and refuses a change of URL to an internal one', async () => {
    const created = await subscribe('https://93.184.216.34/hook');
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const patched = await server.request('PATCH', `/v1/webhook-subscriptions/${created.body.id}`, {
      body: { url: 'http://192.168.0.1/hook' },
    });
    expect(patched.status).toBe(422);
    expect(patched.body.code).toBe('webhook_target_not_allowed');
    await must(server.request, 'PATCH', `/v1/webhook-subscriptions/${created.body.id}`, { active: false });
  });

  it('accepts an internal host the allow-list names', async () => {
    process.env[ALLOW] = 'localhost, 127.0.0.1';
    const created = await subscribe('http://127.0.0.1:8080/hook');
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await subscribe('http://localhost:8080/hook')).status).toBe(201);
    expect((await subscribe('http://10.0.0.5/hook')).status).toBe(422);
    for (const id of [created.body.id]) {
      await must(server.request, 'PATCH', `/v1/webhook-subscriptions/${id}`, { active: false });
    }
  });

  it('checks the target again at delivery: a host no longer allowed gets nothing', async () => {
    const receiver = await new WebhookReceiver().start();
    try {
      process.env[ALLOW] = '127.0.0.1';
      const created = await subscribe(receiver.url);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      receiver.trust(created.body.secret);
      delete process.env[ALLOW];
      const dispatcher = createWebhookDispatcher(database.db, { gapGraceMs: gapGraceMsFor(testEngine()) });
      await setStock(server, net.storeA, net.skus[0]!, 5);
      await dispatcher.tick();
      dispatcher.abort();
      expect(receiver.received).toEqual([]);
      const deliveries = await must(server.request, 'GET', `/v1/webhook-subscriptions/${created.body.id}/deliveries`);
      expect(deliveries.data[0]).toMatchObject({ status: 'pending', last_status_code: null });
      expect(deliveries.data[0].last_error).toContain('not allowed');
      await must(server.request, 'PATCH', `/v1/webhook-subscriptions/${created.body.id}`, { active: false });
    } finally {
      await receiver.stop();
    }
  });
});
