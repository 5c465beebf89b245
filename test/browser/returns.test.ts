import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../support/client.ts';
import { setStock } from '../support/fixtures.ts';
import { createJourneyNetwork } from '../support/journey.ts';
import { TEST_ADMIN_KEY } from '../support/server.ts';
import { chromiumOrSkip, launchChromium, openPage, screenshot } from './support/browser.ts';
import { startConsoleServer, type ConsoleServer } from './support/console-server.ts';
import { placeAndShip, skipUnlessServed } from './support/data.ts';

const chromiumPath = chromiumOrSkip();

describe.runIf(chromiumPath)('console: returns desk', { timeout: 180_000 }, () => {
  let consign: ConsoleServer;
  let browser: Browser;
  let page: Page;
  let orderId: string;

  beforeAll(async () => {
    consign = await startConsoleServer();
    const network = await createJourneyNetwork(consign.server.request, ['TEE-1']);
    await setStock(consign.server, network.midtown, 'TEE-1', 10);
    orderId = await placeAndShip(consign.server.request, 'WEB-4001', [{ sku: 'TEE-1', quantity: 2 }]);
    browser = await launchChromium(chromiumPath!);
    page = await openPage(browser, consign.server.url, TEST_ADMIN_KEY);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await consign?.close();
  });

  it('starts a return from the order 360, receives it with condition and disposition, and refunds it', async (context) => {
    await skipUnlessServed(context, consign.server.request, `/v1/returns?order_id=${orderId}`, 'the returns API');
    await page.goto(`${consign.server.url}/orders/${orderId}`);
    const start = page.getByRole('form', { name: 'Start a return or reship' });
    await start.getByLabel('Quantity').fill('1');
    await start.getByLabel('Reason').fill('Too small');
    await start.getByRole('button', { name: 'Start a return' }).click();
    const rmaLink = page.locator('#returns').getByRole('link', { name: /^rma_/ });
    await rmaLink.waitFor();
    const rma = (await rmaLink.innerText()).trim();
    await rmaLink.click();
    await page.getByRole('heading', { name: 'Returns desk' }).waitFor();
    const authorize = page.getByRole('button', { name: 'Authorize' });
    if (await authorize.count()) await authorize.click();
    const receive = page.getByRole('form', { name: 'Receive the return' });
    await receive.getByLabel('Condition').selectOption('opened');
    await receive.getByLabel('Disposition').selectOption('restock');
    await receive.getByRole('button', { name: 'Receive' }).click();
    await page.getByRole('button', { name: 'Refund' }).click();
    await page
      .getByRole('heading', { name: new RegExp(`Return ${rma}`) })
      .getByText('refunded')
      .waitFor();
    const record = await must(consign.server.request, 'GET', `/v1/returns/${rma}`);
    expect(record.status).toBe('refunded');
    await screenshot(page, 'returns-desk');
    const order = await must(consign.server.request, 'GET', `/v1/orders/${orderId}`);
    expect(order.lines[0].quantities.returned).toBe(1);
  });
});
