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
/** A simulation finishes in the background: on a busy machine that can take seconds. */
const SLOW = { timeout: 30_000 };
const ORDERS = ['WEB-5001', 'WEB-5002', 'WEB-5003'];

describe.runIf(chromiumPath)('console: a draft tested on past orders, then activated', { timeout: 180_000 }, () => {
  let consign: ConsoleServer;
  let browser: Browser;
  let page: Page;
  let network: JourneyNetwork;
  let draft: number;

  beforeAll(async () => {
    consign = await startConsoleServer();
    const request = consign.server.request;
    network = await createJourneyNetwork(request, ['TEE-1']);
    await setStock(consign.server, network.midtown, 'TEE-1', 20);
    await setStock(consign.server, network.dc, 'TEE-1', 1_000);
    // Placed under the defaults: the Midtown store, 1 km from the Manhattan address, ships each.
    for (const id of ORDERS) await must(request, 'POST', '/v1/orders', orderBody(id, [{ sku: 'TEE-1', quantity: 1 }]));
    // The draft ignores distance and freight and spares thin stock: the Edison DC, 43 km away, ships.
    const rules = await must(request, 'GET', '/v1/routing/rules');
    draft = (
      await must(request, 'PUT', '/v1/routing/rules', {
        rules: {
          ...rules.defaults,
          weights: { ...rules.defaults.weights, cost: 0, distance: 0, balance: 100_000 },
        },
        notes: 'deep stock first',
      })
    ).version;
    browser = await launchChromium(chromiumPath!);
    page = await openPage(browser, consign.server.url, TEST_ADMIN_KEY);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await consign?.close();
  });

  it('runs a simulation from the routing page and shows its figures, load and changed orders with both explanations', async () => {
    await page.getByRole('link', { name: 'Routing rules' }).click();
    const form = page.getByRole('form', { name: 'Simulate a draft' });
    expect(await form.getByLabel('Draft').inputValue()).toBe(String(draft));
    await form.getByRole('button', { name: 'Simulate' }).click();
    await page.getByText(`${ORDERS.length} orders replayed, ${ORDERS.length} decided otherwise`).waitFor(SLOW);
    const id = new URL(page.url()).pathname.split('/').at(-1)!;
    const api = await must(consign.server.request, 'GET', `/v1/routing/simulations/${id}`);
    expect(api.status).toBe('succeeded');

    // The figures are the API's: every order routed in full under both, the draft ships farther.
    const figures = page.getByRole('region', { name: 'Figures of both rule sets' });
    const row = (figure: string) => figures.locator(`tr[data-figure="${figure}"] td`).allInnerTexts();
    expect(await row('Routed in full')).toEqual(['3', '3', '0']);
    expect(api.result.baseline.allocated).toBe(3);
    expect(api.result.draft.allocated).toBe(3);
    const distance = await row('Distance, km');
    expect(distance[0]).toBe(String(Math.round(api.result.baseline.distance_km)));
    expect(distance[1]).toBe(String(Math.round(api.result.draft.distance_km)));
    expect(api.result.draft.distance_km).toBeGreaterThan(api.result.baseline.distance_km + 3 * 30);

    // Load per location: the store's orders move to the DC.
    const bars = (title: string) => page.locator('figure', { hasText: title }).locator('.bars li');
    expect(await bars('Orders per location, active rules').allInnerTexts()).toContain('New York store\n3');
    expect(await bars('Orders per location, draft').allInnerTexts()).toContain('Edison distribution center\n3');

    // Every changed order, each naming where it ships under each rule set, and why.
    const changed = page.getByRole('region', { name: 'Changed orders' });
    expect(await changed.locator('tr[data-changed]').count()).toBe(ORDERS.length);
    const first = changed.locator('tr[data-changed]').first();
    expect(await first.locator('[data-side="baseline"]').innerText()).toBe('1 × TEE-1 from New York store');
    expect(await first.locator('[data-side="draft"]').innerText()).toBe('1 × TEE-1 from Edison distribution center');
    await first.getByRole('button', { name: 'Why' }).click();
    for (const side of ['Active rules', 'Draft']) {
      const candidates = page.getByRole('region', { name: `${side}: candidate locations` });
      await candidates.waitFor();
      const chosen = candidates.locator('tr', { hasText: 'chosen' }).locator('td').first();
      expect(await chosen.innerText()).toBe(side === 'Draft' ? 'Edison distribution center' : 'New York store');
    }
    await screenshot(page, 'routing-simulation');
  });

  it('simulates an uploaded order set chosen in the form, its orders shown without links', async () => {
    const address = orderBody('x', [{ sku: 'TEE-1', quantity: 1 }]).shipping_address;
    const uploaded = await must(consign.server.request, 'POST', '/v1/routing/order-sets', {
      name: 'Peak rehearsal',
      channel: 'web',
      orders: ['PEAK-1', 'PEAK-2'].map((external_id, i) => ({
        external_id,
        placed_at: new Date(Date.now() - (2 - i) * 60_000).toISOString(),
        shipping_address: address,
        lines: [{ sku: 'TEE-1', quantity: 1 }],
      })),
    });
    await page.getByRole('link', { name: 'Routing rules', exact: true }).first().click();
    const form = page.getByRole('form', { name: 'Simulate a draft' });
    await form.getByLabel(/^Replay/).selectOption(uploaded.order_set.id);
    expect(await form.getByLabel('Orders placed from').isDisabled()).toBe(true);
    expect(await form.getByLabel(/^Stock/).inputValue()).toBe('snapshot');
    await form.getByRole('button', { name: 'Simulate' }).click();
    await page.getByText('2 orders replayed, 2 decided otherwise').waitFor(SLOW);
    await page.getByText(`order set ${uploaded.order_set.id}`).first().waitFor();
    await page.getByText('“Peak rehearsal”').waitFor();
    const changed = page.getByRole('region', { name: 'Changed orders' });
    const rows = changed.locator('tr[data-changed]');
    expect(await rows.count()).toBe(2);
    expect(await rows.first().locator('td').first().innerText()).toBe('PEAK-1');
    expect(await rows.first().locator('td').first().getByRole('link').count()).toBe(0);
    expect(await rows.first().locator('[data-side="draft"]').innerText()).toBe(
      '1 × TEE-1 from Edison distribution center',
    );
  });

  it('activates the simulated draft from its results', async () => {
    await page.getByRole('button', { name: `Activate version ${draft}` }).click();
    await page.getByRole('button', { name: `Version ${draft} is active` }).waitFor(SLOW);
    const rules = await must(consign.server.request, 'GET', '/v1/routing/rules');
    expect(rules.active.version).toBe(draft);
  });

  it('lists the simulations on the routing page', async () => {
    await page.getByRole('link', { name: 'Routing rules', exact: true }).first().click();
    const list = page.getByRole('region', { name: 'Simulations' });
    await list.waitFor();
    const rows = list.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    // Newest first: the order set's, then the period's.
    expect(await rows.nth(0).locator('td').nth(2).innerText()).toMatch(/^order set oset_/);
    expect(await rows.nth(0).locator('td').nth(4).innerText()).toBe('2 of 2');
    expect(await rows.nth(1).locator('td').nth(4).innerText()).toBe('3 of 3');
  });
});
