import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
import { importHistory, readOlist } from '../../src/history/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/** The Olist marketplace sample, kept beside the repository (not shipped with it). */
const OLIST = path.resolve(fileURLToPath(new URL('../../', import.meta.url)), '../shared/data/olist');
const SUBSET = path.join(OLIST, 'subset_2017_10k');
const present = fs.existsSync(path.join(SUBSET, 'orders.csv'));

const read = (file: string) => fs.readFileSync(path.join(SUBSET, file), 'utf8');

let database: TestDatabase;
let server: TestServer;
let channelId: string;

describe.skipIf(!present)('history import of the Olist sample', { timeout: 240_000 }, () => {
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database);
    const location = await server.request('POST', '/v1/locations', {
      body: {
        code: 'SP1',
        type: 'distribution_center',
        name: 'São Paulo',
        address: { line1: 'Av. Paulista 1', city: 'São Paulo', country: 'BR' },
        timezone: 'America/Sao_Paulo',
        capabilities: ['ship'],
      },
    });
    const group = await server.request('POST', '/v1/location-groups', {
      body: { code: 'br', name: 'Brazil', location_ids: [location.body.id] },
    });
    const channel = await server.request('POST', '/v1/channels', {
      body: { code: 'olist', name: 'Olist', type: 'marketplace', location_group_id: group.body.id, currency: 'BRL' },
    });
    expect(channel.status).toBe(201);
    channelId = channel.body.id;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  const files = () => ({
    orders: read('orders.csv'),
    items: read('order_items.csv'),
    customers: read('customers.csv'),
    products: read('products.csv'),
    categories: read('product_category_name_translation.csv'),
  });

  it('imports every order with items and reports the ones without', async () => {
    const { rows, products } = readOlist(files());
    expect(rows).toHaveLength(10_000);
    const progress: number[] = [];
    const result = await importHistory(database.db, {
      channelId,
      rows,
      products,
      actor: 'test',
      onProgress: (done) => progress.push(done),
    });
    if (!result.ok) throw new Error(result.problem.detail);
    const { report, ...counts } = result.value;
    // 111 orders of the sample have no items: a record needs at least one line.
    expect(counts).toEqual({ rows: 10_000, imported: 9_889, placed: 0, duplicates: 0, rejected: 111 });
    expect(new Set(report.map((e) => e.field))).toEqual(new Set(['lines']));
    expect(report[0]).toEqual({
      row: expect.any(Number),
      field: 'lines',
      problem: expect.stringContaining('non-empty'),
    });
    expect(progress.at(-1)).toBe(10_000);
    const statuses = await query<{ status: string; n: number }>(
      database.db,
      sql`select status, count(*)::int as n from orders where channel_id = ${channelId} and not managed group by status order by status`,
    );
    expect(statuses.map((s) => s.status)).toEqual(['cancelled', 'confirmed', 'delivered', 'in_process', 'shipped']);
    expect(statuses.reduce((n, s) => n + s.n, 0)).toBe(9_889);
  });

  it('shows an Olist order as it was and writes nothing new on a second run', async () => {
    const [first] = await query<{ id: string }>(
      database.db,
      sql`select id from orders where external_id = 'e481f51cbdc54678b7cc49136f2d6af7'`,
    );
    const order = (await server.request('GET', `/v1/orders/${first!.id}`)).body;
    expect(order).toMatchObject({
      status: 'delivered',
      managed: false,
      placed_at: '2017-10-02T13:56:33.000Z',
      total: { amount: 3871, currency: 'BRL' },
      shipping: { amount: 872, currency: 'BRL' },
      metadata: { source: 'olist', original_status: 'delivered' },
    });
    expect(order.lines[0].quantities).toMatchObject({ shipped: 1, delivered: 1 });
    const { rows, products } = readOlist(files());
    const again = await importHistory(database.db, { channelId, rows, products, actor: 'test' });
    expect(again.ok && { ...again.value, report: again.value.report.length }).toEqual({
      rows: 10_000,
      imported: 0,
      placed: 0,
      duplicates: 9_889,
      rejected: 111,
      report: 111,
    });
  });
});
