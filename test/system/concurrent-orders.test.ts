import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
import { must } from '../support/client.ts';
import { testEngine } from '../support/db.ts';
import { createDeployment, type Deployment } from '../support/deployment.ts';
import { heldMismatches, ledgerMismatches } from '../support/invariants.ts';
import { orderBody } from '../support/orders.ts';
import { randomInt, seededRandom } from '../support/random.ts';

const ORDERS = 100;
const HOT_SKUS = ['HOT-A', 'HOT-B', 'HOT-C'];
/** Units per SKU per location: demand (≈ 100 orders × 1–2 lines × 1–3 units) far exceeds supply. */
const STOCK = [12, 10, 8];
const TEST_TIMEOUT_MS = 240_000;
const engine = testEngine();
const topology =
  engine === 'postgres' ? 'two server processes on one PostgreSQL' : 'one server process on its embedded database';

let deployment: Deployment;
const locations: string[] = [];
const server = (i: number) => deployment.servers[i % deployment.servers.length]!;

beforeAll(async () => {
  deployment = await createDeployment({ serverCount: 2 });
  const request = server(0).request;
  const coords = [
    [40.73, -74.17],
    [41.88, -87.63],
    [34.05, -118.24],
  ] as const;
  for (const [i, [latitude, longitude]] of coords.entries()) {
    const location = await must(request, 'POST', '/v1/locations', {
      code: `CO-${i}`,
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
  for (const sku of HOT_SKUS) {
    await must(request, 'POST', '/v1/products', { sku, name: `Hot ${sku}` });
    for (const [i, location] of locations.entries())
      await must(request, 'PUT', `/v1/inventory/${location}/${sku}`, { on_hand: STOCK[i] });
  }
}, TEST_TIMEOUT_MS);
afterAll(async () => {
  await deployment?.close();
});

describe(`100 concurrent orders over hot SKUs (${topology})`, () => {
  it(
    'never oversells: each order is fully routed or refused with its shortfall, never half-reserved',
    async () => {
      const random = seededRandom(42);
      const bodies = Array.from({ length: ORDERS }, (_, i) => {
        const skus = [...HOT_SKUS].sort(() => random() - 0.5).slice(0, randomInt(random, 1, 2));
        return orderBody(
          `CONC-${i}`,
          skus.map((sku) => ({ sku, quantity: randomInt(random, 1, 3) })),
        );
      });
      const responses = await Promise.all(bodies.map((body, i) => server(i).request('POST', '/v1/orders', { body })));

      const accepted = responses.filter((r) => r.status === 201);
      const refused = responses.filter((r) => r.status !== 201);
      for (const r of refused) {
        expect(r.status).toBe(409);
        expect(r.body.code).toBe('insufficient_stock');
        expect(r.body.shortfalls.length).toBeGreaterThan(0);
      }
      expect(accepted.length).toBeGreaterThan(0);
      for (const r of accepted) {
        for (const line of r.body.lines) expect(line.quantities.allocated).toBe(line.quantity);
      }

      const inspection = await deployment.inspect(async (db) => ({
        levels: await query<{ sku: string; on_hand: number; reserved: number }>(
          db,
          sql`select sku, on_hand, reserved from stock_levels`,
        ),
        orders: await query<{ external_id: string; allocated: number; quantity: number }>(
          db,
          sql`select o.external_id, sum(l.allocated)::int as allocated, sum(l.quantity)::int as quantity
              from orders o join order_lines l on l.order_id = o.id group by o.external_id`,
        ),
        ledger: await ledgerMismatches(db),
        held: await heldMismatches(db),
      }));
      for (const level of inspection.levels) {
        expect(level.reserved).toBeLessThanOrEqual(level.on_hand);
      }
      const reserved = inspection.levels.reduce((n, l) => n + l.reserved, 0);
      const ordered = accepted.reduce(
        (n, r) => n + r.body.lines.reduce((m: number, l: { quantity: number }) => m + l.quantity, 0),
        0,
      );
      expect(reserved).toBe(ordered);
      expect(inspection.orders).toHaveLength(accepted.length);
      for (const order of inspection.orders) expect(order.allocated).toBe(order.quantity);
      expect(inspection.ledger).toEqual([]);
      expect(inspection.held).toEqual([]);
      // Supply was the limit: at least one SKU is fully reserved everywhere.
      const sold = HOT_SKUS.map((sku) =>
        inspection.levels.filter((l) => l.sku === sku).reduce((n, l) => n + l.on_hand - l.reserved, 0),
      );
      expect(Math.min(...sold)).toBeLessThan(3);
    },
    TEST_TIMEOUT_MS,
  );
});
