import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../support/client.ts';
import { setStock } from '../support/fixtures.ts';
import { createJourneyNetwork } from '../support/journey.ts';
import { TEST_ADMIN_KEY } from '../support/server.ts';
import { chromiumOrSkip, launchChromium, openPage, screenshot } from './support/browser.ts';
import { startConsoleServer, type ConsoleServer } from './support/console-server.ts';
import { deliverAll, placeAndShip, usd } from './support/data.ts';

const chromiumPath = chromiumOrSkip();

describe.runIf(chromiumPath)('console: returns desk', { timeout: 240_000 }, () => {
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

    // The refund is previewed first; only the confirmation refunds.
    await card.getByRole('button', { name: 'Preview refund' }).click();
    await card.getByRole('button', { name: /^Confirm refund of / }).click();
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

  describe('a two-line return refunded in part', () => {
    let orderId: string;

    beforeAll(async () => {
      const request = consign.server.request;
      await must(request, 'POST', '/v1/products', { sku: 'CAP-1', name: 'Product CAP-1', weight_grams: 200 });
      await setStock(consign.server, midtown, 'TEE-1', 10);
      await setStock(consign.server, midtown, 'CAP-1', 10);
      // A 10 % restocking fee on units returned for reasons that are not the merchant's fault.
      await must(request, 'PUT', '/v1/channels/web/return-policy', {
        window_days: 30,
        auto_authorize: true,
        shipping_refund: 'merchant_fault',
        restocking_fee_bps: 1000,
      });
      orderId = await placeAndShip(request, 'WEB-5001', [
        { sku: 'TEE-1', quantity: 2, price: 2500 },
        { sku: 'CAP-1', quantity: 2, price: 1200 },
      ]);
      await deliverAll(request, orderId);
    }, 120_000);
    it('starts a return of both lines at once from the order 360', async () => {
      await page.goto(`${consign.server.url}/orders/${orderId}`);
      const start = page.getByRole('form', { name: 'Start a return' });
      await start.getByRole('heading', { name: 'Start a return' }).waitFor();
      const l1 = start.getByRole('group', { name: /^L1 · TEE-1/ });
      const l2 = start.getByRole('group', { name: /^L2 · CAP-1/ });
      await l1.getByLabel('Quantity').fill('2');
      await l1.getByLabel('Reason').selectOption('changed_mind');
      await l2.getByLabel('Quantity').fill('2');
      await l2.getByLabel('Reason').selectOption('defective');
      await start.getByLabel('Carrier').fill('UPS');
      await start.getByRole('button', { name: 'Start a return' }).click();
      await page.locator('#returns').getByRole('link', { name: /^rma_/ }).waitFor();
      const returns = await must(consign.server.request, 'GET', `/v1/returns?order_id=${orderId}`);
      expect(returns.data).toHaveLength(1);
      expect(returns.data[0].lines).toMatchObject([
        { line_id: 'L1', quantity: 2, reason: 'changed_mind' },
        { line_id: 'L2', quantity: 2, reason: 'defective' },
      ]);
    });

    it('finds the return by order number, receives one line in full and one in part, previews and confirms a partial refund', async () => {
      const request = consign.server.request;
      const rma = (await must(request, 'GET', `/v1/returns?order_id=${orderId}`)).data[0].id as string;
      await page.goto(`${consign.server.url}/returns`);
      const search = page.getByRole('search', { name: 'Find a return' });
      await search.getByLabel('Order number, e-mail or RMA').fill('#WEB-5001');
      await search.getByRole('button', { name: 'Find' }).click();
      const card = page.locator('section.card', {
        has: page.getByRole('heading', { name: new RegExp(`Return ${rma}`) }),
      });
      await card.waitFor();

      // Both tees arrive; one cap of two.
      const receive = card.getByRole('form', { name: 'Receive the return' });
      await receive.getByLabel('Arrived at').selectOption(midtown);
      const tees = receive.getByRole('group', { name: /Line L1/ });
      const caps = receive.getByRole('group', { name: /Line L2/ });
      await tees.getByLabel('Condition').selectOption('opened');
      await caps.getByLabel('Received').fill('1');
      await caps.getByLabel('Condition').selectOption('defective');
      await caps.getByLabel('Disposition').selectOption('write_off');
      await receive.getByRole('button', { name: 'Receive' }).click();
      await card.getByRole('heading').getByText('received', { exact: true }).waitFor();
      // The second cap is not coming.
      await card.getByRole('button', { name: 'Close with what arrived' }).click();
      await card.getByRole('heading').getByText('restocked').waitFor();
      const closed = await must(request, 'GET', `/v1/returns/${rma}`);
      expect(closed.lines).toMatchObject([
        { line_id: 'L1', received: 2, restocked: 2 },
        { line_id: 'L2', quantity: 2, received: 1, written_off: 1 },
      ]);
      expect(closed.receipts).toMatchObject([
        { line_id: 'L1', quantity: 2, condition: 'opened', disposition: 'restock' },
        { line_id: 'L2', quantity: 1, condition: 'defective', disposition: 'write_off' },
      ]);

      // Preview: both tees and the cap that arrived, shipping back (a defective cap), the fee on the tees.
      const refund = card.getByRole('form', { name: 'Refund' });
      await refund.getByRole('heading', { name: 'Refund' }).waitFor();
      expect(await refund.getByLabel('Refund units of L1 · TEE-1').inputValue()).toBe('2');
      expect(await refund.getByLabel('Refund units of L2 · CAP-1').inputValue()).toBe('1');
      await refund.getByRole('button', { name: 'Preview refund' }).click();
      const preview = refund.getByRole('region', { name: 'Refund preview' });
      await preview.waitFor();
      const expected = await must(request, 'POST', `/v1/returns/${rma}/refund-preview`, {});
      const order = await must(request, 'GET', `/v1/orders/${orderId}`);
      expect(expected.shipping.amount).toBe(order.shipping.amount);
      expect(expected.restocking_fee.amount).toBeGreaterThan(0);
      expect(expected.lines.map((l: { quantity: number }) => l.quantity)).toEqual([2, 1]);
      const l1 = expected.lines[0];
      expect(await preview.locator('tr[data-preview-line="L1"] td').allInnerTexts()).toEqual([
        'L1',
        'Product TEE-1',
        '2',
        usd(2500),
        usd(5000),
        usd(l1.discount.amount),
        usd(l1.tax.amount),
        usd(l1.restocking_fee.amount),
        usd(l1.total.amount),
      ]);
      expect(await preview.locator('tr[data-preview-line="L2"] td').nth(2).innerText()).toBe('1');
      expect(await preview.getByTestId('preview-shipping').innerText()).toBe(usd(expected.shipping.amount));
      expect(await preview.getByTestId('preview-restocking-fee').innerText()).toContain(
        usd(expected.restocking_fee.amount),
      );
      expect(await preview.getByTestId('preview-tax').innerText()).toBe(usd(expected.tax.amount));
      expect(await preview.getByTestId('preview-total').innerText()).toBe(usd(expected.total.amount));
      // Nothing is refunded by looking.
      expect((await must(request, 'GET', `/v1/returns/${rma}`)).refunded.amount).toBe(0);
      await screenshot(page, 'returns-refund-preview');

      await preview.getByRole('button', { name: `Confirm refund of ${usd(expected.total.amount)}` }).click();
      const done = card.getByRole('status');
      await done.waitFor();
      expect(await done.innerText()).toBe(`Refunded ${usd(expected.total.amount)}.`);
      await card.getByRole('heading').getByText('refunded').waitFor();
      const record = await must(request, 'GET', `/v1/returns/${rma}`);
      expect(record).toMatchObject({
        status: 'refunded',
        refunded: expected.total,
        restocking_fee: expected.restocking_fee,
        shipping_refunded: expected.shipping,
        lines: [{ refunded: 2 }, { refunded: 1 }],
      });
      // A partial refund of the order: the cap that never came back is not refunded.
      const money = await must(request, 'GET', `/v1/orders/${orderId}/payments`);
      expect(money.refunded.amount).toBe(expected.total.amount);
      expect(money.refunded.amount).toBeLessThan(money.captured.amount);
      expect(await card.getByTestId('return-refunded').innerText()).toBe(usd(expected.total.amount));
      await screenshot(page, 'returns-desk-refunded');
    });

    it('offers an exchange and a reship on the order 360, each a form of its own under its heading', async () => {
      await page.goto(`${consign.server.url}/orders/${orderId}`);
      const exchange = page.getByRole('form', { name: 'Exchange' });
      await exchange.getByRole('heading', { name: 'Exchange' }).waitFor();
      await exchange.getByLabel('Line').selectOption('L2');
      await exchange.getByLabel('Quantity').fill('1');
      await exchange.getByLabel('Reason').selectOption('size_fit');
      await exchange.getByLabel('Replacement SKU').fill('TEE-1');
      await exchange.getByLabel('Carrier').fill('UPS');
      const reship = page.getByRole('form', { name: 'Reship' });
      await reship.getByRole('heading', { name: 'Reship' }).waitFor();
      // Each form has its own fields: the exchange's are not the reship's.
      expect(await reship.getByLabel('Replacement SKU').count()).toBe(0);
      expect(await exchange.getByLabel('Note').count()).toBe(0);
      await screenshot(page, 'order-returns-forms');

      await exchange.getByRole('button', { name: 'Start the exchange' }).click();
      await page.locator('#returns li[data-linked="exchange"]').waitFor();
      const request = consign.server.request;
      const returns = (await must(request, 'GET', `/v1/returns?order_id=${orderId}`)).data;
      const swapped = returns.find((r: { lines: { exchange_sku: string | null }[] }) => r.lines[0]!.exchange_sku);
      expect(swapped.lines).toMatchObject([{ line_id: 'L2', quantity: 1, reason: 'size_fit', exchange_sku: 'TEE-1' }]);

      await reship.getByLabel('Line').selectOption('L1');
      await reship.getByLabel('Quantity').fill('1');
      await reship.getByLabel('Reason').selectOption('damaged');
      await reship.getByLabel('Note').fill('Crushed box');
      await reship.getByRole('button', { name: 'Reship' }).click();
      await page.locator('#returns li[data-linked="reship"]').waitFor();
      const linked = (await must(request, 'GET', `/v1/orders/${orderId}`)).linked_orders;
      expect(linked).toMatchObject(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'exchange' }),
          expect.objectContaining({ kind: 'reship', reason: 'damaged: Crushed box' }),
        ]),
      );
    });
  });
});
