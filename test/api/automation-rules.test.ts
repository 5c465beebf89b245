import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const holdBigWeb = {
  trigger: { event_types: ['order.created'] },
  condition: "order.channel_code == 'web' and order.total_minor > 50000",
  actions: [{ type: 'hold', kind: 'review', reason: 'large web order' }],
};

describe('versioned automation rules', () => {
  it('creates a draft, activates it, keeps every version as history', async () => {
    const created = await server.request('POST', '/v1/automations', {
      body: { name: 'Review big web orders', ...holdBigWeb },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Review big web orders', active_version: null });
    expect(created.body.versions).toMatchObject([{ version: 1, status: 'draft', ...holdBigWeb }]);
    const id = created.body.id as string;
    expect(id).toMatch(/^aut_/);

    const activated = await server.request('POST', `/v1/automations/${id}/versions/1/activate`);
    expect(activated.body).toMatchObject({ version: 1, status: 'active' });
    expect(activated.body.activated_by).toBeTruthy();
    const again = await server.request('POST', `/v1/automations/${id}/versions/1/activate`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('illegal_transition');

    const second = await server.request('POST', `/v1/automations/${id}/versions`, {
      body: {
        ...holdBigWeb,
        condition: "order.channel_code == 'web' and order.total_minor > 80000",
        notes: 'higher',
        activate: true,
      },
    });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ version: 2, status: 'active' });
    const draft = await server.request('POST', `/v1/automations/${id}/versions`, { body: holdBigWeb });
    expect(draft.body).toMatchObject({ version: 3, status: 'draft' });

    const rule = await server.request('GET', `/v1/automations/${id}`);
    expect(rule.body.active_version).toBe(2);
    expect(rule.body.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [3, 'draft'],
      [2, 'active'],
      [1, 'retired'],
    ]);
    const list = await server.request('GET', '/v1/automations');
    expect(list.body.data.map((r: { id: string }) => r.id)).toContain(id);

    const off = await server.request('POST', `/v1/automations/${id}/deactivate`);
    expect(off.body.active_version).toBeNull();
    expect((await server.request('POST', `/v1/automations/${id}/deactivate`)).body.code).toBe('illegal_transition');
    expect((await server.request('GET', '/v1/automations/aut_nothing')).status).toBe(404);
    expect((await server.request('POST', `/v1/automations/${id}/versions/9/activate`)).status).toBe(404);
  });

  it('refuses a condition that does not type-check, with the position of the fault, and writes nothing', async () => {
    const before = (await server.request('GET', '/v1/automations')).body.data.length;
    const response = await server.request('POST', '/v1/automations', {
      body: { name: 'bad', ...holdBigWeb, condition: "order.channel_code == 'web' and order.total_minor > '5'" },
    });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.code).toBe('invalid_automation');
    expect(response.body.errors).toEqual([
      { pointer: '/condition', position: 50, message: 'at 50: ">" compares int with string' },
    ]);
    expect((await server.request('GET', '/v1/automations')).body.data.length).toBe(before);
  });

  it('checks every action and the trigger, and says what is wrong with each', async () => {
    const response = await server.request('POST', '/v1/automations/validate', {
      body: {
        trigger: { event_types: ['order created'] },
        condition: 'order.on_hold',
        actions: [
          { type: 'hold', kind: 'forever', reason: 'x' },
          { type: 'explode' },
          { type: 'add_tag', tag: 'Not A Tag' },
          { type: 'call_webhook', url: 'ftp://example.com' },
          { type: 'cancel', reason: 'x', extra: 1 },
        ],
      },
    });
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual([
      '/trigger/event_types/0',
      '/actions/0',
      '/actions/1',
      '/actions/2',
      '/actions/3',
      '/actions/4',
    ]);
    const both = await server.request('POST', '/v1/automations/validate', {
      body: { trigger: { event_types: ['*'], every_minutes: 5 }, condition: 'true', actions: [] },
    });
    expect(both.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/trigger', '/actions']);
    const good = await server.request('POST', '/v1/automations/validate', { body: holdBigWeb });
    expect(good.status).toBe(200);
    expect(good.body.valid).toBe(true);
  });

  it('lists the fields a condition may read', async () => {
    const fields = await server.request('GET', '/v1/automations/fields');
    expect(fields.body.data).toContainEqual({ name: 'order.tags', type: 'list<string>' });
  });

  it('lets agents read rules but only admins configure them', async () => {
    const agent = (await createApiKey(database.db, { role: 'agent' })).secret;
    expect((await server.request('GET', '/v1/automations', { key: agent })).status).toBe(200);
    const refused = await server.request('POST', '/v1/automations', { key: agent, body: { name: 'x', ...holdBigWeb } });
    expect(refused.status).toBe(403);
    const channel = (await createApiKey(database.db, { role: 'fulfillment', locationIds: [] })).secret;
    expect((await server.request('GET', '/v1/automations', { key: channel })).status).toBe(403);
  });
});
