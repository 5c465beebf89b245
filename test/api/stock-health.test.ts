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

/** Every page of a list, following `next_cursor`; each page's `total` must be the same. */
async function allPages(path: string, limit: number) {
  const rows: Level[] = [];
  const totals = new Set<number>();
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const suffix: string = cursor ? `&cursor=${cursor}` : '';
    const response = await server.request('GET', `${path}${separator}limit=${limit}${suffix}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    rows.push(...(response.body.data as Level[]));
    totals.add(response.body.total as number);
    cursor = response.body.next_cursor as string | null;
    pages++;
  } while (cursor);
  return { rows, totals: [...totals], pages };
}

describe('stock lists counted and paged, past the report’s cap', () => {
  it('stock-health counts every stock-out and overstocked level, also past the 200 it lists', async () => {
    const response = await server.request('GET', '/v1/reports/stock-health');
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.overstock).toHaveLength(200);
    expect(response.body.stock_outs_total).toBe(levels.filter((l) => l.free <= 0).length);
    expect(response.body.overstock_total).toBe(levels.filter((l) => l.free > 0).length);
    expect(response.body.overstock_total).toBeGreaterThan(200);
  });

  it('pages the whole overstock list with its count, and narrows it to one location', async () => {
    const everything = await allPages('/v1/inventory/overstock', 70);
    const overstocked = levels.filter((l) => l.free > 0);
    expect(everything.totals).toEqual([overstocked.length]);
    expect(everything.pages).toBe(Math.ceil(overstocked.length / 70));
    const expected = overstocked.sort(
      (a, b) => b.available - a.available || byText(a.sku, b.sku) || byText(a.location_id, b.location_id),
    );
    expect(everything.rows.map(pick)).toEqual(expected.map(pick));
    expect(everything.rows[0]).toMatchObject({ product_name: expect.stringMatching(/^Product /) });

    const boston = await allPages(`/v1/inventory/overstock?location_id=${net.storeA}`, 25);
    const atBoston = expected.filter((l) => l.location_id === net.storeA);
    expect(boston.totals).toEqual([atBoston.length]);
    expect(boston.rows.map(pick)).toEqual(atBoston.map(pick));
  });

  it('pages low stock with its count, product names and a location filter', async () => {
    const threshold = 12;
    const low = levels
      .filter((l) => l.available <= threshold)
      .sort((a, b) => a.available - b.available || byText(a.sku, b.sku) || byText(a.location_id, b.location_id));
    expect(low.length).toBeGreaterThan(40);
    const everything = await allPages(`/v1/inventory/low-stock?threshold=${threshold}`, 40);
    expect(everything.totals).toEqual([low.length]);
    expect(everything.rows.map(pick)).toEqual(low.map(pick));
    const first = everything.rows[0] as Level & { product_name: string };
    expect(first.product_name).toBe(`Product ${net.skus.indexOf(first.sku) + 1}`);

    const albany = await allPages(`/v1/inventory/low-stock?threshold=${threshold}&location_id=${net.storeB}`, 15);
    const atAlbany = low.filter((l) => l.location_id === net.storeB);
    expect(albany.totals).toEqual([atAlbany.length]);
    expect(albany.rows.map(pick)).toEqual(atAlbany.map(pick));
  });
});

describe('finding a SKU and its movements', () => {
  it('finds stock levels by product name as well as by SKU code, any case', async () => {
    await server.request('PATCH', `/v1/products/${net.skus[41]}`, { body: { name: 'Blue Ceramic Mug' } });
    const byName = await server.request('GET', `/v1/inventory/levels?q=ceramic&location_id=${net.dc}`);
    expect(byName.status, JSON.stringify(byName.body)).toBe(200);
    expect(byName.body.data).toEqual([
      expect.objectContaining({ sku: net.skus[41], location_id: net.dc, product_name: 'Blue Ceramic Mug' }),
    ]);
    const byCode = await server.request('GET', `/v1/inventory/levels?q=sku-0042`);
    expect(byCode.body.data.map((l: Level) => l.sku)).toEqual([net.skus[41], net.skus[41], net.skus[41]]);
    const wildcard = await server.request('GET', `/v1/inventory/levels?q=%25`);
    expect(wildcard.body.data).toEqual([]);
  });

  it('pages the ledger of a SKU at a location newest first', async () => {
    const sku = net.skus[5]!;
    for (const quantity of [1, 2, 3, 4, 5]) {
      const adjusted = await server.request('POST', '/v1/inventory/adjustments', {
        body: {
          reason: `adjustment ${quantity}`,
          movements: [{ kind: 'adjustment', sku, location_id: net.dc, quantity }],
        },
      });
      expect(adjusted.status, JSON.stringify(adjusted.body)).toBe(201);
    }
    const seen: { id: number; reason: string }[] = [];
    let cursor: string | null = null;
    do {
      const suffix: string = cursor ? `&cursor=${cursor}` : '';
      const page = await server.request(
        'GET',
        `/v1/inventory/ledger?sku=${sku}&location_id=${net.dc}&order=desc&limit=2${suffix}`,
      );
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data);
      cursor = page.body.next_cursor;
    } while (cursor);
    // The five adjustments, newest first, then the count the feed wrote.
    expect(seen.map((e) => e.reason)).toEqual([
      'adjustment 5',
      'adjustment 4',
      'adjustment 3',
      'adjustment 2',
      'adjustment 1',
      'feed',
    ]);
    expect(seen.map((e) => e.id)).toEqual([...seen.map((e) => e.id)].sort((a, b) => b - a));
    const oldestFirst = await server.request('GET', `/v1/inventory/ledger?sku=${sku}&location_id=${net.dc}`);
    expect(oldestFirst.body.data.map((e: { id: number }) => e.id)).toEqual(seen.map((e) => e.id).reverse());
  });
});
