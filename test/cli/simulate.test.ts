import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT_MS, createCliTarget, killChildren, runConsign, type CliTarget } from './cli-process.ts';

let target: CliTarget;
let dir: string;
const period = [
  '--from',
  new Date(Date.now() - 40 * 86_400_000).toISOString(),
  '--to',
  new Date(Date.now() + 86_400_000).toISOString(),
];

beforeAll(async () => {
  target = await createCliTarget();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consign-simulate-'));
  const seeded = await runConsign(['seed', '--demo'], target.env, 170_000);
  expect(seeded.code, seeded.stderr).toBe(0);
}, CLI_TEST_TIMEOUT_MS);
afterAll(async () => {
  killChildren();
  fs.rmSync(dir, { recursive: true, force: true });
  await target?.close();
});

describe('consign simulate', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('is listed, and --help explains the stock bases and the options', async () => {
    expect((await runConsign(['--help'])).stdout).toMatch(/^ {2}simulate\b/m);
    const help = await runConsign(['simulate', '--help']);
    expect(help.code).toBe(0);
    for (const text of [
      '--from <time>',
      '--rules-version <n>',
      '--rules-file <file>',
      '--stock-basis <basis>',
      '--orders <file>',
      '--order-set <id>',
      '--out <file>',
      'byte for byte',
    ])
      expect(help.stdout).toContain(text);
  });

  it('replays the demo orders under a draft from a file, the same way twice', async () => {
    const file = path.join(dir, 'draft.json');
    fs.writeFileSync(file, JSON.stringify(draftRules()));
    const args = ['simulate', ...period, '--rules-file', file, '--stock-basis', 'replay', '--json'];
    const first = await runConsign(args, target.env, 170_000);
    expect(first.code, first.stderr).toBe(0);
    const a = JSON.parse(first.stdout);
    expect(a.status).toBe('succeeded');
    expect(a.result.orders).toBeGreaterThanOrEqual(20);
    expect(a.progress.orders_done).toBe(a.result.orders);
    expect(a.result.draft.split_rate).toBe(0);
    expect(a.result.baseline.orders).toBe(a.result.draft.orders);
    const second = await runConsign(args, target.env, 170_000);
    const b = JSON.parse(second.stdout);
    expect(b.id).not.toBe(a.id);
    expect(JSON.stringify(b.result)).toBe(JSON.stringify(a.result));

    const out = path.join(dir, 'sim.json');
    const table = await runConsign(
      ['simulate', ...period, '--rules-file', file, '--stock-basis', 'replay', '--out', out],
      target.env,
      170_000,
    );
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/orders replayed/);
    expect(table.stdout).toMatch(/^split rate\s/m);
    const written = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(written.changes).toHaveLength(a.result.changed_orders);
    expect(JSON.stringify(written.result)).toBe(JSON.stringify(a.result));
  });

  it('uploads a file of orders as a set, lists the rejected rows, and replays the set the same way twice', async () => {
    const rules = path.join(dir, 'set-draft.json');
    fs.writeFileSync(rules, JSON.stringify(draftRules()));
    const orders = path.join(dir, 'peak.jsonl');
    const address = { line1: '350 5th Ave', city: 'New York', postal_code: '10118', country: 'US' };
    const order = (n: number, sku = 'HP-VASE-ASH') => ({
      external_id: `PEAK-${n}`,
      placed_at: new Date(Date.UTC(2026, 10, 27, 9, n)).toISOString(),
      shipping_address: address,
      lines: [{ sku, quantity: 1 }],
    });
    const rows = [order(1), order(2), order(3, 'NO-SUCH-SKU'), order(4)];
    fs.writeFileSync(orders, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const args = ['simulate', '--orders', orders, '--channel', 'web', '--rules-file', rules, '--json'];
    const first = await runConsign(args, target.env, 170_000);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/3 orders stored, 1 rejected/);
    expect(first.stderr).toMatch(/3\s+lines\[0\]\.sku\s+NO-SUCH-SKU is not in the catalogue/);
    const a = JSON.parse(first.stdout);
    expect(a.status).toBe('succeeded');
    expect(a.result.orders).toBe(3);
    expect(a.result.stock_basis).toBe('snapshot');
    const again = await runConsign(
      ['simulate', '--order-set', a.result.order_set.id, '--rules-file', rules, '--json'],
      target.env,
      170_000,
    );
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(again.stdout).result)).toBe(JSON.stringify(a.result));
  });

  it('refuses a request without rules, saying what to give', async () => {
    const refused = await runConsign(['simulate', ...period], target.env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/rules_version .*give exactly one/);
  });
});

/** The default rules, but at most one shipment per order and no weight on distance or freight. */
function draftRules() {
  return {
    weights: { shipments: 1_000_000, sla: 10_000, cost: 0, distance: 0, balance: 60, priority: 100 },
    maxShipments: 1,
    shipComplete: false,
    pickupFallback: 'reject',
    excludeAfterCutoff: false,
    rateTable: {
      bands: [{ maxKm: null, zone: 'all' }],
      zones: { all: { baseMinor: 900, perKgMinor: 100 } },
    },
    transitDays: [{ maxKm: null, days: 3 }],
    slaDays: { default: 5, byChannel: {} },
    currency: 'USD',
  };
}
