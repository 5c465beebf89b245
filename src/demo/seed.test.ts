import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, query } from '../db/index.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/db.ts';
import { startTestServer } from '../../test/support/server.ts';
import { DEMO_HISTORY_DAYS, DEMO_ORDER_COUNT, seedDemo, type SeedProgress } from './index.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function count(table: string, where = sql`true`): Promise<number> {
  const rows = await query<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from ${sql.identifier(table)} where ${where}`,
  );
  return rows[0]!.n;
}

describe('the demo network', () => {
  it('loads distribution centres, stores, products, channels and stock', async () => {
    const progress: SeedProgress[] = [];
    const started = performance.now();
    const result = await inTransaction(database.db, (tx) => seedDemo(tx, { onProgress: (p) => progress.push(p) }));
    const seconds = (performance.now() - started) / 1000;
    expect(result.ok && result.value.status).toBe('seeded');
    console.log(`demo seed: ${seconds.toFixed(2)} s on ${database.engine}`);

    expect(await count('locations', sql`type = 'distribution_center'`)).toBeGreaterThanOrEqual(2);
    expect(await count('locations', sql`type = 'store'`)).toBeGreaterThanOrEqual(6);
    expect(await count('products')).toBeGreaterThanOrEqual(50);
    expect(await count('products', sql`allow_backorder`)).toBeGreaterThan(0);
    expect(await count('stock_levels')).toBeGreaterThan(500);
    expect(progress.at(-1)).toMatchObject({ phase: 'orders' });
    expect(progress.at(-1)?.done).toBe(progress.at(-1)?.total);
  });

  it('sells from all locations on the web and from the distribution centres on the marketplace', async () => {
    const channels = await query<{ code: string; type: string; members: string[] }>(
      database.db,
      sql`select c.code, c.type, array_agg(l.type order by l.type) as members
          from channels c
          join location_group_members m on m.group_id = c.location_group_id
          join locations l on l.id = m.location_id
          group by c.code, c.type order by c.code`,
    );
    expect(channels.map((c) => [c.code, c.type])).toEqual([
      ['marketplace', 'marketplace'],
      ['web', 'web'],
    ]);
    const [marketplace, web] = channels;
    expect(new Set(marketplace!.members)).toEqual(new Set(['distribution_center']));
    expect(web!.members.length).toBe(await count('locations'));
  });

  it('opens every stock level with ledger rows that sum to it', async () => {
    const mismatches = await query<{ location_id: string }>(
      database.db,
      sql`select coalesce(s.location_id, l.location_id) as location_id
          from stock_levels s
          full join (select location_id, sku, sum(on_hand_delta) as on_hand, sum(reserved_delta) as reserved
                     from inventory_ledger group by location_id, sku) l
            on l.location_id = s.location_id and l.sku = s.sku
          where coalesce(s.on_hand, 0) <> coalesce(l.on_hand, 0) or coalesce(s.reserved, 0) <> coalesce(l.reserved, 0)`,
    );
    expect(mismatches).toEqual([]);
    expect(await count('inventory_ledger', sql`kind = 'receipt' and reason <> 'demo seed'`)).toBe(0);
    // Every other movement is the demo orders': reservations, releases and shipments.
    expect(
      await count('inventory_ledger', sql`kind not in ('receipt', 'reservation', 'release', 'commit', 'ship')`),
    ).toBe(0);
  });

  it('places 30 days of orders on both channels: shipped, delivered, cancelled and open', async () => {
    const orders = await query<{ channel: string; status: string; n: number; oldest_days: number }>(
      database.db,
      sql`select c.code as channel, o.status, count(*)::int as n,
                 max(extract(epoch from now() - o.placed_at) / 86400)::float8 as oldest_days
          from orders o join channels c on c.id = o.channel_id group by c.code, o.status`,
    );
    const total = orders.reduce((sum, r) => sum + r.n, 0);
    expect(total).toBeGreaterThan(DEMO_ORDER_COUNT * 0.9);
    expect(new Set(orders.map((r) => r.channel))).toEqual(new Set(['web', 'marketplace']));
    const statuses = new Set(orders.map((r) => r.status));
    for (const status of ['delivered', 'shipped', 'cancelled']) expect(statuses).toContain(status);
    expect(Math.max(...orders.map((r) => r.oldest_days))).toBeLessThanOrEqual(DEMO_HISTORY_DAYS);
    expect(await count('shipments', sql`shipped_at > now()`)).toBe(0);
    expect(await count('shipments')).toBeGreaterThan(0);
  });

  it('fills every dashboard on first start', async () => {
    const server = await startTestServer(database);
    try {
      const get = async (path: string) => (await server.request('GET', path)).body;
      const perDay = await get('/v1/reports/orders-per-day');
      expect(new Set(perDay.totals.map((t: { channel_name: string }) => t.channel_name)).size).toBe(2);
      const fulfillment = await get('/v1/reports/fulfillment');
      for (const figure of ['fulfillment_rate', 'avg_hours_to_ship', 'p90_hours_to_ship', 'sla_hit_rate']) {
        expect(fulfillment[figure], figure).toBeGreaterThan(0);
      }
      expect(fulfillment.cancellation_rate).toBeGreaterThan(0);
      const turnover = await get('/v1/reports/inventory-turnover');
      expect(turnover.rows.some((r: { units_shipped: number }) => r.units_shipped > 0)).toBe(true);
      const health = await get('/v1/reports/stock-health');
      expect(health.stock_outs.length).toBeGreaterThan(0);
      expect(health.overstock.length).toBeGreaterThan(0);
      expect((await get('/v1/customers')).data.length).toBeGreaterThan(5);
    } finally {
      await server.close();
    }
  });

  it('does nothing the second time', async () => {
    const before = await Promise.all(
      ['locations', 'products', 'stock_levels', 'inventory_ledger', 'channels'].map((t) => count(t)),
    );
    const again = await inTransaction(database.db, (tx) => seedDemo(tx));
    expect(again.ok && again.value.status).toBe('already_seeded');
    const after = await Promise.all(
      ['locations', 'products', 'stock_levels', 'inventory_ledger', 'channels'].map((t) => count(t)),
    );
    expect(after).toEqual(before);
  });
});

describe('a network with data of its own', () => {
  it('is left alone', async () => {
    const other = await createTestDatabase();
    try {
      await query(other.db, sql`insert into products (sku, name) values ('OWN-1', 'Our own product')`);
      const result = await inTransaction(other.db, (tx) => seedDemo(tx));
      expect(result.ok && result.value.status).toBe('not_empty');
      const rows = await query<{ n: number }>(other.db, sql`select count(*)::int as n from locations`);
      expect(rows[0]!.n).toBe(0);
    } finally {
      await other.close();
    }
  });
});
