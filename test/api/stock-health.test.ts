import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, type SmallNetwork } from '../support/fixtures.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

interface Level {
  sku: string;
  location_id: string;
  location_name: string;
  available: number;
  free: number;
}

/** Every level set below, with its location's name and its free stock (on hand − safety stock). */
const levels: Level[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  // 90 SKUs at 3 locations: 270 levels, more than the 200 rows a list keeps. Every SKU has the same
  // stock at each location, so rows tie on available and SKU and only the location names order
  // them: Albany (the last location created), Boston, Secaucus.
  net = await createSmallNetwork(server, 90);
  const names = {
    [net.dc]: 'Secaucus distribution_center',
    [net.storeA]: 'Boston store',
    [net.storeB]: 'Albany store',
  };
  const rows = net.skus.flatMap((sku, i) =>
    [net.dc, net.storeA, net.storeB].map((location_id) => {
      // Every 9th SKU is held back by its safety stock: a stock-out where free stock is 0 or less.
      const onHand = 10 + (i % 7);
      const safety = i % 9 === 0 ? onHand + (i % 4) : 0;
      const free = onHand - safety;
      levels.push({ sku, location_id, location_name: names[location_id]!, available: Math.max(free, 0), free });
      return { location_id, sku, on_hand: onHand, safety_stock: safety };
    }),
  );
  const feed = await server.request('POST', '/v1/inventory/feeds', {
    body: { feed_id: 'stock-health', mode: 'snapshot', as_of: new Date().toISOString(), rows },
  });
  expect(feed.status, JSON.stringify(feed.body)).toBe(201);
}, 120_000);
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const pick = (l: Level) => ({ sku: l.sku, location_id: l.location_id, location_name: l.location_name });

describe('GET /v1/reports/stock-health on more levels than a list keeps', () => {
  it('keeps the 200 worst of each list, ties ordered by SKU and then location name', async () => {
    const response = await server.request('GET', '/v1/reports/stock-health');
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const { stock_outs: stockOuts, overstock } = response.body as {
      stock_outs: (Level & { available: number })[];
      overstock: (Level & { units_sold: number; days_of_cover: number | null })[];
    };
    const expectedOuts = levels
      .filter((l) => l.free <= 0)
      .sort((a, b) => a.free - b.free || byText(a.sku, b.sku) || byText(a.location_name, b.location_name));
    expect(stockOuts.map(pick)).toEqual(expectedOuts.map(pick));
    expect(stockOuts.every((l) => l.available === 0)).toBe(true);
    // Nothing shipped: every level with stock is overstock, its days of cover endless, most first.
    const expectedOver = levels
      .filter((l) => l.free > 0)
      .sort((a, b) => b.available - a.available || byText(a.sku, b.sku) || byText(a.location_name, b.location_name))
      .slice(0, 200);
    expect(expectedOver.at(-1)!.sku).toBe(expectedOver.at(-2)!.sku); // the cut falls inside a tie
    expect(overstock.map(pick)).toEqual(expectedOver.map(pick));
    expect(overstock.map((l) => l.available)).toEqual(expectedOver.map((l) => l.available));
    expect(overstock.every((l) => l.units_sold === 0 && l.days_of_cover === null)).toBe(true);
  });
});
