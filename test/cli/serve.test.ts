import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
import { demoDistributionCenters, demoStores } from '../../src/demo/index.ts';
import { testEngine } from '../support/db.ts';
import {
  createCliTarget,
  killChildren,
  printedAdminKey,
  runConsign,
  startServeProcess,
  type CliTarget,
  type ServerProcess,
  CLI_TEST_TIMEOUT_MS,
} from './cli-process.ts';

const BOOTSTRAP_KEY = 'csk_cli_test_bootstrap_admin_key';
const demoLocationCount = demoDistributionCenters.length + demoStores.length;

let target: CliTarget;
let server: ServerProcess;

async function get(path: string, key?: string) {
  const response = await fetch(server.url + path, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  target = await createCliTarget();
  server = await startServeProcess({ ...target.env, CONSIGN_BOOTSTRAP_ADMIN_KEY: BOOTSTRAP_KEY });
}, CLI_TEST_TIMEOUT_MS);
afterAll(async () => {
  killChildren();
  await target?.close();
});

describe('consign serve, first start', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('prints the URL it listens on, with the real port and the docs', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).not.toMatch(/:0$/);
    expect(server.output()).toContain(
      `Consign listening on ${server.url} (console: ${server.url}/, API docs: ${server.url}/docs)`,
    );
  });

  it('answers /health and /ready without a key', async () => {
    expect(await get('/health')).toEqual({ status: 200, body: { status: 'ok' } });
    const ready = await get('/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', database: testEngine() });
  });

  it('has loaded the demo network, visible with the bootstrap key', async () => {
    const locations = await get('/v1/locations?limit=100', BOOTSTRAP_KEY);
    expect(locations.status).toBe(200);
    const data = locations.body.data as { code: string; type: string }[];
    expect(data.filter((l) => l.type === 'distribution_center').length).toBeGreaterThanOrEqual(2);
    expect(data.filter((l) => l.type === 'store').length).toBeGreaterThanOrEqual(6);
    expect(data.map((l) => l.code)).toContain('DC-SEC');
    const channels = await get('/v1/channels', BOOTSTRAP_KEY);
    expect((channels.body.data as { code: string }[]).map((c) => c.code).sort()).toEqual(['marketplace', 'web']);
  });

  it('prints an admin key once, and that key works', async () => {
    const key = printedAdminKey(server.output());
    expect(key).toMatch(/^csk_/);
    expect(server.output()).toContain('consign keys create --role admin');
    expect((await get('/v1/products?limit=1', key)).status).toBe(200);
    expect((await get('/v1/products?limit=1', 'csk_not_a_key')).status).toBe(401);
  });

  it('shuts down gracefully on SIGTERM with exit code 0', async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });
});

describe('consign serve, later starts', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('neither seeds again nor prints another key', async () => {
    const again = await startServeProcess({ ...target.env, CONSIGN_BOOTSTRAP_ADMIN_KEY: BOOTSTRAP_KEY });
    try {
      expect(printedAdminKey(again.output())).toBeUndefined();
      const response = await fetch(`${again.url}/v1/locations?limit=100`, {
        headers: { authorization: `Bearer ${BOOTSTRAP_KEY}` },
      });
      const body = (await response.json()) as { data: unknown[] };
      expect(body.data).toHaveLength(demoLocationCount);
    } finally {
      again.child.kill('SIGTERM');
      expect((await again.exited).code).toBe(0);
    }
  });

  it.runIf(testEngine() === 'pglite')('refuses a second process on one embedded data directory', async () => {
    const first = await startServeProcess(target.env);
    try {
      const second = await runConsign(['serve'], { ...target.env, PORT: '0' });
      expect(second.code).toBe(1);
      expect(second.stderr.trim().split('\n')).toHaveLength(1);
      expect(second.stderr).toMatch(/^error: The embedded database in .* is in use by another Consign process/);
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
    }
  });
});

describe.runIf(testEngine() === 'postgres')(
  'several processes starting together on one PostgreSQL',
  { timeout: CLI_TEST_TIMEOUT_MS },
  () => {
    it('initialize once: one demo network, one admin key', async () => {
      const fresh = await createCliTarget();
      try {
        const servers = await Promise.all([1, 2, 3].map(() => startServeProcess(fresh.env)));
        const keys = servers.map((s) => printedAdminKey(s.output())).filter(Boolean);
        expect(keys).toHaveLength(1);
        const [counts] = await query<{ locations: number; keys: number }>(
          fresh.database!.db,
          sql`select (select count(*) from locations)::int as locations, (select count(*) from api_keys)::int as keys`,
        );
        expect(counts).toEqual({ locations: demoLocationCount, keys: 1 });
        for (const s of servers) s.child.kill('SIGTERM');
        const exits = await Promise.all(servers.map((s) => s.exited));
        expect(exits.map((e) => e.code)).toEqual([0, 0, 0]);
      } finally {
        await fresh.close();
      }
    });
  },
);
