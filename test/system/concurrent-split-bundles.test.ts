import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
import { must } from '../support/client.ts';
import { testEngine } from '../support/db.ts';
import { createDeployment, type Deployment } from '../support/deployment.ts';
import { heldMismatches, ledgerMismatches } from '../support/invariants.ts';
import { orderBody } from '../support/orders.ts';
import { randomInt, seededRandom } from '../support/random.ts';
import { defaultRoutingRules } from '../../src/routing/index.ts';

const engine = testEngine();
/** PostgreSQL: the full storm over two server processes; the embedded database: one process. */
const ORDERS = engine === 'postgres' ? 200 : 60;
const PARTS = ['PART-A', 'PART-B', 'PART-C'];
/**
 * Units of each part per location: demand far exceeds supply, and each store is short of what
 * the other has plenty of, so many kits can only be made from both (split_components).
 */
const STOCK = [
  [24, 3, 11],
  [3, 14, 7],
] as const;
/** KIT = 2 × A + 1 × B; CRATE = 1 × KIT + 2 × C, a bundle holding a bundle. */
const LEAVES: Record<string, Record<string, number>> = {
  KIT: { 'PART-A': 2, 'PART-B': 1 },
  CRATE: { 'PART-A': 2, 'PART-B': 1, 'PART-C': 2 },
  'PART-A': { 'PART-A': 1 },
  'PART-B': { 'PART-B': 1 },
  'PART-C': { 'PART-C': 1 },
};
/** What one order asks for: lines whose SKUs share no part (see docs/bundles.md on mixed orders). */
const BASKETS = [
  ['KIT'],
  ['KIT'],
  ['KIT', 'PART-C'],
  ['CRATE'],
  ['PART-A'],
  ['PART-B'],
  ['PART-A', 'PART-B'],
  ['PART-C'],
];
const TEST_TIMEOUT_MS = 600_000;
const topology =
  engine === 'postgres' ? 'two server processes on one PostgreSQL' : 'one server process on its embedded database';

let deployment: Deployment;
const locations: string[] = [];
const server = (i: number) => deployment.servers[i % deployment.servers.length]!;

beforeAll(async () => {
  deployment = await createDeployment({ serverCount: 2 });
  const request = server(0).request;
  for (const [i, [latitude, longitude]] of [
    [40.73, -74.17],
    [41.88, -87.63],
  ].entries()) {
    const location = await must(request, 'POST', '/v1/locations', {
      code: `SS-${i}`,
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
  await must(request, 'PUT', '/v1/routing/rules', {
    rules: { ...defaultRoutingRules, bundles: 'split_components' },
    activate: true,
  });
  for (const sku of [...PARTS, 'KIT', 'CRATE']) await must(request, 'POST', '/v1/products', { sku, name: sku });
  for (const [i, location] of locations.entries())
    for (const [j, sku] of PARTS.entries())
      await must(request, 'PUT', `/v1/inventory/${location}/${sku}`, { on_hand: STOCK[i]![j] });
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
}, TEST_TIMEOUT_MS);
afterAll(async () => {
  await deployment?.close();
});

describe(`a storm of ${ORDERS} concurrent bundle and part orders with kits split over locations (${topology})`, () => {
  it(
    'never oversells a part: each kit is reserved at every location it takes parts from or not at all',
    async () => {
      const random = seededRandom(7);
      const bodies = Array.from({ length: ORDERS }, (_, i) =>
        orderBody(
          `STORM-${i}`,
          BASKETS[randomInt(random, 0, BASKETS.length - 1)]!.map((sku) => ({ sku, quantity: randomInt(random, 1, 2) })),
        ),
      );
      const responses = await Promise.all(bodies.map((body, i) => server(i).request('POST', '/v1/orders', { body })));

      const accepted = responses.filter((r) => r.status === 201);
      for (const r of responses.filter((x) => x.status !== 201)) {
        expect(r.status).toBe(409);
        expect(r.body.code).toBe('insufficient_stock');
      }
      expect(accepted.length).toBeGreaterThan(0);
      const bundles = accepted.filter((r) => r.body.lines.some((l: { sku: string }) => l.sku in { KIT: 1, CRATE: 1 }));
      expect(bundles.length).toBeGreaterThan(0);
      // Some kits were split: their parts name the components each store picks.
      const split = accepted.filter((r) => r.body.allocations.some((a: { kit_group?: string }) => a.kit_group));
      expect(split.length).toBeGreaterThan(0);
      for (const r of accepted) for (const line of r.body.lines) expect(line.quantities.allocated).toBe(line.quantity);

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
    },
    TEST_TIMEOUT_MS,
  );
});
