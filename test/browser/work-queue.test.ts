import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../support/client.ts';
import { setStock } from '../support/fixtures.ts';
import { createJourneyNetwork, type JourneyNetwork } from '../support/journey.ts';
import { orderBody } from '../support/orders.ts';
import { TEST_ADMIN_KEY } from '../support/server.ts';
import { chromiumOrSkip, launchChromium, openPage, screenshot } from './support/browser.ts';
import { startConsoleServer, type ConsoleServer } from './support/console-server.ts';
import { deliverAll, placeAndShip } from './support/data.ts';

const chromiumPath = chromiumOrSkip();
const SLOW = { timeout: 20_000 };
const DAY = 86_400_000;

describe.runIf(chromiumPath)(
  'console: a working day — queues, saved views, global search',
  { timeout: 240_000 },
  () => {
    let consign: ConsoleServer;
    let browser: Browser;
    let associate: Page;
    let agent: Page;
    let network: JourneyNetwork;
    let heldId: string;
    let rmaId: string;

    beforeAll(async () => {
      consign = await startConsoleServer();
      const request = consign.server.request;
      network = await createJourneyNetwork(request, ['TEE-1', 'MUG-2']);
      await setStock(consign.server, network.midtown, 'TEE-1', 200);
      await setStock(consign.server, network.midtown, 'MUG-2', 200);
      // 30 cancelled orders first: the oldest 25 fulfillment orders of the store are all closed.
      for (let i = 0; i < 30; i++) {
        const placed = await must(
          request,
          'POST',
          '/v1/orders',
          orderBody(`WEB-40${i}`, [{ sku: 'TEE-1', quantity: 1 }]),
        );
        await must(request, 'POST', `/v1/orders/${placed.id}/cancel`, { reason: 'customer asked' });
      }
      await must(
        request,
        'POST',
        '/v1/orders',
        orderBody('WEB-4100', [{ sku: 'TEE-1', quantity: 1 }], {
          delivery_method: 'pickup',
          pickup_location_id: network.midtown,
        }),
      );
      await must(
        request,
        'POST',
        '/v1/orders',
        orderBody(
          'WEB-4101',
          [
            { sku: 'TEE-1', quantity: 2 },
            { sku: 'MUG-2', quantity: 1 },
          ],
          { placed_at: new Date(Date.now() - 10 * DAY).toISOString() },
        ),
      );
      const held = await must(request, 'POST', '/v1/orders', orderBody('WEB-4102', [{ sku: 'MUG-2', quantity: 1 }]));
      heldId = held.id;
      await must(request, 'POST', `/v1/orders/${held.id}/hold`, { kind: 'manual', reason: 'Call the customer' });
      const shipped = await placeAndShip(request, 'WEB-4103', [{ sku: 'MUG-2', quantity: 1 }]);
      await deliverAll(request, shipped);
      rmaId = (
        await must(request, 'POST', '/v1/returns', {
          order_id: shipped,
          method: 'mail_in',
          lines: [{ line_id: 'L1', quantity: 1, reason: 'damaged' }],
        })
      ).id;
      browser = await launchChromium(chromiumPath!);
      associate = await openPage(
        browser,
        consign.server.url,
        await consign.key('fulfillment', { locationIds: [network.midtown] }),
      );
      agent = await openPage(browser, consign.server.url, TEST_ADMIN_KEY);
    }, 240_000);
    afterAll(async () => {
      await browser?.close();
      await consign?.close();
    });

    const card = (externalId: string) =>
      associate.getByRole('listitem', { name: `Fulfillment order for ${externalId}` });
    const tab = (page: Page, name: RegExp) => page.getByRole('tab', { name });

    it('works the open work of the store: late work first, counts per step, address and product names', async () => {
      await associate.getByRole('heading', { name: 'Fulfillment queue · New York store' }).waitFor(SLOW);
      // The pickup waits behind a page of cancelled work, yet shows in "Open work".
      await card('WEB-4100').waitFor(SLOW);
      await tab(associate, /^Open work \(3\)$/).waitFor(SLOW);
      await tab(associate, /^cancelled \(30\)$/).waitFor(SLOW);
      await associate.getByRole('status').getByText('1 late').waitFor();
      const cards = await associate
        .getByRole('listitem', { name: /^Fulfillment order for / })
        .evaluateAll((items) => items.map((i) => i.getAttribute('aria-label')));
      expect(cards[0]).toBe('Fulfillment order for WEB-4101');
      await card('WEB-4101').getByText('late', { exact: true }).waitFor();
      await card('WEB-4101')
        .getByText(/Ship to 350 5th Ave, New York NY 10118/)
        .waitFor();
      await card('WEB-4101').getByText('Product TEE-1').waitFor();
      await screenshot(associate, 'work-queue-open');
    });

    it('prints a packing slip and a pick list', async () => {
      const slip = associate.waitForEvent('download');
      await card('WEB-4101').getByRole('button', { name: 'Packing slip' }).click();
      expect((await slip).suggestedFilename()).toBe('packing-slip-WEB-4101.pdf');
      const list = associate.waitForEvent('download');
      await associate.getByRole('button', { name: 'Print pick list' }).click();
      expect((await list).suggestedFilename()).toBe('pick-list.pdf');
    });

    it('ships with a tracking number that links to the carrier', async () => {
      for (const [button, status] of [
        ['Accept', 'accepted'],
        ['Start picking', 'picking'],
        ['Packed', 'packed'],
      ] as const) {
        await card('WEB-4101').getByRole('button', { name: button, exact: true }).click();
        await card('WEB-4101').getByRole('heading').getByText(status, { exact: true }).waitFor(SLOW);
      }
      const ship = card('WEB-4101').getByRole('form', { name: 'Ship' });
      await ship.getByLabel('Tracking number').fill('1Z4101');
      await ship.getByRole('button', { name: 'Ship' }).click();
      await tab(associate, /^shipped \(1\)$/).waitFor(SLOW);
      await tab(associate, /^shipped/).click();
      const link = card('WEB-4101').getByRole('link', { name: 'Track 1Z4101 with UPS' });
      await link.waitFor(SLOW);
      expect(await link.getAttribute('href')).toBe('https://www.ups.com/track?tracknum=1Z4101');
    });

    it('pages through the cancelled work with the page in the URL, and Back returns to it', async () => {
      await tab(associate, /^cancelled/).click();
      const pager = associate.getByRole('navigation', { name: 'Pages' });
      await pager.getByText('Page 1 of 2 · 30 in all').waitFor(SLOW);
      await pager.getByRole('button', { name: 'Next' }).click();
      await pager.getByText('Page 2 of 2 · 30 in all').waitFor(SLOW);
      expect(new URL(associate.url()).searchParams.get('show')).toBe('cancelled');
      expect(new URL(associate.url()).searchParams.get('pages')).toBeTruthy();
      await expect
        .poll(() => associate.getByRole('listitem', { name: /^Fulfillment order for / }).count(), SLOW)
        .toBe(5);
      await screenshot(associate, 'work-queue-page-2');
      await associate.goBack();
      await pager.getByText('Page 1 of 2 · 30 in all').waitFor(SLOW);
      await associate.goForward();
      await pager.getByText('Page 2 of 2 · 30 in all').waitFor(SLOW);
      await associate.reload();
      await pager.getByText('Page 2 of 2 · 30 in all').waitFor(SLOW);
    });

    it('shows the orders that need attention in their own view', async () => {
      await agent.goto(`${consign.server.url}/orders`);
      const views = agent.getByRole('navigation', { name: 'Saved views' });
      await views.getByRole('link', { name: 'Needs attention' }).click();
      const table = agent.getByRole('region', { name: 'Orders' });
      await table.getByRole('link', { name: 'WEB-4102' }).waitFor(SLOW);
      expect(new URL(agent.url()).searchParams.get('needs_attention')).toBe('true');
      expect(await table.getByRole('link', { name: 'WEB-4100' }).count()).toBe(0);
      await agent.getByText(/^Page 1 of 1 · \d+ in all$/).waitFor(SLOW);
      await screenshot(agent, 'orders-needs-attention');
      await views.getByRole('link', { name: 'cancelled' }).click();
      await agent.getByText('Page 1 of 2 · 30 in all').waitFor(SLOW);
      await agent.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Next' }).click();
      await agent.getByText('Page 2 of 2 · 30 in all').waitFor(SLOW);
      await agent.goBack();
      await agent.getByText('Page 1 of 2 · 30 in all').waitFor(SLOW);
      await agent.goBack();
      await table.getByRole('link', { name: 'WEB-4102' }).waitFor(SLOW);
      await agent.getByText(/^Page 1 of 1 · \d+ in all$/).waitFor(SLOW);
    });

    it('finds an order, a SKU, an RMA and a customer from the header search box on any page', async () => {
      const search = agent.getByRole('search', { name: 'Search everything' }).getByRole('searchbox');
      await search.fill('WEB-4102');
      await search.press('Enter');
      await agent.getByRole('heading', { name: /Order WEB-4102/ }).waitFor(SLOW);
      expect(new URL(agent.url()).pathname).toBe(`/orders/${heldId}`);

      await search.fill('MUG-2');
      await search.press('Enter');
      await expect.poll(() => new URL(agent.url()).search, SLOW).toBe('?skus=MUG-2');
      await agent.getByRole('heading', { name: 'Inventory' }).waitFor(SLOW);

      await search.fill(rmaId);
      await search.press('Enter');
      await expect.poll(() => new URL(agent.url()).pathname, SLOW).toBe('/returns');
      await agent.getByText(rmaId).first().waitFor(SLOW);

      await search.fill('web-4102@example.com');
      await search.press('Enter');
      await expect
        .poll(() => decodeURIComponent(new URL(agent.url()).pathname), SLOW)
        .toBe('/customers/web-4102@example.com');

      await search.fill('WEB-41');
      await search.press('Enter');
      const results = agent.getByRole('list', { name: 'Search results' });
      await results.waitFor(SLOW);
      await screenshot(agent, 'global-search-results');
      await results.getByRole('link', { name: 'Order WEB-4103' }).click();
      await agent.getByRole('heading', { name: /Order WEB-4103/ }).waitFor(SLOW);
    });
  },
);
