import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const store = {
  code: 'STORE-CHI',
  type: 'store',
  name: 'Chicago Loop',
  address: { line1: '111 N State St', city: 'Chicago', region: 'IL', postal_code: '60602', country: 'US' },
  latitude: 41.8837,
  longitude: -87.6278,
  timezone: 'America/Chicago',
  capabilities: ['ship', 'pickup'],
  daily_capacity: 120,
  cutoff_time: '15:00',
};

describe('locations, groups and channels', () => {
  it('creates, reads, lists and updates a location', async () => {
    const created = await server.request('POST', '/v1/locations', { body: store });
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^loc_/);
    expect(created.body).toMatchObject({ code: 'STORE-CHI', capabilities: ['ship', 'pickup'], daily_capacity: 120 });

    const read = await server.request('GET', `/v1/locations/${created.body.id}`);
    expect(read.body).toEqual(created.body);

    const patched = await server.request('PATCH', `/v1/locations/${created.body.id}`, { body: { daily_capacity: 80 } });
    expect(patched.status).toBe(200);
    expect(patched.body.daily_capacity).toBe(80);

    const list = await server.request('GET', '/v1/locations?capability=pickup');
    expect(list.body.data.map((l: { id: string }) => l.id)).toContain(created.body.id);
  });

  it('rejects an unknown time zone and unknown fields with problem+json', async () => {
    const badZone = await server.request('POST', '/v1/locations', {
      body: { ...store, code: 'X1', timezone: 'Mars/Olympus' },
    });
    expect(badZone.status).toBe(400);
    expect(badZone.headers.get('content-type')).toContain('application/problem+json');
    expect(badZone.body.code).toBe('validation_failed');

    const unknownField = await server.request('POST', '/v1/locations', {
      body: { ...store, code: 'X2', colour: 'red' },
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors).toContainEqual({ pointer: '/colour', message: 'unknown field "colour"' });
  });

  it('creates a group and a channel that sells from it', async () => {
    const loc = await server.request('POST', '/v1/locations', { body: { ...store, code: 'STORE-2' } });
    const group = await server.request('POST', '/v1/location-groups', {
      body: { code: 'web-us', name: 'Web US', location_ids: [loc.body.id] },
    });
    expect(group.status).toBe(201);
    expect(group.body.location_ids).toEqual([loc.body.id]);

    const channel = await server.request('POST', '/v1/channels', {
      body: { code: 'web', name: 'Web store', type: 'web', location_group_id: group.body.id },
    });
    expect(channel.status).toBe(201);
    expect(channel.body).toMatchObject({ type: 'web', currency: 'USD', location_group_id: group.body.id });

    const missing = await server.request('POST', '/v1/location-groups', {
      body: { name: 'Ghosts', location_ids: ['loc_doesnotexist'] },
    });
    expect(missing.status).toBe(422);
    expect(missing.body.code).toBe('unknown_location');
  });

  it('replays a create with the same Idempotency-Key and refuses another body', async () => {
    const headers = { 'idempotency-key': 'loc-create-1' };
    const first = await server.request('POST', '/v1/locations', { body: { ...store, code: 'IDEM' }, headers });
    const again = await server.request('POST', '/v1/locations', { body: { ...store, code: 'IDEM' }, headers });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await server.request('POST', '/v1/locations', { body: { ...store, code: 'OTHER' }, headers });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_conflict');
  });

  it('needs a key (401) and the right role (403)', async () => {
    const none = await server.request('GET', '/v1/locations', { key: null });
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('unauthorized');
  });
});
