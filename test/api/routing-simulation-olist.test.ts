import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMissingProducts } from '../../src/catalog/index.ts';
import { createLocation } from '../../src/network/index.ts';
import { parseCsv } from '../../src/shared/csv.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { runSimulation } from '../support/simulations.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * The Olist marketplace sample as a routing network: every seller of the 2017 subset a ship-from
 * location where its postal-code prefix puts it, holding the products it sold; every order of the
 * subset uploaded as an order set to its customer's postal-code prefix, and replayed under the
 * default rules and a draft that never splits an order.
 */
const OLIST = path.resolve(fileURLToPath(new URL('../../', import.meta.url)), '../shared/data/olist');
const SUBSET = path.join(OLIST, 'subset_2017_10k');
const present = fs.existsSync(path.join(SUBSET, 'orders.csv'));

function table(file: string): Record<string, string>[] {
  const [header = [], ...rows] = parseCsv(fs.readFileSync(path.join(OLIST, file), 'utf8').replace(/^\uFEFF/, ''));
  return rows.filter((r) => r.length > 1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

interface Point {
  latitude: number;
  longitude: number;
}

let database: TestDatabase;
let server: TestServer;
/** Olist seller ID → Consign location ID, and location ID → where it is. */
const locationOf = new Map<string, string>();
const pointOf = new Map<string, Point>();
/** Product → the locations holding it. */
const holders = new Map<string, Set<string>>();
let setOrders: { external_id: string; shipping_address: Point; lines: { sku: string; quantity: number }[] }[] = [];
let setId: string;

/** The sample's 9,863 orders on 1,208 locations take longer than the small tests' sets. */
const simulate = (body: Record<string, unknown>) => runSimulation(server, body, { polls: 2_400, everyMs: 50 });

async function allChanges(id: string) {
  const all: { external_id: string; baseline: any; draft: any }[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: { data: typeof all; next_cursor: string | null } } = await server.request(
      'GET',
      `/v1/routing/simulations/${id}/changes?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
    );
    all.push(...page.body.data);
    cursor = page.body.next_cursor;
  } while (cursor);
  return all;
}

describe.skipIf(!present)('routing simulation of the Olist sample', { timeout: 600_000 }, () => {
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database);
    const places = new Map(
      table('geolocation/olist_geolocation_median_per_prefix.csv').map((g) => [
        g.zip_code_prefix!.padStart(5, '0'),
        { latitude: Number(g.lat), longitude: Number(g.lng) },
      ]),
    );
    const items = table('subset_2017_10k/order_items.csv');
    const sold = new Set(items.map((i) => i.seller_id!));
    const sellers = table('reference_full/olist_sellers_dataset.csv').filter((s) => sold.has(s.seller_id!));
    for (const seller of sellers) {
      const at = places.get(seller.seller_zip_code_prefix!.padStart(5, '0'));
      const created = await createLocation(database.db, {
        code: `S-${seller.seller_id!.slice(0, 12)}`,
        type: 'warehouse',
        name: `${seller.seller_city} seller ${seller.seller_id!.slice(0, 6)}`,
        address: { line1: 'Olist seller', city: seller.seller_city!, country: 'BR' },
        ...at,
        timezone: 'America/Sao_Paulo',
        capabilities: ['ship'],
      });
      if (!created.ok) throw new Error(created.problem.detail);
      locationOf.set(seller.seller_id!, created.value.id);
      if (at) pointOf.set(created.value.id, at);
    }
    const group = await server.request('POST', '/v1/location-groups', {
      body: { code: 'olist', name: 'Olist sellers', location_ids: [...locationOf.values()] },
    });
    expect(group.status, JSON.stringify(group.body)).toBe(201);
    const channel = await server.request('POST', '/v1/channels', {
      body: { code: 'olist', name: 'Olist', type: 'marketplace', location_group_id: group.body.id, currency: 'BRL' },
    });
    expect(channel.status, JSON.stringify(channel.body)).toBe(201);
    await addMissingProducts(
      database.db,
      [...new Set(items.map((i) => i.product_id!))].map((sku) => ({ sku, name: `Olist ${sku.slice(0, 8)}` })),
    );
    // Every seller holds plenty of what it sold, so stock never decides: the rules do.
    const pairs = new Set(items.map((i) => `${locationOf.get(i.seller_id!)}|${i.product_id}`));
    const rows = [...pairs].map((pair) => {
      const [location_id, sku] = pair.split('|') as [string, string];
      holders.set(sku, (holders.get(sku) ?? new Set()).add(location_id));
      return { location_id, sku, on_hand: 1_000 };
    });
    const feed = await server.request('POST', '/v1/inventory/feeds', {
      body: { feed_id: 'olist-opening', mode: 'snapshot', as_of: new Date().toISOString(), rows },
    });
    expect(feed.status, JSON.stringify(feed.body)).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 5));

    const customers = new Map(table('subset_2017_10k/customers.csv').map((c) => [c.customer_id!, c]));
    const linesOf = new Map<string, Map<string, number>>();
    for (const item of items) {
      const lines = linesOf.get(item.order_id!) ?? new Map<string, number>();
      lines.set(item.product_id!, (lines.get(item.product_id!) ?? 0) + 1);
      linesOf.set(item.order_id!, lines);
    }
    setOrders = table('subset_2017_10k/orders.csv').flatMap((o) => {
      const lines = linesOf.get(o.order_id!);
      const customer = customers.get(o.customer_id!)!;
      const prefix = customer.customer_zip_code_prefix!.padStart(5, '0');
      const at = places.get(prefix);
      if (!lines || !at) return [];
      return [
        {
          external_id: o.order_id!,
          placed_at: `${o.order_purchase_timestamp!.replace(' ', 'T')}-03:00`,
          shipping_address: {
            line1: 'Olist customer',
            city: customer.customer_city!,
            postal_code: prefix,
            country: 'BR',
            ...at,
          },
          lines: [...lines].map(([sku, quantity]) => ({ sku, quantity })),
        },
      ];
    });
  }, 600_000);

  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('takes every order of the sample with items and a locatable customer into a set', async () => {
    // 111 orders of the sample have no items; a few customers' postal-code prefixes are not in the geolocation file.
    expect(setOrders.length).toBeGreaterThan(9_800);
    const uploaded = await server.request('POST', '/v1/routing/order-sets', {
      body: { name: 'Olist 2017', channel: 'olist', orders: setOrders },
    });
    expect(uploaded.status, JSON.stringify(uploaded.body).slice(0, 500)).toBe(201);
    expect(uploaded.body.rejected).toEqual([]);
    expect(uploaded.body.order_set.orders).toBe(setOrders.length);
    setId = uploaded.body.order_set.id;
  });

  it('replays the marketplace under a draft that never splits: exactly the orders no one seller can fill become unroutable, the same twice', async () => {
    const draft = { ...(await server.request('GET', '/v1/routing/rules')).body.defaults, maxShipments: 1 };
    const result = await simulate({ order_set: setId, rules: draft });
    expect(result.status, result.error).toBe('succeeded');
    const figures = result.result;
    expect(figures.orders).toBe(setOrders.length);

    // Computed here from the files: a location without coordinates is not eligible (its distance
    // and rate are unknown), and four sellers' postal-code prefixes are not in the geolocation
    // file, so an order with a line only they hold cannot be routed under any rules. Of the
    // others, those whose lines no one located seller holds all of must split.
    const located = (sku: string) => [...holders.get(sku)!].filter((location) => pointOf.has(location));
    const stranded = new Set(setOrders.filter((o) => o.lines.some((l) => located(l.sku).length === 0)));
    const mustSplit = new Set(
      setOrders.filter(
        (o) =>
          !stranded.has(o) &&
          !located(o.lines[0]!.sku).some((location) => o.lines.every((l) => holders.get(l.sku)!.has(location))),
      ),
    );
    expect(stranded.size).toBeGreaterThan(0);
    expect(mustSplit.size).toBeGreaterThan(0);

    expect(figures.baseline).toMatchObject({
      orders: setOrders.length,
      allocated: setOrders.length - stranded.size,
      unroutable: stranded.size,
      unroutable_by_code: { no_eligible_location: stranded.size },
      backordered_units: 0,
    });
    expect(figures.baseline.split_rate).toBeCloseTo(mustSplit.size / (setOrders.length - stranded.size), 4);
    expect(figures.draft).toMatchObject({
      orders: setOrders.length,
      allocated: setOrders.length - stranded.size - mustSplit.size,
      unroutable: stranded.size + mustSplit.size,
      split_rate: 0,
    });
    expect(figures.draft.unroutable_by_code.no_eligible_location).toBe(stranded.size);

    // Every order that must split changed, and is unroutable under the draft.
    const changed = await allChanges(result.id);
    expect(changed).toHaveLength(figures.changed_orders);
    const changedIds = new Map(changed.map((c) => [c.external_id, c]));
    for (const order of mustSplit) {
      const change = changedIds.get(order.external_id);
      expect(change, order.external_id).toBeDefined();
      expect(change!.draft.status).toBe('rejected');
      expect(new Set(change!.baseline.allocations.map((a: { location_id: string }) => a.location_id)).size).toBe(
        change!.baseline.shipments,
      );
    }
    console.log(
      `Olist simulation: ${figures.orders} orders, ${figures.changed_orders} changed; ${mustSplit.size} must split, ${stranded.size} held only by sellers without coordinates`,
    );

    const again = await simulate({ order_set: setId, rules: draft });
    expect(JSON.stringify(again.result)).toBe(JSON.stringify(figures));
  });
});
