import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../support/client.ts';
import { setStock } from '../support/fixtures.ts';
import { createJourneyNetwork, type JourneyNetwork } from '../support/journey.ts';
import { orderBody } from '../support/orders.ts';
import { TEST_ADMIN_KEY } from '../support/server.ts';
import { chromiumOrSkip, launchChromium, openPage, screenshot } from './support/browser.ts';
import { startConsoleServer, type ConsoleServer } from './support/console-server.ts';

const chromiumPath = chromiumOrSkip();
/** 30 SKUs with little stock: more than one page (25) of the low-stock list. */
const LOW_SKUS = Array.from({ length: 30 }, (_, i) => `LOW-${String(i + 1).padStart(2, '0')}`);
const WAIT = { timeout: 60_000 };

describe.runIf(chromiumPath)('console: inventory for a whole working day', { timeout: 300_000 }, () => {
  let consign: ConsoleServer;
  let browser: Browser;
  let page: Page;
  let network: JourneyNetwork;
  let orderId: string;

  beforeAll(async () => {
    consign = await startConsoleServer();
    const request = consign.server.request;
    network = await createJourneyNetwork(request, ['TEE-1', 'MUG-2', ...LOW_SKUS]);
    await must(request, 'PATCH', '/v1/products/MUG-2', { name: 'Blue Ceramic Mug' });
    await setStock(consign.server, network.midtown, 'TEE-1', 50);
    await setStock(consign.server, network.brooklyn, 'MUG-2', 7);
    await setStock(consign.server, network.midtown, 'MUG-2', 4);
    // Low stock: 20 SKUs at Midtown, 10 at Brooklyn, 1 or 2 units each.
    for (const [i, sku] of LOW_SKUS.entries())
      await setStock(consign.server, i < 20 ? network.midtown : network.brooklyn, sku, 1 + (i % 2));
    // TEE-1 at Midtown: an order's reservation, then 21 adjustments after it, so the order's
    // movement is on the second page of its ledger (20 a page, newest first).
    const order = await must(request, 'POST', '/v1/orders', orderBody('WEB-7001', [{ sku: 'TEE-1', quantity: 2 }]));
    orderId = order.id;
    for (let i = 1; i <= 21; i++)
      await must(request, 'POST', '/v1/inventory/adjustments', {
        reason: `shelf recount ${i}`,
        movements: [{ kind: 'adjustment', sku: 'TEE-1', location_id: network.midtown, quantity: 1 }],
      });
    browser = await launchChromium(chromiumPath!);
    page = await openPage(browser, consign.server.url, TEST_ADMIN_KEY);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await consign?.close();
  });

  it('finds a SKU by its product name and shows its availability', async () => {
    await page.getByRole('link', { name: 'Inventory' }).click();
    await page.getByLabel('Product name or SKU').fill('ceramic');
    await page.getByRole('search', { name: 'Find a product' }).getByRole('button', { name: 'Find' }).click();
    const found = page.getByRole('region', { name: 'Products found' });
    await found.waitFor(WAIT);
    expect(await found.locator('tbody tr').allInnerTexts()).toEqual([expect.stringContaining('MUG-2')]);
    expect(await found.locator('tbody tr td').nth(1).innerText()).toBe('Blue Ceramic Mug');
    await found.getByRole('button', { name: 'Show availability' }).click();
    const api = await must(consign.server.request, 'GET', '/v1/availability?skus=MUG-2');
    await expect.poll(() => page.getByTestId('available-MUG-2').innerText(), WAIT).toBe(String(api.data[0].available));
    expect(api.data[0].available).toBe(11);
    await screenshot(page, 'inventory-sku-search');
  });

  it('pages the ledger of a SKU newest first and follows a reference to its order', async () => {
    await page.getByRole('tab', { name: 'By location' }).click();
    await page
      .locator('label', { hasText: /^Location/ })
      .locator('select')
      .selectOption({ label: 'New York store (ST-MIDTOWN)' });
    await page.getByLabel('SKU or product name').fill('tee');
    await page.getByRole('search', { name: 'Stock at a location' }).getByRole('button', { name: 'Find' }).click();
    await page.locator('tr[data-sku="TEE-1"]').waitFor(WAIT);
    expect(await page.locator('[aria-label="Stock at this location"] tbody tr').count()).toBe(1);
    await page.getByRole('button', { name: 'TEE-1', exact: true }).click();
    const ledger = page.getByRole('region', { name: 'Ledger of TEE-1' });
    await ledger.waitFor(WAIT);
    const reasons = () => ledger.locator('tbody tr td:nth-child(6)').allInnerTexts();
    await expect.poll(reasons, WAIT).toHaveLength(20);
    const firstPage = await reasons();
    expect(firstPage.slice(0, 3)).toEqual(['shelf recount 21', 'shelf recount 20', 'shelf recount 19']);
    await screenshot(page, 'inventory-ledger');

    await page.getByRole('navigation', { name: 'Pages' }).last().getByRole('button', { name: 'Next' }).click();
    await expect.poll(async () => (await reasons())[0], WAIT).toBe('shelf recount 1');
    const orderLink = ledger.getByRole('link', { name: `order ${orderId}` });
    await orderLink.waitFor(WAIT);
    await orderLink.click();
    await page.waitForURL(`**/orders/${orderId}`, WAIT);
    await page.getByRole('heading', { name: /WEB-7001/ }).waitFor(WAIT);
  });

  it('counts low stock on the server, pages it and narrows it to a location', async () => {
    await page.getByRole('link', { name: 'Inventory' }).click();
    await page.getByRole('tab', { name: 'Low stock and overstock' }).click();
    const card = page.locator('#low-stock');
    const count = card.getByTestId('count');
    const all = await must(consign.server.request, 'GET', '/v1/inventory/low-stock?threshold=2&limit=1');
    expect(all.total).toBe(30);
    await expect.poll(() => count.innerText(), WAIT).toBe('30 levels · showing 1–25');
    const firstRow = card.locator('tbody tr').first();
    expect(await firstRow.locator('td').nth(1).innerText()).toBe(`Product ${all.data[0].sku}`);
    await card.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => count.innerText(), WAIT).toBe('30 levels · showing 26–30');
    expect(await card.locator('tbody tr').count()).toBe(5);

    await card
      .locator('label', { hasText: /^Location/ })
      .locator('select')
      .selectOption({ label: 'Brooklyn store' });
    const brooklyn = await must(
      consign.server.request,
      'GET',
      `/v1/inventory/low-stock?threshold=2&location_id=${network.brooklyn}`,
    );
    expect(brooklyn.total).toBe(10);
    await expect.poll(() => count.innerText(), WAIT).toBe('10 levels · showing 1–10');
    expect(await card.locator('tbody tr td:nth-child(3)').allInnerTexts()).toEqual(Array(10).fill('Brooklyn store'));
    await screenshot(page, 'inventory-low-stock');
  });

  it('says so when an adjustment is applied', async () => {
    await page.getByRole('tab', { name: 'By location' }).click();
    await page
      .locator('label', { hasText: /^Location/ })
      .locator('select')
      .selectOption({ label: 'Brooklyn store (ST-BROOKLYN)' });
    await page.getByRole('button', { name: 'MUG-2', exact: true }).click();
    const form = page.getByRole('form', { name: 'Adjust stock' });
    await form.getByLabel('Change (±)').fill('-2');
    await form.getByLabel('Reason').fill('damaged in store');
    await form.getByRole('button', { name: 'Adjust' }).click();
    await expect
      .poll(() => page.getByRole('status').innerText(), WAIT)
      .toBe('Adjusted MUG-2 at Brooklyn store by -2 (damaged in store).');
    const level = await must(consign.server.request, 'GET', `/v1/inventory/${network.brooklyn}/MUG-2`);
    expect(level.on_hand).toBe(5);
    await expect.poll(() => page.locator('tr[data-sku="MUG-2"] td').nth(2).innerText(), WAIT).toBe('5');
    await screenshot(page, 'inventory-adjusted');
  });
});
