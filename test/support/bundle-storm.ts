import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
import { must, type Requester } from './client.ts';
import { testEngine } from './db.ts';
import { createDeployment, type Deployment } from './deployment.ts';
import { heldMismatches, ledgerMismatches } from './invariants.ts';
import { orderBody } from './orders.ts';
import { randomInt, seededRandom } from './random.ts';
import type { TestResponse } from './server.ts';

const engine = testEngine();
/** PostgreSQL: the full storm over two server processes; the embedded database: one process. */
const ORDERS = engine === 'postgres' ? 200 : 60;
const PARTS = ['PART-A', 'PART-B', 'PART-C'];
/** KIT = 2 × A + 1 × B; CRATE = 1 × KIT + 2 × C, a bundle holding a bundle. */
const LEAVES: Record<string, Record<string, number>> = {
  KIT: { 'PART-A': 2, 'PART-B': 1 },
  CRATE: { 'PART-A': 2, 'PART-B': 1, 'PART-C': 2 },
  'PART-A': { 'PART-A': 1 },
  'PART-B': { 'PART-B': 1 },
  'PART-C': { 'PART-C': 1 },
};
const TEST_TIMEOUT_MS = 600_000;
const topology =
  engine === 'postgres' ? 'two server processes on one PostgreSQL' : 'one server process on its embedded database';

export interface BundleStorm {
  /** What the storm is about, after "a storm of N concurrent bundle and part orders". */
  title: string;
  /** What its test shows. */
  claim: string;
  /** Location codes' prefix: each storm has its own stores. */
  codePrefix: string;
  /** Units of PART-A, PART-B, PART-C at each of the two stores. */
  stock: readonly (readonly [number, number, number])[];
  /** What one order asks for: lines whose SKUs share no part (see docs/bundles.md on mixed orders). */
  baskets: string[][];
  /** Routing rules to activate before the storm, if not the defaults. */
  rules?: Record<string, unknown>;
  /** More to check of the placed orders. */
  alsoExpect?: (accepted: TestResponse[]) => void;
}

/**
 * A storm of concurrent orders of two bundles (KIT, and CRATE holding a KIT) and their parts
 * over two stores, sent to two server processes on PostgreSQL: every order is placed whole or
 * refused as short, no part is oversold at any store, and the parts reserved are exactly what
 * the placed orders take, the ledger and the holds agreeing.
 */
export function describeBundleStorm(storm: BundleStorm): void {
  let deployment: Deployment;
  const server = (i: number) => deployment.servers[i % deployment.servers.length]!;

  beforeAll(async () => {
    deployment = await createDeployment({ serverCount: 2 });
    await stockTwoStores(server(0).request, storm);
  }, TEST_TIMEOUT_MS);
  afterAll(async () => {
    await deployment?.close();
  });

  describe(`a storm of ${ORDERS} concurrent bundle and part orders${storm.title ? ` ${storm.title}` : ''} (${topology})`, () => {
    it(
      storm.claim,
      async () => {
        const random = seededRandom(7);
        const bodies = Array.from({ length: ORDERS }, (_, i) =>
          orderBody(
            `STORM-${i}`,
            storm.baskets[randomInt(random, 0, storm.baskets.length - 1)]!.map((sku) => ({
              sku,
              quantity: randomInt(random, 1, 2),
            })),
          ),
        );
        const responses = await Promise.all(bodies.map((body, i) => server(i).request('POST', '/v1/orders', { body })));
        const accepted = responses.filter((r) => r.status === 201);
        for (const r of responses.filter((x) => x.status !== 201)) {
          expect(r.status).toBe(409);
          expect(r.body.code).toBe('insufficient_stock');
        }
        expect(accepted.length).toBeGreaterThan(0);
        const bundles = accepted.filter((r) =>
          r.body.lines.some((l: { sku: string }) => l.sku in { KIT: 1, CRATE: 1 }),
        );
        expect(bundles.length).toBeGreaterThan(0);
        for (const r of accepted)
          for (const line of r.body.lines) expect(line.quantities.allocated).toBe(line.quantity);
        storm.alsoExpect?.(accepted);
        await expectPartsReservedExactly(deployment, accepted);
      },
      TEST_TIMEOUT_MS,
    );
  });
}

async function stockTwoStores(request: Requester, storm: BundleStorm) {
  const locations: string[] = [];
  for (const [i, [latitude, longitude]] of [
    [40.73, -74.17],
    [41.88, -87.63],
  ].entries()) {
    const location = await must(request, 'POST', '/v1/locations', {
      code: `${storm.codePrefix}-${i}`,
      type: 'store',
      name: `Store ${i}`,
      address: { line1: '1 Main St', city: 'Somewhere', country: 'US' },
      latitude,
      longitude,
      timezone: 'America/New_York',
      capabilities: ['ship'],
    });
    locations.push(location.id);
  }
  const group = await must(request, 'POST', '/v1/location-groups', {
    code: 'all',
    name: 'All',
    location_ids: locations,
  });
  await must(request, 'POST', '/v1/channels', { code: 'web', name: 'Web', type: 'web', location_group_id: group.id });
  if (storm.rules) await must(request, 'PUT', '/v1/routing/rules', { rules: storm.rules, activate: true });
  for (const sku of [...PARTS, 'KIT', 'CRATE']) await must(request, 'POST', '/v1/products', { sku, name: sku });
  for (const [i, location] of locations.entries())
    for (const [j, sku] of PARTS.entries())
      await must(request, 'PUT', `/v1/inventory/${location}/${sku}`, { on_hand: storm.stock[i]![j] });
  await must(request, 'PUT', '/v1/products/KIT/components', {
    components: [
      { sku: 'PART-A', quantity: 2 },
      { sku: 'PART-B', quantity: 1 },
    ],
  });
  await must(request, 'PUT', '/v1/products/CRATE/components', {
    components: [
      { sku: 'KIT', quantity: 1 },
      { sku: 'PART-C', quantity: 2 },
    ],
  });
}

async function expectPartsReservedExactly(deployment: Deployment, accepted: TestResponse[]) {
  const inspection = await deployment.inspect(async (db) => ({
    levels: await query<{ sku: string; on_hand: number; reserved: number }>(
      db,
      sql`select sku, on_hand, reserved from stock_levels`,
    ),
    ledger: await ledgerMismatches(db),
    held: await heldMismatches(db),
  }));
  const expected = new Map<string, number>();
  for (const r of accepted)
    for (const line of r.body.lines as { sku: string; quantity: number }[])
      for (const [part, units] of Object.entries(LEAVES[line.sku]!))
        expected.set(part, (expected.get(part) ?? 0) + units * line.quantity);
  for (const part of PARTS) {
    const levels = inspection.levels.filter((l) => l.sku === part);
    for (const level of levels) expect(level.reserved).toBeLessThanOrEqual(level.on_hand);
    expect(levels.reduce((n, l) => n + l.reserved, 0)).toBe(expected.get(part) ?? 0);
  }
  expect(inspection.levels.filter((l) => !PARTS.includes(l.sku))).toEqual([]);
  expect(inspection.ledger).toEqual([]);
  expect(inspection.held).toEqual([]);
  // Supply was the limit: some part is (nearly) all reserved.
  const left = PARTS.map((part) =>
    inspection.levels.filter((l) => l.sku === part).reduce((n, l) => n + l.on_hand - l.reserved, 0),
  );
  expect(Math.min(...left)).toBeLessThan(4);
}
