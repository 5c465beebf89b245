import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.ts';
import { buildApp } from '../../src/http/app.ts';
import { CONSOLE_SECTIONS } from '../../src/http/console.ts';
import { createRequester, type Requester } from '../support/client.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TEST_ADMIN_KEY } from '../support/server.ts';

/** Two servers on one database: one with a built console in a directory, one without any. */
let database: TestDatabase;
const closers: (() => Promise<unknown>)[] = [];
let built: Requester;
let missing: Requester;
const consoleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'consign-console-'));

async function serve(dir: string): Promise<Requester> {
  const app = await buildApp({ database, bootstrapAdminKey: TEST_ADMIN_KEY, logLevel: 'silent', consoleDir: dir });
  await app.listen({ host: '127.0.0.1', port: 0 });
  closers.push(() => app.close());
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return createRequester(`http://127.0.0.1:${address.port}`);
}

beforeAll(async () => {
  fs.mkdirSync(path.join(consoleDir, 'assets'));
  fs.writeFileSync(path.join(consoleDir, 'index.html'), '<!doctype html><title>Consign console</title>');
  fs.writeFileSync(path.join(consoleDir, 'assets', 'app-123.js'), 'console.log(1)');
  database = await createTestDatabase();
  built = await serve(consoleDir);
  missing = await serve(path.join(consoleDir, 'absent'));
});
afterAll(async () => {
  for (const close of closers) await close();
  await database.close();
  fs.rmSync(consoleDir, { recursive: true, force: true });
});

describe('the console is served at / beside the API', () => {
  it('answers / and every client-side route with index.html, and assets as files', async () => {
    for (const url of ['/', '/orders/ord_123', '/inventory?tab=sku']) {
      const response = await built('GET', url, { key: null });
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.body).toContain('Consign console');
    }
    const asset = await built('GET', '/assets/app-123.js', { key: null });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('keeps the API paths: unknown /v1 routes are still problem+json 404s, health and docs unchanged', async () => {
    const unknown = await built('GET', '/v1/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/problem\+json/);
    expect(unknown.body.code).toBe('not_found');
    expect((await built('GET', '/health', { key: null })).body).toEqual({ status: 'ok' });
    expect((await built('GET', '/openapi.json', { key: null })).body.openapi).toBe('3.1.0');
    expect((await built('POST', '/orders', { key: null, body: {} })).status).toBe(404);
  });

  it('answers paths that are neither the console nor the API with a problem+json 404, not the page', async () => {
    for (const url of ['/metrics-typo', '/wp-admin', '/order/ord_1', '/v2/orders']) {
      const response = await built('GET', url, { key: null });
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-type'), url).toMatch(/problem\+json/);
    }
  });

  it("lists every top-level page of the console's app among the paths it serves", () => {
    const app = fs.readFileSync(new URL('../../console/src/app.tsx', import.meta.url), 'utf8');
    // The sections' paths, and the pages shown before signing in (`path === '/set-password'`).
    const pages = [...app.matchAll(/\bpath(?::| ===) '\/([a-z-]+)'/g)].map((m) => m[1]);
    expect(pages.length).toBeGreaterThan(5);
    expect([...CONSOLE_SECTIONS].sort()).toEqual([...new Set(pages)].sort());
  });

  it('says how to build the console when it is not built', async () => {
    const response = await missing('GET', '/', { key: null });
    expect(response.status).toBe(503);
    expect(response.body).toContain('npm run build:console');
    expect((await missing('GET', '/v1/nope')).body.code).toBe('not_found');
  });
});

describe('GET /v1/me', () => {
  it('tells each key its role, scope and permissions', async () => {
    const admin = await built('GET', '/v1/me');
    expect(admin.status).toBe(200);
    expect(admin.body).toMatchObject({ role: 'admin', channel_id: null, location_ids: [] });
    expect(admin.body.permissions).toContain('webhooks:manage');

    const agent = await createApiKey(database.db, { role: 'agent' });
    const me = (await built('GET', '/v1/me', { key: agent.secret })).body;
    expect(me).toMatchObject({ key_id: agent.id, role: 'agent' });
    expect(me.permissions).toContain('orders:manage');
    expect(me.permissions).not.toContain('webhooks:manage');
    expect(me.permissions).not.toContain('routing:write');
  });

  it('needs a key', async () => {
    const response = await built('GET', '/v1/me', { key: null });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('unauthorized');
  });
});
