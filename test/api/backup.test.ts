import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.ts';
import { query } from '../../src/db/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock } from '../support/fixtures.ts';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let server: TestServer;
let agentKey: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  const net = await createSmallNetwork(server);
  await setStock(server, net.storeA, net.skus[0]!, 12);
  agentKey = (await createApiKey(database.db, { role: 'agent' })).secret;
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const backup = (key: string | undefined) =>
  fetch(`${server.url}/v1/admin/backup`, {
    method: 'POST',
    headers: key ? { authorization: `Bearer ${key}` } : {},
  });

describe('POST /v1/admin/backup', () => {
  it('streams every table of the database as one backup', async () => {
    const response = await backup(TEST_ADMIN_KEY);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="consign-backup-\d+\.jsonl"$/);
    const lines = (await response.text()).trimEnd().split('\n');
    const [format, version, header] = JSON.parse(lines[0]!) as [
      string,
      number,
      { tables: { name: string; rows: number }[] },
    ];
    expect([format, version]).toEqual(['consign-backup', 1]);
    expect(lines.at(-1)).toBe('["end"]');
    const tables = await query<{ name: string; rows: number }>(
      database.db,
      sql`select tablename as name from pg_tables where schemaname = 'public' order by tablename`,
    );
    expect(header.tables.map((t) => t.name).sort()).toEqual(tables.map((t) => t.name));
    const rows = lines.filter((line) => line.startsWith('{'));
    expect(rows.length).toBe(header.tables.reduce((n, t) => n + t.rows, 0));
    expect(rows.some((line) => line.includes('"on_hand":12'))).toBe(true);
  });

  it('is for admin keys only: a backup holds every secret of the installation', async () => {
    const refused = await backup(agentKey);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await refused.json()) as { code: string }).code).toBe('forbidden');
    const anonymous = await backup(undefined);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { code: string }).code).toBe('unauthorized');
  });
});
