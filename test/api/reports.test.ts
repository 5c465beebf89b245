import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReportFixture, type ReportDataset, type ReportFixture } from '../support/report-dataset.ts';
import { orderBody } from '../support/orders.ts';
import type { TestServer } from '../support/server.ts';

let fixture: ReportFixture;
let server: TestServer;
let data: ReportDataset;

beforeAll(async () => {
  fixture = await startReportFixture();
  ({ server, data } = fixture);
}, 180_000);
afterAll(async () => {
  await fixture?.close();
});

const MARCH = 'from=2026-03-01&to=2026-03-03';

async function report(name: string, params: string, key?: string) {
  const response = await server.request('GET', `/v1/reports/${name}?${params}`, key ? { key } : {});
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  expect(response.body).toMatchObject({ name, generated_at: expect.any(String) });
  return response.body;
}

describe('orders and revenue', () => {
  it('counts orders and revenue per day and channel, leaving cancelled orders out of both', async () => {
    const body = await report('orders-per-day', MARCH);
    const web = data.net.channelId;
    const mkt = data.marketplaceId;
    expect(body).toMatchObject({ from: '2026-03-01', to: '2026-03-03', channel: null });
    expect(body.rows).toEqual([
      {
        day: '2026-03-01',
        channel_id: web,
        channel_name: 'Web',
        currency: 'USD',
        orders: 2,
        revenue_minor: 1771 + 2743,
      },
      {
        day: '2026-03-02',
        channel_id: mkt,
        channel_name: 'Marketplace',
        currency: 'USD',
        orders: 1,
        revenue_minor: 2743,
      },
      { day: '2026-03-02', channel_id: web, channel_name: 'Web', currency: 'USD', orders: 1, revenue_minor: 1771 },
      {
        day: '2026-03-03',
        channel_id: mkt,
        channel_name: 'Marketplace',
        currency: 'USD',
        orders: 1,
        revenue_minor: 1771,
      },
      { day: '2026-03-03', channel_id: web, channel_name: 'Web', currency: 'USD', orders: 1, revenue_minor: 2743 },
    ]);
    expect(body.totals).toEqual([
      { channel_id: web, channel_name: 'Web', currency: 'USD', orders: 4, revenue_minor: 9028 },
      { channel_id: mkt, channel_name: 'Marketplace', currency: 'USD', orders: 2, revenue_minor: 4514 },
    ]);
  });

  it('takes whole UTC days: from 00:00:00 of from to 23:59:59 of to', async () => {
    const third = await report('orders-per-day', 'from=2026-03-03&to=2026-03-03');
    expect(third.rows.map((r: { orders: number }) => r.orders)).toEqual([1, 1]); // M2 at 00:00:00, W5 at 23:59:59
    const fourth = await report('orders-per-day', 'from=2026-03-04&to=2026-03-04');
    expect(fourth.rows).toEqual([expect.objectContaining({ day: '2026-03-04', orders: 1, revenue_minor: 1771 })]);
    const before = await report('orders-per-day', 'from=2026-02-01&to=2026-02-28');
    expect(before).toMatchObject({ rows: [], totals: [] });
  });

  it('ranks channels by orders', async () => {
    const body = await report('top-channels', MARCH);
    expect(body.rows).toEqual([
      { channel_id: data.net.channelId, channel_name: 'Web', orders: 4, revenue_minor: 9028, currency: 'USD' },
      { channel_id: data.marketplaceId, channel_name: 'Marketplace', orders: 2, revenue_minor: 4514, currency: 'USD' },
    ]);
  });

  it('defaults to the 30 days ending today', async () => {
    const body = await report('orders-per-day', '');
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.parse(`${today}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
    expect(body).toMatchObject({ from, to: today, rows: [] });
  });
});

describe('every day of the range, and the period before it', () => {
  it('lists every day of the range with its orders, zero on days without any', async () => {
    const body = await report('orders-per-day', 'from=2026-02-27&to=2026-03-06');
    expect(body.days).toEqual([
      { day: '2026-02-27', orders: 0 },
      { day: '2026-02-28', orders: 0 },
      { day: '2026-03-01', orders: 2 },
      { day: '2026-03-02', orders: 2 },
      { day: '2026-03-03', orders: 2 },
      { day: '2026-03-04', orders: 1 },
      { day: '2026-03-05', orders: 0 },
      { day: '2026-03-06', orders: 0 },
    ]);
    expect(body.rows.map((r: { day: string }) => r.day)).not.toContain('2026-03-05');
    expect(body).not.toHaveProperty('previous');
  });

  it('computes the same figures over the same number of days just before, with compare=previous', async () => {
    const orders = await report('orders-per-day', 'from=2026-03-04&to=2026-03-06&compare=previous');
    expect(orders.totals).toEqual([expect.objectContaining({ orders: 1, revenue_minor: 1771 })]);
    const before = await report('orders-per-day', MARCH);
    expect(orders.previous).toEqual({
      from: '2026-03-01',
      to: '2026-03-03',
      days: before.days,
      rows: before.rows,
      totals: before.totals,
    });

    const fulfillment = await report('fulfillment', 'from=2026-03-04&to=2026-03-06&compare=previous');
    const { name: _name, generated_at: _at, channel: _channel, ...march } = await report('fulfillment', MARCH);
    expect(fulfillment).toMatchObject({ orders: 1, fulfillment_rate: 1 });
    expect(fulfillment.previous).toEqual(march);
    expect(fulfillment.previous).toMatchObject({ orders: 7, fulfillment_rate: 0.8333 });

    const oneDay = await report('top-channels', 'from=2026-03-03&to=2026-03-03&compare=previous&channel=web');
    expect(oneDay.previous).toEqual({
      from: '2026-03-02',
      to: '2026-03-02',
      rows: [expect.objectContaining({ channel_name: 'Web', orders: 1 })],
    });
    const refused = await server.request('GET', `/v1/reports/fulfillment?${MARCH}&compare=next`);
    expect(refused.status).toBe(400);
  });
});

describe('fulfillment', () => {
  it('computes every figure from the line buckets and shipments', async () => {
    // Hours to first shipment: W1 4, W2 10, W3 50, M1 20, W5 2 → mean 17.2; p90 (interpolated) 20 + 0.6 × 30 = 38.
    const body = await report('fulfillment', MARCH);
    expect(body).toEqual({
      name: 'fulfillment',
      from: '2026-03-01',
      to: '2026-03-03',
      generated_at: expect.any(String),
      channel: null,
      orders: 7,
      shipped_orders: 5,
      fulfillment_rate: 0.8333, // 5 fully shipped of 6 not cancelled as a whole (M2 is open)
      avg_hours_to_ship: 17.2,
      p90_hours_to_ship: 38,
      sla_hours: 48,
      sla_hit_rate: 0.6667, // 4 within 48 h of 5 shipped + M2, open past its deadline
      split_shipment_rate: 0.2, // W2 of 5 shipped
      cancellation_rate: 0.2857, // W4 and W5 of 7
      return_rate: 0, // nothing returned of 2 units delivered
    });
  });

  it('takes the SLA from sla_hours', async () => {
    expect((await report('fulfillment', `${MARCH}&sla_hours=72`)).sla_hit_rate).toBe(0.8333);
    expect((await report('fulfillment', `${MARCH}&sla_hours=3`)).sla_hit_rate).toBe(0.1667);
  });

  it('answers null where nothing is in the denominator', async () => {
    const empty = await report('fulfillment', 'from=2026-02-01&to=2026-02-28');
    expect(empty).toMatchObject({
      orders: 0,
      shipped_orders: 0,
      fulfillment_rate: null,
      avg_hours_to_ship: null,
      p90_hours_to_ship: null,
      sla_hit_rate: null,
      split_shipment_rate: null,
      cancellation_rate: null,
      return_rate: null,
    });
    const w6 = await report('fulfillment', 'from=2026-03-04&to=2026-03-04');
    expect(w6).toMatchObject({
      orders: 1,
      shipped_orders: 1,
      fulfillment_rate: 1,
      avg_hours_to_ship: 1,
      p90_hours_to_ship: 1,
      sla_hit_rate: 1,
      split_shipment_rate: 0,
      cancellation_rate: 0,
      return_rate: null,
    });
  });
});

describe('fulfillment of a window whose orders were created around another day’s', () => {
  it('counts only the window’s orders, whatever was created between them', async () => {
    const place = async (name: string, placedAt: string, quantity: number) => {
      const body = orderBody(name, [{ sku: data.net.skus[0]!, quantity }], { placed_at: placedAt });
      const placed = await server.request('POST', '/v1/orders', { body });
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      return placed.body.id as string;
    };
    const cancel = async (id: string) =>
      expect((await server.request('POST', `/v1/orders/${id}/cancel`, { body: { reason: 'test' } })).status).toBe(200);
    const first = await place('Y1', '2026-03-05T10:00:00Z', 1);
    const between = await place('X1', '2026-03-20T10:00:00Z', 3);
    const last = await place('Y2', '2026-03-05T11:00:00Z', 2);
    await cancel(between);
    expect(await report('fulfillment', 'from=2026-03-05&to=2026-03-05')).toMatchObject({
      orders: 2,
      shipped_orders: 0,
      fulfillment_rate: 0,
      cancellation_rate: 0,
    });
    // Back to the stock the inventory reports below expect.
    await cancel(first);
    await cancel(last);
  });
});

describe('inventory', () => {
  it('relates units shipped in the range to what each location has now', async () => {
    // In range: S-A shipped W1, W2 (two parcels) = 3; S-B M1 = 2. W3, W5, W6 left on 4 March.
    const body = await report('inventory-turnover', MARCH);
    expect(body.rows).toEqual([
      { location_id: data.net.storeB, location_name: 'Albany store', units_shipped: 2, on_hand: 2, turnover: 1 },
      { location_id: data.net.storeA, location_name: 'Boston store', units_shipped: 3, on_hand: 24, turnover: 0.125 },
      {
        location_id: data.net.dc,
        location_name: 'Secaucus distribution_center',
        units_shipped: 0,
        on_hand: 40,
        turnover: 0,
      },
    ]);
  });

  it('lists stock-outs and overstock, worst first', async () => {
    const body = await report('stock-health', MARCH);
    const level = (location_id: string, sku: string, on_hand: number, reserved: number, safety_stock: number) => ({
      sku,
      product_name: `Product ${Number(sku.slice(-4))}`,
      location_id,
      location_name:
        { [data.net.storeA]: 'Boston store', [data.net.storeB]: 'Albany store' }[location_id] ??
        'Secaucus distribution_center',
      on_hand,
      reserved,
      safety_stock,
      available: Math.max(on_hand - reserved - safety_stock, 0),
    });
    const { storeA, storeB, dc } = data.net;
    expect(body.overstock_days).toBe(90);
    expect(body.stock_outs).toEqual([level(storeB, 'SKU-0001', 2, 0, 5), level(storeB, 'SKU-0003', 0, 0, 0)]);
    expect(body.overstock).toEqual([{ ...level(dc, 'SKU-0001', 40, 0, 0), units_sold: 0, days_of_cover: null }]);
    // Days of cover over 3 days: S-A SKU-0001 14 available ÷ (2 sold ÷ 3) = 21; SKU-0002 9 ÷ (1 ÷ 3) = 27.
    const tighter = await report('stock-health', `${MARCH}&overstock_days=25`);
    expect(tighter.overstock).toEqual([
      { ...level(dc, 'SKU-0001', 40, 0, 0), units_sold: 0, days_of_cover: null },
      { ...level(storeA, 'SKU-0002', 9, 0, 0), units_sold: 1, days_of_cover: 27 },
    ]);
    const tightest = await report('stock-health', `${MARCH}&overstock_days=20`);
    expect(tightest.overstock.slice(1)).toEqual([
      { ...level(storeA, 'SKU-0002', 9, 0, 0), units_sold: 1, days_of_cover: 27 },
      { ...level(storeA, 'SKU-0001', 15, 1, 0), units_sold: 2, days_of_cover: 21 },
    ]);
  });

  it('lists low stock: at most 5 available by default, or at most the threshold', async () => {
    const { storeA, storeB } = data.net;
    const keys = (body: { data: { sku: string; location_id: string; available: number }[] }) =>
      body.data.map((r) => [r.sku, r.location_id, r.available]);
    const byDefault = await server.request('GET', '/v1/inventory/low-stock');
    expect(byDefault.body.threshold).toBe(5);
    expect(keys(byDefault.body)).toEqual([
      ['SKU-0001', storeB, 0],
      ['SKU-0003', storeB, 0],
    ]);
    const ten = await server.request('GET', '/v1/inventory/low-stock?threshold=10');
    expect(keys(ten.body)).toEqual([
      ['SKU-0001', storeB, 0],
      ['SKU-0003', storeB, 0],
      ['SKU-0002', storeA, 9],
    ]);
    const first = await server.request('GET', `/v1/inventory/low-stock?threshold=20&location_id=${storeA}&limit=1`);
    expect(keys(first.body)).toEqual([['SKU-0002', storeA, 9]]);
    const second = await server.request(
      'GET',
      `/v1/inventory/low-stock?threshold=20&location_id=${storeA}&limit=1&cursor=${first.body.next_cursor}`,
    );
    expect(keys(second.body)).toEqual([['SKU-0001', storeA, 14]]);
    expect(second.body.next_cursor).toBeNull();
    const channel = await server.request('GET', '/v1/inventory/low-stock', { key: data.marketplaceKey });
    expect(channel.status).toBe(403);
  });
});

describe('who sees what', () => {
  it('holds channel keys to their own channel', async () => {
    const own = await report('orders-per-day', MARCH, data.marketplaceKey);
    expect(own.channel).toBe(data.marketplaceId);
    expect(own.totals).toEqual([expect.objectContaining({ channel_id: data.marketplaceId, orders: 2 })]);
    const fulfillment = await report('fulfillment', MARCH, data.marketplaceKey);
    expect(fulfillment).toMatchObject({
      orders: 2,
      shipped_orders: 1,
      fulfillment_rate: 0.5,
      avg_hours_to_ship: 20,
      p90_hours_to_ship: 20,
      sla_hit_rate: 0.5,
      split_shipment_rate: 0,
      cancellation_rate: 0,
      return_rate: null,
    });
    const named = await report('top-channels', `${MARCH}&channel=mkt`, data.marketplaceKey);
    expect(named.rows).toHaveLength(1);
    const other = await server.request('GET', `/v1/reports/top-channels?channel=web`, { key: data.marketplaceKey });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('forbidden');
  });

  it('lets admins filter by channel ID or code, with the same figures', async () => {
    const byCode = await report('fulfillment', `${MARCH}&channel=mkt`);
    const byId = await report('fulfillment', `${MARCH}&channel=${data.marketplaceId}`);
    const asChannel = await report('fulfillment', MARCH, data.marketplaceKey);
    const { generated_at: _a, ...a } = byCode;
    const { generated_at: _b, ...b } = byId;
    const { generated_at: _c, ...c } = asChannel;
    expect(a).toEqual(b);
    expect(a).toEqual(c);
    const turnover = await report('inventory-turnover', `${MARCH}&channel=mkt`);
    expect(
      turnover.rows.map((r: { location_id: string; units_shipped: number }) => [r.location_id, r.units_shipped]),
    ).toEqual([
      [data.net.storeB, 2],
      [data.net.storeA, 0],
    ]);
  });

  it('refuses fulfillment keys and requests without a key', async () => {
    const fulfillment = await server.request('GET', '/v1/reports/fulfillment', { key: data.fulfillmentKey });
    expect(fulfillment.status).toBe(403);
    expect((await server.request('GET', '/v1/reports/fulfillment', { key: null })).status).toBe(401);
  });
});

describe('bad requests', () => {
  it.each([
    'orders-per-day?from=2026-13-01',
    'orders-per-day?from=2026-02-30',
    'orders-per-day?to=yesterday',
    'orders-per-day?from=2026-03-05&to=2026-03-01',
    'orders-per-day?from=2025-01-01&to=2026-03-01',
    'top-channels?channel=nowhere',
    'fulfillment?sla_hours=0',
    'fulfillment?sla_hours=two',
    'stock-health?overstock_days=-1',
  ])('answers %s with validation_failed', async (path) => {
    const response = await server.request('GET', `/v1/reports/${path}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.code).toBe('validation_failed');
  });

  it('answers an unknown report with 404 problem+json naming the reports', async () => {
    const response = await server.request('GET', '/v1/reports/revenue-forecast');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ code: 'not_found', reports: expect.arrayContaining(['fulfillment']) });
  });
});

describe('shipments recorded after the fact', () => {
  it('refuses a shipped_at before the order or in the future, writing nothing', async () => {
    const order = await server.request('GET', `/v1/orders/${data.orders.M2}`);
    const fo = order.body.fulfillment_orders.find((f: { status: string }) => f.status === 'allocated');
    for (const step of ['accept', 'pick', 'pack']) {
      expect((await server.request('POST', `/v1/fulfillment-orders/${fo.id}/${step}`, { body: {} })).status).toBe(200);
    }
    for (const shipped_at of ['2026-03-02T23:59:59Z', new Date(Date.now() + 3_600_000).toISOString()]) {
      const response = await server.request('POST', `/v1/fulfillment-orders/${fo.id}/ship`, {
        body: { carrier: 'ups', shipped_at },
      });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
    }
    const after = await server.request('GET', `/v1/orders/${data.orders.M2}`);
    expect(after.body.shipments).toEqual([]);
    expect(after.body.status).not.toMatch(/shipped/);
  });
});
