import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles, type Role } from '../../src/auth/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { allowLocalWebhooks } from '../support/webhook-receiver.ts';
import { startTestServer, type TestResponse, type TestServer } from '../support/server.ts';
import { crossProbes, probes, type Probe } from './authorization-requests.ts';
import { expected, outcomeOf, renderTable, type Outcome } from './authorization-table.ts';
import { buildWorld, sides, type Side, type World } from './authorization-world.ts';

/**
 * Every operation of the OpenAPI document × every role × a record of the key's own channel or
 * location and one of the other's, against the table of expected outcomes. A 2xx where the
 * table says 403 or 404, a refusal where it says allowed, or an operation the table does not
 * classify fails the test.
 */
let database: TestDatabase;
let server: TestServer;
let world: World;
let restoreAllowList: () => void;

beforeAll(async () => {
  restoreAllowList = allowLocalWebhooks(); // the world's webhook subscription points at 127.0.0.1
  database = await createTestDatabase();
  server = await startTestServer(database);
  world = await buildWorld(server, database);
}, 300_000);
afterAll(async () => {
  await server?.close();
  await database?.close();
  restoreAllowList?.();
});

async function operations(): Promise<string[]> {
  const document = await server.request('GET', '/openapi.json', { key: null });
  const paths = document.body.paths as Record<string, Record<string, unknown>>;
  return Object.entries(paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

/** What a key of `role` must never see of the other side: the IDs of the records it does not own. */
function othersRecords(role: Role): string[] {
  const o = world.other;
  if (role === 'fulfillment') return [o.working.foId];
  if (role !== 'channel') return [];
  return [
    o.holdId,
    o.working.id,
    o.working.foId,
    o.managed.id,
    o.delivered.id,
    o.delivered.shipmentId,
    o.delivered.invoiceId,
    o.delivered.email,
    o.returnId,
    o.subscriptionId,
  ];
}

/** Why `response` is not what `outcome` means, or undefined when it is. */
function mismatch(outcome: Outcome, response: TestResponse, probe: Probe, role: Role): string | undefined {
  const { status } = response;
  const code = typeof response.body === 'object' ? response.body?.code : undefined;
  const got = `${status}${code ? ` ${code}` : ''}`;
  switch (outcome) {
    case 'forbidden':
      return status === 403 && code === 'forbidden' ? undefined : `expected 403 forbidden, got ${got}`;
    case 'hidden':
      return status === 404 && code === 'not_found' ? undefined : `expected 404 not_found, got ${got}`;
    case 'signed':
      return status >= 400 && status !== 403 ? undefined : `expected a refusal without a signature, got ${got}`;
    case 'allowed':
    case 'scoped': {
      const refused =
        [400, 401, 403].includes(status) || status >= 500 || (status === 404 && !probe.absent) || code === 'forbidden';
      if (refused || (outcome === 'scoped' && status >= 300)) return `expected ${outcome}, got ${got}`;
      if (status >= 300) return undefined;
      const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
      const leaked = othersRecords(role).filter((id) => text.includes(id));
      if (leaked.length > 0) return `answered with the other side's ${leaked.join(', ')}`;
      return probe.check?.(response.body, role);
    }
  }
}

function send(role: Role, method: string, probe: Probe, headers?: Record<string, string>) {
  return server.request(method, probe.path, {
    key: world.keys[role],
    ...(probe.body === undefined ? {} : { body: probe.body }),
    ...(headers ? { headers } : {}),
  });
}

/** A markdown table's rows, cells trimmed and rules shortened: the same however it is aligned. */
const tableRows = (markdown: string) =>
  markdown
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .split('|')
        .map((cell) => cell.trim().replace(/^-+$/, '-'))
        .join('|'),
    )
    .join('\n');

const denied = (outcome: Outcome) => outcome === 'forbidden' || outcome === 'hidden' || outcome === 'signed';

describe('authorization: every operation × role × own or other record', () => {
  it('classifies every operation of the API, and only those', async () => {
    const listed = await operations();
    expect(listed.filter((op) => !(op in expected))).toEqual([]);
    expect(Object.keys(expected).filter((op) => !listed.includes(op))).toEqual([]);
    expect(Object.keys(expected).filter((op) => !(op in probes))).toEqual([]);
  });

  it('refuses, or answers from its own records, a request that names the other side inside it', async () => {
    const failures: string[] = [];
    for (const build of crossProbes) {
      const probe = build(world);
      if (probe.first) await send(probe.first, probe.method, probe, probe.headers);
      const response = await send(probe.role, probe.method, probe, probe.headers);
      const wrong =
        probe.expect === 'scoped'
          ? mismatch('scoped', response, probe, probe.role)
          : response.status === probe.expect.status && response.body?.code === probe.expect.code
            ? undefined
            : `expected ${probe.expect.status} ${probe.expect.code}, got ${response.status} ${response.body?.code ?? ''}`;
      if (wrong) failures.push(`${probe.name}: ${wrong}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers every role as the table says', async () => {
    const failures: string[] = [];
    let n = 0;
    let requests = 0;
    for (const operation of Object.keys(expected)) {
      const [method, template] = operation.split(' ') as [string, string];
      const cases = roles.flatMap((role) =>
        sides.map((side: Side) => ({ role, side, outcome: outcomeOf(expected[operation]![role], side) })),
      );
      // Refusals first: each meets the records as the fixtures left them.
      cases.sort((a, b) => Number(denied(b.outcome)) - Number(denied(a.outcome)));
      for (const { role, side, outcome } of cases) {
        const probe = probes[operation]!(world, world[side], ++n, side);
        const response = await send(role, method, probe);
        requests += 1;
        const wrong = mismatch(outcome, response, probe, role);
        if (wrong) failures.push(`${operation} as ${role} on ${side}'s record (${template}): ${wrong}`);
      }
    }
    expect(requests).toBe(Object.keys(expected).length * roles.length * sides.length);
    expect(failures).toEqual([]);
  }, 600_000);

  it('is the table docs/authorization.md shows', () => {
    const doc = fs.readFileSync(new URL('../../docs/authorization.md', import.meta.url), 'utf8');
    expect(tableRows(doc)).toContain(tableRows(renderTable()));
  });
});
