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
const TRACKING = '1Z999AA10123456784';

describe.runIf(chromiumPath)('console: a store associate works the fulfillment queue', { timeout: 180_000 }, () => {
  let consign: ConsoleServer;
  let browser: Browser;
  let associate: Page;
  let network: JourneyNetwork;
  let shipOrderId: string;
  let pickupOrderId: string;

  beforeAll(async () => {
    consign = await startConsoleServer();
    const request = consign.server.request;
    network = await createJourneyNetwork(request, ['TEE-1']);
    await setStock(consign.server, network.midtown, 'TEE-1', 10);
    shipOrderId = (await must(request, 'POST', '/v1/orders', orderBody('WEB-2001', [{ sku: 'TEE-1', quantity: 2 }])))
      .id;
    const pickup = orderBody('WEB-2002', [{ sku: 'TEE-1', quantity: 1 }], {
      delivery_method: 'pickup',
      pickup_location_id: network.midtown,
    });
    pickupOrderId = (await must(request, 'POST', '/v1/orders', pickup)).id;
    browser = await launchChromium(chromiumPath!);
    associate = await openPage(
      browser,
      consign.server.url,
      await consign.key('fulfillment', { locationIds: [network.midtown] }),
    );
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await consign?.close();
  });

  const card = (externalId: string) => associate.getByRole('listitem', { name: `Fulfillment order for ${externalId}` });
  async function step(externalId: string, button: string, status: string) {
    await card(externalId).getByRole('button', { name: button, exact: true }).click();
    await card(externalId).getByRole('heading').getByText(status, { exact: true }).waitFor();
  }

  it('accepts, picks, packs and ships with carrier and tracking; the order page then shows it shipped', async () => {
    await associate.getByRole('heading', { name: 'Fulfillment queue · New York store' }).waitFor();
    await step('WEB-2001', 'Accept', 'accepted');
    await step('WEB-2001', 'Start picking', 'picking');
    await step('WEB-2001', 'Packed', 'packed');
    await screenshot(associate, 'queue');
    const ship = card('WEB-2001').getByRole('form', { name: 'Ship' });
    await ship.getByLabel('Carrier').fill('UPS');
    await ship.getByLabel('Tracking number').fill(TRACKING);
    await ship.getByRole('button', { name: 'Ship' }).click();
    await expect.poll(() => card('WEB-2001').count(), { timeout: 15_000 }).toBe(0);

    const order = await must(consign.server.request, 'GET', `/v1/orders/${shipOrderId}`);
    expect(order.status).toBe('shipped');
    expect(order.shipments[0]).toMatchObject({ carrier: 'UPS', tracking_number: TRACKING });

    const agent = await openPage(browser, consign.server.url, TEST_ADMIN_KEY);
    await agent.goto(`${consign.server.url}/orders/${shipOrderId}`);
    await agent
      .getByRole('heading', { name: /Order WEB-2001/ })
      .getByText('shipped', { exact: true })
      .waitFor();
    await agent.locator(`[data-shipment="${order.shipments[0].id}"]`).getByText(TRACKING).waitFor();
    const invoice = order.invoices[0];
    const download = agent.waitForEvent('download');
    await agent.getByRole('button', { name: 'Download PDF' }).click();
    expect((await download).suggestedFilename()).toBe(`${invoice.number}.pdf`);
    await screenshot(agent, 'order-360-shipped');
    await agent.close();
  });

  it('readies a pickup order and hands it over with the pickup code', async () => {
    await step('WEB-2002', 'Accept', 'accepted');
    await step('WEB-2002', 'Start picking', 'picking');
    await step('WEB-2002', 'Packed', 'packed');
    await step('WEB-2002', 'Ready for pickup', 'ready for pickup');
    // The customer has the code (the storefront reads it from the event); the screen that verifies it never shows it.
    const events = await must(
      consign.server.request,
      'GET',
      `/v1/events?subject_id=${pickupOrderId}&type=fulfillment_order.ready_for_pickup`,
    );
    const code = events.data[0].data.pickup_code as string;
    expect(code).toMatch(/^\d{6}$/);
    expect(await card('WEB-2002').innerText()).not.toContain(code);
    await screenshot(associate, 'queue-hand-over');
    const handOver = card('WEB-2002').getByRole('form', { name: 'Hand over' });
    await handOver.getByLabel('Pickup code').fill(code);
    await handOver.getByLabel('Pickup code').press('Enter');
    await expect.poll(() => card('WEB-2002').count(), { timeout: 15_000 }).toBe(0);
    const order = await must(consign.server.request, 'GET', `/v1/orders/${pickupOrderId}`);
    expect(order.fulfillment_orders[0].status).toBe('picked_up');
  });

  it('shows open work that waits behind a page of closed work: the queue is filtered on the server', async () => {
    const request = consign.server.request;
    await setStock(consign.server, network.midtown, 'TEE-1', 100);
    // 48 cancelled orders after the shipped and the picked-up one: the 50 oldest are all closed.
    for (let i = 0; i < 48; i++) {
      const placed = await must(
        request,
        'POST',
        '/v1/orders',
        orderBody(`WEB-21${i}`, [{ sku: 'TEE-1', quantity: 1 }]),
      );
      await must(request, 'POST', `/v1/orders/${placed.id}/cancel`, { reason: 'customer asked' });
    }
    await must(
      request,
      'POST',
      '/v1/orders',
      orderBody('WEB-2999', [{ sku: 'TEE-1', quantity: 1 }], {
        delivery_method: 'pickup',
        pickup_location_id: network.midtown,
      }),
    );
    await associate.reload();
    await card('WEB-2999').waitFor();
    expect(await associate.getByText('Nothing to do here.').count()).toBe(0);
  });
});
