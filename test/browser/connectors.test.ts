import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformSignature, signatureHeaders } from '../../src/connectors/index.ts';
import { must } from '../support/client.ts';
import { CONNECTOR_SECRET, connectorFixture } from '../support/connectors.ts';
import { createSmallNetwork, setStock } from '../support/fixtures.ts';
import { TEST_ADMIN_KEY } from '../support/server.ts';
import { chromiumOrSkip, launchChromium, openPage, screenshot } from './support/browser.ts';
import { startConsoleServer, type ConsoleServer } from './support/console-server.ts';

const chromiumPath = chromiumOrSkip();

describe.runIf(chromiumPath)('console: connector health and catalog mapping', { timeout: 180_000 }, () => {
  let consign: ConsoleServer;
  let browser: Browser;
  let page: Page;
  let channelId: string;

  beforeAll(async () => {
    consign = await startConsoleServer();
    const server = consign.server;
    const net = await createSmallNetwork(server, 0);
    channelId = net.channelId;
    await must(server.request, 'PATCH', `/v1/locations/${net.storeA}`, { latitude: 42.3601, longitude: -71.0589 });
    for (const sku of ['IPOD2008PINK', 'IPOD2008GREEN']) {
      await must(server.request, 'POST', '/v1/products', { sku, name: `iPod ${sku}` });
      await setStock(server, net.storeA, sku, 10);
    }
    await must(server.request, 'PUT', `/v1/channels/${channelId}/connector`, {
      platform: 'shopify',
      secret: CONNECTOR_SECRET,
    });
    const raw = connectorFixture('shopify/orders-create-no-sku.json');
    const held = await server.request('POST', '/v1/connectors/shopify/orders', {
      rawBody: raw,
      key: null,
      headers: { [signatureHeaders.shopify]: platformSignature(raw, CONNECTOR_SECRET) },
    });
    expect(held.status).toBe(202);
    browser = await launchChromium(chromiumPath!);
    page = await openPage(browser, server.url, TEST_ADMIN_KEY);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await consign?.close();
  });

  it('lists each connector with its review queue, as the health API reports it', async () => {
    await page.getByRole('link', { name: 'Connectors' }).click();
    await page.getByRole('heading', { name: 'Connector health' }).waitFor();
    const row = page.locator(`tr[data-channel="${channelId}"]`);
    const health = await must(consign.server.request, 'GET', `/v1/channels/${channelId}/connector/health`);
    expect(health.review_queue).toBe(1);
    expect(await row.locator('[data-field="review_queue"]').innerText()).toBe('1');
    expect(await row.locator('[data-field="backlog"]').innerText()).toBe('no endpoint');
    await screenshot(page, 'connectors');
  });

  it('saving the missing mappings places the held order, and the queue empties', async () => {
    await page.getByRole('link', { name: 'Web' }).click();
    await page.getByRole('heading', { name: 'Catalog mapping' }).waitFor();
    const one = page.getByRole('form', { name: 'Add a mapping' });
    await one.getByLabel('Product ID').fill('632910392');
    await one.getByLabel('Variant ID').fill('808950810');
    await one.getByLabel('SKU').fill('IPOD2008PINK');
    await one.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByText('1 mapping(s) saved; 0 held order(s) placed.').waitFor();
    const csv = page.getByRole('form', { name: 'Upload mappings as CSV' });
    await csv.getByLabel(/CSV/).fill('product_id,variant_id,sku\n632910392,808950811,IPOD2008GREEN\n');
    await csv.getByRole('button', { name: 'Upload CSV' }).click();
    const saved = page.getByText('1 mapping(s) saved; 1 held order(s) placed.');
    await saved.waitFor({ timeout: 10_000 }).catch(async () => {
      throw new Error(`not placed: ${await page.locator('main').innerText()}`);
    });
    await page.locator('[data-field="review_queue"]', { hasText: '0' }).waitFor();
    const placed = await must(consign.server.request, 'GET', '/v1/connectors/reviews?status=placed');
    expect(placed.data).toHaveLength(1);
    const rows = page.getByRole('region', { name: 'Catalog mappings' }).locator('tbody tr');
    expect(await rows.count()).toBe(2);
    await screenshot(page, 'connector-mappings');
  });

  it('deletes a mapping', async () => {
    await page.getByRole('button', { name: 'Delete mapping 632910392/808950811' }).click();
    await page.getByRole('button', { name: 'Delete mapping 632910392/808950811' }).waitFor({ state: 'detached' });
    const left = await must(consign.server.request, 'GET', `/v1/channels/${channelId}/catalog-mappings`);
    expect(left.data.map((m: { variant_id: string }) => m.variant_id)).toEqual(['808950810']);
  });
});
