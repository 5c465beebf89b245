import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../support/client.ts';
import { setStock } from '../support/fixtures.ts';
import { createJourneyNetwork } from '../support/journey.ts';
import { orderBody } from '../support/orders.ts';
import { TEST_ADMIN_KEY } from '../support/server.ts';
import { chromiumOrSkip, launchChromium, openPage, screenshot } from './support/browser.ts';
import { startConsoleServer, type ConsoleServer } from './support/console-server.ts';
import { deliverAll, placeAndShip, returnAndRefund } from './support/data.ts';

const chromiumPath = chromiumOrSkip();
const usd = (minor: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(minor / 100);
const rate = (value: number | null) => (value == null ? '—' : `${(value * 100).toFixed(1)}%`);
const hours = (value: number | null) => (value == null ? '—' : `${value.toFixed(2)} h`);
const CUSTOMER = 'repeat@example.com';
const DAY_MS = 86_400_000;
/** When the orders of the set-up were placed: the days of the range test count back from it. */
let placedAt = Date.now();
const day = (daysAgo: number) => new Date(placedAt - daysAgo * DAY_MS).toISOString().slice(0, 10);

describe.runIf(chromiumPath)('console: dashboards and customer 360 show the API numbers', { timeout: 180_000 }, () => {
  let consign: ConsoleServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    consign = await startConsoleServer();
    const request = consign.server.request;
    const network = await createJourneyNetwork(request, ['TEE-1', 'MUG-2']);
    await setStock(consign.server, network.midtown, 'TEE-1', 20);
    await setStock(consign.server, network.brooklyn, 'MUG-2', 20);
    const customer = { customer: { email: CUSTOMER, name: 'Robin Repeat' } };
    const first = await placeAndShip(request, 'WEB-3001', [{ sku: 'TEE-1', quantity: 2 }], customer);
    await deliverAll(request, first);
    await returnAndRefund(request, first, 'L1', network.midtown);
    await placeAndShip(
      request,
      'WEB-3002',
      [
        { sku: 'TEE-1', quantity: 1 },
        { sku: 'MUG-2', quantity: 1 },
      ],
      customer,
    );
    const open = await must(request, 'POST', '/v1/orders', orderBody('WEB-3003', [{ sku: 'MUG-2', quantity: 3 }]));
    await must(request, 'POST', `/v1/orders/${open.id}/cancel`, {
      reason: 'test',
      lines: [{ line_id: 'L1', quantity: 1 }],
    });
    placedAt = Date.parse((await must(request, 'GET', `/v1/orders/${first}`)).placed_at);
    // An order four days before: in the period before a range of the last three days.
    const earlier = new Date(placedAt - 4 * DAY_MS).toISOString();
    await must(
      request,
      'POST',
      '/v1/orders',
      orderBody('WEB-2990', [{ sku: 'TEE-1', quantity: 1 }], { placed_at: earlier }),
    );
    browser = await launchChromium(chromiumPath!);
    page = await openPage(browser, consign.server.url, TEST_ADMIN_KEY);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await consign?.close();
  });

  it('renders the fulfillment figures, orders per channel and turnover exactly as the reports API computes them', async () => {
    await page.getByRole('link', { name: 'Dashboards' }).click();
    await page.getByRole('heading', { name: 'Fulfillment' }).waitFor();
    const from = await page.getByLabel('From', { exact: true }).inputValue();
    const to = await page.getByLabel('To', { exact: true }).inputValue();
    const get = (name: string) => must(consign.server.request, 'GET', `/v1/reports/${name}?from=${from}&to=${to}`);
    const fulfillment = await get('fulfillment');
    const metric = (key: string) => page.locator(`[data-metric="${key}"] dd.value`).innerText();
    expect(await metric('orders')).toBe(String(fulfillment.orders));
    expect(await metric('shipped_orders')).toBe(String(fulfillment.shipped_orders));
    for (const key of ['fulfillment_rate', 'sla_hit_rate', 'split_shipment_rate', 'cancellation_rate', 'return_rate'])
      expect(await metric(key), key).toBe(rate(fulfillment[key]));
    for (const key of ['avg_hours_to_ship', 'p90_hours_to_ship'])
      expect(await metric(key), key).toBe(hours(fulfillment[key]));

    const perDay = await get('orders-per-day');
    for (const total of perDay.totals) {
      const cells = await page.locator(`tr[data-channel="${total.channel_id}"] td`).allInnerTexts();
      expect(cells).toEqual([total.channel_name, String(total.orders), usd(total.revenue_minor)]);
    }
    const turnover = await get('inventory-turnover');
    for (const row of turnover.rows) {
      const cells = await page.locator(`tr[data-location="${row.location_id}"] td`).allInnerTexts();
      expect(cells).toEqual([
        row.location_name,
        String(row.units_shipped),
        String(row.on_hand),
        row.turnover == null ? '—' : row.turnover.toFixed(2),
      ]);
    }
    expect(await page.locator('#orders-per-day svg').count()).toBe(2);
    await screenshot(page, 'dashboards');
  });

  it('shows every day of a range, zeros included, each figure with its definition and its change, and exports a table', async () => {
    await page.getByRole('link', { name: 'Dashboards' }).click();
    await page.getByRole('heading', { name: 'Fulfillment' }).waitFor();
    // The last three days: the orders were all placed today, so the two days before have none.
    await page.getByLabel('From', { exact: true }).fill(day(2));
    await page.getByLabel('To', { exact: true }).fill(day(0));
    await page.getByRole('button', { name: 'Apply' }).click();
    const query = `from=${day(2)}&to=${day(0)}&compare=previous`;
    const get = (name: string) => must(consign.server.request, 'GET', `/v1/reports/${name}?${query}`);
    const perDay = await get('orders-per-day');
    expect(perDay.days).toEqual([
      { day: day(2), orders: 0 },
      { day: day(1), orders: 0 },
      { day: day(0), orders: 3 },
    ]);
    await page.getByText('Orders per day, as a table').click();
    const dayRow = (d: string) => page.locator(`tr[data-day="${d}"] td`).allInnerTexts();
    await expect.poll(() => dayRow(day(1)), { timeout: 60_000 }).toEqual([day(1), '0']);
    expect(await dayRow(day(2))).toEqual([day(2), '0']);
    expect(await dayRow(day(0))).toEqual([day(0), '3']);
    expect(await page.locator('#orders-per-day svg text').allTextContents()).toEqual(
      expect.arrayContaining([day(2), day(1), day(0), 'Day (UTC)', 'Orders']),
    );

    // Definitions beside each figure, and the change from the three days before.
    const fulfillment = await get('fulfillment');
    expect(fulfillment.previous).toMatchObject({ from: day(5), to: day(3), orders: 1 });
    const definition = page.locator('[data-metric="fulfillment_rate"] dd.definition');
    expect(await definition.isVisible()).toBe(true);
    expect(await definition.innerText()).toContain('÷ orders not cancelled as a whole');
    expect(await page.locator('[data-metric] dd.definition').count()).toBe(11);
    const change = page.locator('[data-change="orders"]');
    const delta = fulfillment.orders - fulfillment.previous.orders;
    expect(await change.innerText()).toBe(`+${delta} (+${(delta * 100).toFixed(1)}%) vs 1 (${day(5)} – ${day(3)})`);
    expect(await page.locator('[data-change="orders_total"]').innerText()).toContain(`vs 1 (${day(5)} – ${day(3)})`);
    await screenshot(page, 'dashboards-compared');

    // Export the per-day table to CSV as a person would: the download holds every day.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download orders per day as CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`orders-per-day-${day(2)}-to-${day(0)}.csv`);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv).toBe(`day,orders\r\n${day(2)},0\r\n${day(1)},0\r\n${day(0)},3\r\n`);
    const [totals] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download totals per channel as CSV' }).click(),
    ]);
    const rows = fs
      .readFileSync((await totals.path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(rows).toEqual([
      'channel,currency,orders,revenue',
      ...perDay.totals.map(
        (t: { channel_name: string; currency: string; orders: number; revenue_minor: number }) =>
          `${t.channel_name},${t.currency},${t.orders},${(t.revenue_minor / 100).toFixed(2)}`,
      ),
    ]);
  });

  it('shows every order and return of one customer across channels with the API totals', async () => {
    const api = await must(consign.server.request, 'GET', `/v1/customers/${encodeURIComponent(CUSTOMER)}`);
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByLabel('Name or e-mail').fill('repeat');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Robin Repeat' }).click();
    await page.getByRole('heading', { name: 'Robin Repeat' }).waitFor();
    for (const total of api.totals) {
      const cells = await page.locator(`tr[data-currency="${total.currency}"] td`).allInnerTexts();
      expect(cells).toEqual([total.currency, String(total.orders), usd(total.spent_minor), usd(total.refunded_minor)]);
    }
    expect(api.totals.some((t: { refunded_minor: number }) => t.refunded_minor > 0)).toBe(true);
    expect(await page.locator('#orders tr[data-order]').count()).toBe(api.orders.length);
    expect(api.returns).toHaveLength(1);
    for (const r of api.returns) {
      const item = page.locator(`#returns li[data-return="${r.id}"]`);
      expect(await item.locator('.badge').innerText()).toBe(r.status);
      expect(await item.locator('.refunded').innerText()).toBe(usd(r.refunded.amount));
    }
    await screenshot(page, 'customer-360');
  });
});
