import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.ts';
import { query } from '../../src/db/index.ts';
import { setStockLevel } from '../../src/inventory/index.ts';
import { parseCsv } from '../../src/shared/csv.ts';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { openTransaction } from '../support/open-transaction.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { TEST_ADMIN_KEY, type TestServer } from '../support/server.ts';
import { ship, startPaymentsServer } from './payments-support.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;
const placed: { id: string; external_id: string }[] = [];
let creditMemoId: string;

/** The column sets docs/exports.md promises, cursor first. */
const COLUMNS = {
  orders:
    'cursor,id,channel_id,external_id,status,placed_at,created_at,customer_email,delivery_method,currency,subtotal_minor,discount_minor,shipping_minor,tax_minor,total_minor,shipping_address,lines',
  invoices: 'cursor,id,series,number,order_id,channel_id,payment_id,currency,total_minor,issued_at,document',
  credit_memos: 'cursor,id,series,number,order_id,channel_id,payment_id,currency,total_minor,issued_at,document',
  payments:
    'cursor,id,order_id,kind,status,amount_minor,currency,gateway,reference,parent_id,shipment_id,return_id,created_at',
  stock_movements:
    'cursor,id,location_id,sku,kind,on_hand_delta,on_hand_after,reason,reference_type,reference_id,actor,occurred_at',
};
type Kind = keyof typeof COLUMNS;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startPaymentsServer(database);
  net = await createSmallNetwork(server, 4);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 40.75, longitude: -73.99 } });
  for (const sku of net.skus.slice(0, 2)) await setStock(server, net.storeA, sku, 5000);
  for (let i = 1; i <= 3; i++) {
    const order = await placeOrder(
      server,
      orderBody(`EXP-${i}`, [
        { sku: net.skus[0]!, quantity: i, price: 2499 },
        { sku: net.skus[1]!, quantity: 1, price: 333 },
      ]),
    );
    if (order.status !== 201) throw new Error(JSON.stringify(order.body));
    placed.push(order.body);
    await ship(server, order.body.fulfillment_orders[0].id);
  }
  const refund = await server.request('POST', `/v1/orders/${placed[0]!.id}/refunds`, {
    body: { amount: { amount: 1000, currency: 'USD' }, reason: 'damaged' },
  });
  if (refund.status !== 201) throw new Error(JSON.stringify(refund.body));
  creditMemoId = refund.body.credit_memo.id;
}, 120_000);
afterAll(async () => {
  await server?.close();
  await database?.close();
});

interface Page {
  status: number;
  text: string;
  next: string | null;
  remaining: number;
}

async function exportPage(kind: string, params: Record<string, string>, key = TEST_ADMIN_KEY): Promise<Page> {
  const response = await fetch(`${server.url}/v1/exports/${kind}?${new URLSearchParams(params)}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return {
    status: response.status,
    text: await response.text(),
    next: response.headers.get('consign-next-cursor'),
    remaining: Number(response.headers.get('consign-remaining')),
  };
}

/** Every row of a kind as JSON, page by page from `after`. */
async function exportAll(kind: Kind, after?: string, limit = 7) {
  const rows: Record<string, unknown>[] = [];
  let cursor = after;
  for (;;) {
    const page = await exportPage(kind, { limit: String(limit), ...(cursor ? { after: cursor } : {}) });
    expect(page.status, page.text).toBe(200);
    const lines = page.text.split('\n').filter((l) => l !== '');
    rows.push(...lines.map((l) => JSON.parse(l) as Record<string, unknown>));
    cursor = page.next!;
    if (lines.length === 0) return { rows, cursor };
  }
}

const exportPositions = async () =>
  (await query<{ n: number }>(database.db, sql`select count(*)::int as n from export_positions`))[0]!.n;

describe('GET /v1/exports/{kind}', () => {
  it('gives each kind its documented columns, in JSON Lines and in CSV', async () => {
    for (const kind of Object.keys(COLUMNS) as Kind[]) {
      const { rows } = await exportAll(kind);
      expect(rows.length, kind).toBeGreaterThan(0);
      for (const row of rows) expect(Object.keys(row).join(','), kind).toBe(COLUMNS[kind]);
      const csv = await exportPage(kind, { format: 'csv', limit: '10000' });
      const table = parseCsv(csv.text);
      expect(table[0]!.join(','), kind).toBe(COLUMNS[kind]);
      expect(
        table.slice(1).map((cells) => cells[0]),
        kind,
      ).toEqual(rows.map((r) => r.cursor));
    }
  });

  it('exports what each record says', async () => {
    const orders = (await exportAll('orders')).rows;
    expect(orders.map((o) => o.external_id)).toEqual(['EXP-1', 'EXP-2', 'EXP-3']);
    expect(orders[1]).toMatchObject({
      id: placed[1]!.id,
      channel_id: net.channelId,
      currency: 'USD',
      subtotal_minor: 2 * 2499 + 333,
      lines: [
        { line_id: 'L1', sku: net.skus[0], quantity: 2, unit_price_minor: 2499 },
        { line_id: 'L2', sku: net.skus[1], quantity: 1, unit_price_minor: 333 },
      ],
    });
    const memos = (await exportAll('credit_memos')).rows;
    expect(memos).toHaveLength(1);
    expect(memos[0]).toMatchObject({ id: creditMemoId, order_id: placed[0]!.id, total_minor: 1000 });
    const invoices = (await exportAll('invoices')).rows;
    expect(new Set(invoices.map((i) => i.order_id))).toEqual(new Set(placed.map((o) => o.id)));
    const payments = (await exportAll('payments')).rows;
    expect(payments.filter((p) => p.kind === 'refund')).toMatchObject([
      { order_id: placed[0]!.id, status: 'succeeded', amount_minor: 1000 },
    ]);
    const movements = (await exportAll('stock_movements')).rows;
    const ledger = await query<{ id: number }>(
      database.db,
      sql`select id from inventory_ledger where on_hand_delta <> 0 order by id`,
    );
    expect(movements.map((m) => m.id)).toEqual(ledger.map((l) => Number(l.id)));
    expect(movements.every((m) => m.on_hand_delta !== 0)).toBe(true);
  });

  it('starts at a date with since, and the cursor keeps it', async () => {
    const future = await exportPage('orders', { since: '2999-01-01' });
    expect(future.status).toBe(200);
    expect(future.text).toBe('');
    expect(future.remaining).toBe(0);
    const all = await exportPage('orders', { since: '2000-01-01T00:00:00Z', limit: '1' });
    expect(all.text.trim().split('\n')).toHaveLength(1);
    expect(all.remaining).toBe(2);
  });

  it('resumes an aborted stream from its last whole row: with writes in between, nothing skipped or repeated', async () => {
    for (let i = 0; i < 30; i++) {
      const adjusted = await server.request('POST', '/v1/inventory/adjustments', {
        body: {
          reason: 'receipt',
          movements: [{ kind: 'receipt', sku: net.skus[2]!, location_id: net.dc, quantity: 1 }],
        },
      });
      expect(adjusted.status).toBe(201);
    }
    // A write whose ledger ID is taken now and whose commit comes after the export has read on.
    const late =
      testEngine() === 'postgres'
        ? await openTransaction(database.db, async (tx) => {
            const set = await setStockLevel(tx, { locationId: net.storeB, sku: net.skus[3]!, onHand: 77 });
            if (!set.ok) throw new Error(set.problem.detail);
          })
        : undefined;
    const more = () =>
      server.request('POST', '/v1/inventory/adjustments', {
        body: {
          reason: 'receipt',
          movements: [{ kind: 'receipt', sku: net.skus[2]!, location_id: net.dc, quantity: 2 }],
        },
      });
    expect((await more()).status).toBe(201);

    // Read part of a page, then drop the connection mid-stream.
    const controller = new AbortController();
    const response = await fetch(`${server.url}/v1/exports/stock_movements?limit=10000`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const first = await reader.read();
    controller.abort();
    const received = new TextDecoder().decode(first.value);
    const whole = received.slice(0, received.lastIndexOf('\n') + 1);
    const cut = whole.split('\n').filter((l) => l !== '');
    const before = cut
      .slice(0, Math.max(1, Math.floor(cut.length / 2)))
      .map((l) => JSON.parse(l) as { id: number; cursor: string });
    expect(before.length).toBeGreaterThan(0);

    expect((await more()).status).toBe(201);
    await late?.commit();
    expect((await more()).status).toBe(201);

    const after = (await exportAll('stock_movements', before.at(-1)!.cursor, 11)).rows as { id: number }[];
    const exported = [...before, ...after].map((r) => r.id);
    const ledger = await query<{ id: number }>(
      database.db,
      sql`select id from inventory_ledger where on_hand_delta <> 0`,
    );
    expect(new Set(exported).size).toBe(exported.length);
    expect([...exported].sort((a, b) => a - b)).toEqual(ledger.map((l) => Number(l.id)).sort((a, b) => a - b));
    if (late) {
      // The late row's ID is lower than rows exported before it committed, yet it came after them.
      const lateRow = await query<{ id: number }>(
        database.db,
        sql`select id from inventory_ledger where location_id = ${net.storeB} and sku = ${net.skus[3]!}`,
      );
      const lateId = Number(lateRow[0]!.id);
      expect(exported.indexOf(lateId)).toBeGreaterThan(exported.findIndex((id) => id > lateId));
    }
  });

  it('refuses an unknown kind, a malformed or foreign cursor and a bad date with problem+json, writing nothing', async () => {
    const positions = await exportPositions();
    const refusals: [string, Record<string, string>][] = [
      ['shipments', {}],
      ['orders', { after: 'not-a-cursor' }],
      ['orders', { after: 'x1.@@@' }],
      ['orders', { after: `x1.${Buffer.from('["orders",-1,null]').toString('base64url')}` }],
      ['orders', { after: (await exportPage('payments', { limit: '1' })).next! }],
      ['orders', { since: 'yesterday' }],
      ['orders', { since: '2026-13-45' }],
      ['orders', { since: '0000-01-01' }],
      ['orders', { since: '2026-01-01', after: (await exportPage('orders', { limit: '1' })).next! }],
      ['orders', { format: 'xml' }],
      ['orders', { limit: '0' }],
      ['orders', { limit: '10001' }],
    ];
    const counted = await exportPositions();
    for (const [kind, params] of refusals) {
      const response = await fetch(`${server.url}/v1/exports/${kind}?${new URLSearchParams(params)}`, {
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
      });
      expect(response.status, `${kind} ${JSON.stringify(params)}`).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(((await response.json()) as { code: string }).code).toBe('validation_failed');
    }
    expect(counted).toBeGreaterThanOrEqual(positions);
    expect(await exportPositions()).toBe(counted);
  });

  it('is for admin keys only', async () => {
    const agent = await createApiKey(database.db, { role: 'agent' });
    const page = await exportPage('orders', {}, agent.secret);
    expect(page.status).toBe(403);
  });
});
