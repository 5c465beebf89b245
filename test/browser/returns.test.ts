import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../support/client.ts';
import { setStock } from '../support/fixtures.ts';
import { createJourneyNetwork } from '../support/journey.ts';
import { TEST_ADMIN_KEY } from '../support/server.ts';
import { chromiumOrSkip, launchChromium, openPage, screenshot } from './support/browser.ts';
import { startConsoleServer, type ConsoleServer } from './support/console-server.ts';
import { deliverAll, placeAndShip } from './support/data.ts';

const chromiumPath = chromiumOrSkip();
const usd = (minor: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(minor / 100);

describe.runIf(chromiumPath)('console: returns desk', { timeout: 180_000 }, () => {
  let consign: ConsoleServer;
  let browser: Browser;
  let page: Page;
  let orderId: string;
  let midtown: string;

  beforeAll(async () => {
    consign = await startConsoleServer();
    const network = await createJourneyNetwork(consign.server.request, ['TEE-1']);
    midtown = network.midtown;
    await setStock(consign.server, network.midtown, 'TEE-1', 10);
    orderId = await placeAndShip(consign.server.request, 'WEB-4001', [{ sku: 'TEE-1', quantity: 2 }]);
    await deliverAll(consign.server.request, orderId);
    browser = await launchChromium(chromiumPath!);
    page = await openPage(browser, consign.server.url, TEST_ADMIN_KEY);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await consign?.close();
  });

  it('starts a mail-in return from the order 360, receives it with condition and disposition, and refunds it', async () => {
    const request = consign.server.request;
    await page.goto(`${consign.server.url}/orders/${orderId}`);
    const start = page.getByRole('form', { name: 'Start a return' });
    await start.getByLabel('Quantity').fill('1');
    await start.getByLabel('Reason').selectOption('size_fit');
    await start.getByLabel('Method').selectOption('mail_in');
    await start.getByLabel('Carrier').fill('UPS');
    await start.getByLabel('Tracking number').fill('1ZBACK4001');
    await start.getByRole('button', { name: 'Start a return' }).click();
    const rmaLink = page.locator('#returns').getByRole('link', { name: /^rma_/ });
    await rmaLink.waitFor();
    const rma = (await rmaLink.innerText()).trim();
    const started = await must(request, 'GET', `/v1/returns/${rma}`);
    expect(started).toMatchObject({
      order_id: orderId,
      method: 'mail_in',
      carrier: 'UPS',
      tracking_number: '1ZBACK4001',
    });
    expect(started.lines).toMatchObject([{ line_id: 'L1', quantity: 1, reason: 'size_fit' }]);

    await rmaLink.click();
    const card = page.locator('section.card', {
      has: page.getByRole('heading', { name: new RegExp(`Return ${rma}`) }),
    });
    await card.getByRole('heading').getByText(started.status).waitFor();
    if (started.status === 'initiated') await card.getByRole('button', { name: 'Authorize' }).click();
    const receive = card.getByRole('form', { name: 'Receive the return' });
    await receive.getByLabel('Arrived at').selectOption(midtown);
    await receive.getByLabel('Condition').selectOption('opened');
    await receive.getByLabel('Disposition').selectOption('restock');
    await receive.getByRole('button', { name: 'Receive' }).click();
    await card.getByRole('heading').getByText('restocked').waitFor();
    const received = await must(request, 'GET', `/v1/returns/${rma}`);
    expect(received.receipts).toMatchObject([
      { line_id: 'L1', quantity: 1, condition: 'opened', disposition: 'restock', location_id: midtown },
    ]);
    expect(await card.locator('tr[data-line="L1"] td').allInnerTexts()).toEqual([
      'L1',
      'TEE-1',
      'size_fit',
      '1',
      '1',
      '1',
      '0',
      '0',
      '0',
    ]);

    await card.getByRole('button', { name: 'Refund' }).click();
    await card.getByRole('heading').getByText('refunded').waitFor();
    const record = await must(request, 'GET', `/v1/returns/${rma}`);
    expect(record.status).toBe('refunded');
    expect(record.refunded.amount).toBeGreaterThan(0);
    expect(await card.getByTestId('return-refunded').innerText()).toBe(usd(record.refunded.amount));
    expect(await card.locator('tr[data-line="L1"] td').last().innerText()).toBe(String(record.lines[0].refunded));
    await screenshot(page, 'returns-desk');
    const order = await must(request, 'GET', `/v1/orders/${orderId}`);
    expect(order.lines[0].quantities.returned).toBe(1);
  });

  it('offers no hold on a delivered order: only actions the order can take', async () => {
    await page.goto(`${consign.server.url}/orders/${orderId}`);
    const actions = page.getByRole('region', { name: 'Actions' });
    await actions.waitFor();
    await page.locator('#returns').waitFor();
    expect(await actions.getByRole('button', { name: 'Put on hold' }).count()).toBe(0);
    expect(await actions.getByLabel('Hold kind').count()).toBe(0);
    // Nothing of it is left to cancel either: every unit shipped.
    expect(await actions.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
  });

  it('reships a lost unit from the order 360 as a linked order', async () => {
    await page.goto(`${consign.server.url}/orders/${orderId}`);
    const reship = page.getByRole('form', { name: 'Reship' });
    await reship.getByLabel('Quantity').fill('1');
    await reship.getByLabel('Reason').selectOption('lost');
    await reship.getByLabel('Note').fill('Never arrived');
    await reship.getByRole('button', { name: 'Reship' }).click();
    const linked = page.locator('#returns li[data-linked="reship"]');
    await linked.waitFor();
    const order = await must(consign.server.request, 'GET', `/v1/orders/${orderId}`);
    expect(order.linked_orders).toMatchObject([{ kind: 'reship', reason: 'lost: Never arrived' }]);
    expect(await linked.getByRole('link').innerText()).toBe(order.linked_orders[0].order_id);
  });

  it('finds returns by order number, e-mail or RMA from one field, and lists the returns awaiting receipt', async () => {
    const request = consign.server.request;
    const order = await must(request, 'GET', `/v1/orders/${orderId}`);
    const second = await must(request, 'POST', '/v1/returns', {
      order_id: orderId,
      method: 'mail_in',
      lines: [{ line_id: 'L1', quantity: 1, reason: 'changed_mind' }],
    });
    if (second.status === 'initiated') await must(request, 'POST', `/v1/returns/${second.id}/authorize`, {});
    const first = (await must(request, 'GET', `/v1/returns?order_id=${orderId}`)).data.find(
      (r: { id: string }) => r.id !== second.id,
    );

    // With nothing searched, the desk lists what is on its way back.
    await page.goto(`${consign.server.url}/returns`);
    const awaiting = page.getByRole('region', { name: 'Awaiting receipt', exact: true });
    await awaiting.getByRole('link', { name: second.id }).waitFor();
    expect(await awaiting.getByRole('link', { name: first.id }).count()).toBe(0);

    const search = page.getByRole('search', { name: 'Find a return' });
    const cards = page.locator('section.card', { has: page.getByRole('heading', { name: /^Return rma_/ }) });
    const find = async (text: string) => {
      await search.getByLabel('Order number, e-mail or RMA').fill(text);
      await search.getByRole('button', { name: 'Find' }).click();
      await page.waitForURL((url) => url.searchParams.get('q') === text);
    };
    for (const text of ['WEB-4001', order.customer.email]) {
      await find(text);
      await cards.nth(1).waitFor();
      const headings = await cards.getByRole('heading', { name: /^Return rma_/ }).allInnerTexts();
      expect(headings.map((h) => h.split(' ')[1]).sort()).toEqual([first.id, second.id].sort());
    }
    await find(second.id);
    await cards
      .first()
      .getByRole('heading', { name: new RegExp(`Return ${second.id}`) })
      .waitFor();
    // The previous search's two cards give way to the one found.
    await expect.poll(() => cards.count()).toBe(1);
    await find('NO-SUCH-ORDER');
    await page.getByText('No return matches NO-SUCH-ORDER').waitFor();
    // Back returns to the previous search.
    await page.goBack();
    await cards
      .first()
      .getByRole('heading', { name: new RegExp(`Return ${second.id}`) })
      .waitFor();
  });
});
