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
/** A simulation runs in the background and the form is checked by the server: on a busy machine that takes seconds. */
const SLOW = { timeout: 30_000 };
const ORDERS = ['WEB-7001', 'WEB-7002'];

describe.runIf(chromiumPath)('console: routing rules a manager can read', { timeout: 240_000 }, () => {
  let consign: ConsoleServer;
  let browser: Browser;
  let page: Page;
  let network: JourneyNetwork;

  beforeAll(async () => {
    consign = await startConsoleServer();
    network = await createJourneyNetwork(consign.server.request, ['TEE-1']);
    for (const location of [network.midtown, network.brooklyn, network.dc]) {
      await setStock(consign.server, location, 'TEE-1', 20);
    }
    // Under the defaults the New York store, 1 km from the Manhattan address, ships each order.
    for (const id of ORDERS) {
      await must(consign.server.request, 'POST', '/v1/orders', orderBody(id, [{ sku: 'TEE-1', quantity: 1 }]));
    }
    browser = await launchChromium(chromiumPath!);
    page = await openPage(browser, consign.server.url, TEST_ADMIN_KEY);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await consign?.close();
  });

  it('tells what the weights do as the sliders move, and the changes against the active rules in words', async () => {
    await page.getByRole('link', { name: 'Routing rules' }).click();
    const form = page.getByRole('form', { name: 'Routing rules draft' });
    const effect = form.getByRole('status', { name: 'Effect of the weights' });
    expect(await effect.innerText()).toBe(
      'Distance and freight count alike: 100 km farther is worth $1.00 of freight. ' +
        'One point of store priority is worth 100 km or $1.00.',
    );
    await form.getByRole('slider', { name: 'Proximity' }).fill('2');
    await expect
      .poll(() => effect.innerText())
      .toBe(
        'Distance counts most: an order goes to the nearest location that has everything, unless one 100 km ' +
          'farther is more than $2.00 cheaper. One point of store priority is worth 50 km or $1.00.',
      );
    await form.getByLabel('Max shipments per order').fill('1');
    await form.getByLabel('Exclude New York store').check();
    const changes = form.getByRole('region', { name: 'Changes against the active version' });
    await expect
      .poll(() => changes.locator('li').allInnerTexts(), SLOW)
      .toEqual(['Weight of distance (per km): 1 → 2', 'Max shipments: no limit → 1', 'Excluded: New York store added']);

    // A field the server refuses is named where it is edited.
    await form.getByLabel('Max shipments per order').fill('0');
    await form.getByText('must be an integer ≥ 1, or null for no limit').waitFor(SLOW);
    await form.getByLabel('Max shipments per order').fill('1');
    await form.getByText('Excluded: New York store added').waitFor(SLOW);
    await screenshot(page, 'routing-rules-form');
  });

  it("previews what would change on the last week's orders", async () => {
    await page.getByRole('button', { name: "What would change on the last 7 days' orders" }).click();
    const headline = page.getByRole('status', { name: 'Headline of the preview' });
    await headline.waitFor(SLOW);
    expect(await headline.locator('p').innerText()).toBe(
      `${ORDERS.length} of ${ORDERS.length} orders would route differently.`,
    );
    const simulations = await must(consign.server.request, 'GET', '/v1/routing/simulations');
    const [simulation] = simulations.data as { id: string; result: { delta: { distance_km: number } } }[];
    const full = await must(consign.server.request, 'GET', `/v1/routing/simulations/${simulation!.id}`);
    expect(full.result.changed_orders).toBe(ORDERS.length);
    expect(await headline.getByText(/^Distance: \+/).innerText()).toBe(
      `Distance: +${Math.round(full.result.delta.distance_km).toLocaleString('en-US')} km`,
    );
    expect(await headline.getByRole('link', { name: 'Full simulation' }).getAttribute('href')).toBe(
      `/routing/simulations/${simulation!.id}`,
    );
    // The page's list of simulations has it too, as rules given inline.
    const listed = page.getByRole('region', { name: 'Simulations' }).locator('tbody tr');
    await listed.first().waitFor(SLOW);
    expect(await listed.first().locator('td').nth(3).innerText()).toBe('inline against the defaults');
  });

  it('saves the draft and activates it only once the dialog listing its changes is confirmed', async () => {
    await page.getByRole('button', { name: 'Validate and save draft' }).click();
    await page.getByText('Saved as draft version 1.').waitFor(SLOW);
    await page.getByRole('button', { name: 'Activate version 1…' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Activate version 1?' });
    await dialog.getByText('Excluded: New York store added').waitFor(SLOW);
    expect(await dialog.locator('li').allInnerTexts()).toEqual([
      'Weight of distance (per km): 1 → 2',
      'Max shipments: no limit → 1',
      'Excluded: New York store added',
    ]);
    await screenshot(page, 'routing-rules-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await must(consign.server.request, 'GET', '/v1/routing/rules')).active.version).toBeNull();

    await page.getByRole('button', { name: 'Activate version 1…' }).first().click();
    await page
      .getByRole('dialog', { name: 'Activate version 1?' })
      .getByRole('button', { name: 'Activate version 1' })
      .click();
    await page.getByRole('heading', { name: 'Active: version 1' }).waitFor(SLOW);
    await page.getByText('Version 1 is active.').waitFor();
    const rules = await must(consign.server.request, 'GET', '/v1/routing/rules');
    expect(rules.active.version).toBe(1);
    expect(rules.active.rules).toMatchObject({ maxShipments: 1, excludedLocations: [network.midtown] });
    expect(rules.active.rules.weights.distance).toBe(2);
  });

  it("tells an order's routing in one plain sentence on the order page", async () => {
    const order = await must(
      consign.server.request,
      'POST',
      '/v1/orders',
      orderBody('WEB-7003', [{ sku: 'TEE-1', quantity: 1 }]),
    );
    const routing = await must(consign.server.request, 'GET', `/v1/orders/${order.id}/routing`);
    const sentence = routing.latest.explanation_text as string;
    // Both ship in zone 2 at the same price; the store Manhattan buys from is kept out by the rules.
    expect(sentence).toBe(
      'Ships from Brooklyn store: nearest with all items, 9 km; Edison distribution center was 44 km and the same ' +
        'freight; New York store (1 km) was nearer but is excluded by the routing rules.',
    );
    await page.goto(`${consign.server.url}/orders/${order.id}`);
    const shown = page.getByTestId('routing-sentence');
    await shown.waitFor(SLOW);
    expect(await shown.innerText()).toBe(sentence);
    await shown.scrollIntoViewIfNeeded();
    await screenshot(page, 'routing-explanation');
  });
  it("lets an admin set a location's daily capacity at once, confirmed first, and an agent only read it", async () => {
    await page.goto(`${consign.server.url}/routing`);
    const form = page.getByRole('form', { name: 'Routing rules draft' });
    const input = form.getByLabel('Daily capacity of Brooklyn store');
    await input.waitFor(SLOW);
    const row = form.getByRole('row', { name: /Brooklyn store/ });

    // The server refuses what is not a whole number of orders, by the field.
    await input.fill('-3');
    await row.getByRole('button', { name: 'Save capacity' }).click();
    await page
      .getByRole('dialog', { name: "Set Brooklyn store's daily capacity to -3 orders?" })
      .getByRole('button', { name: 'Save capacity' })
      .click();
    await row.getByRole('alert').getByText('must be >= 0').waitFor(SLOW);
    expect((await must(consign.server.request, 'GET', `/v1/locations/${network.brooklyn}`)).daily_capacity).toBeNull();

    // Keep leaves it as it is; Save capacity applies it.
    await input.fill('40');
    await row.getByRole('button', { name: 'Save capacity' }).click();
    const dialog = page.getByRole('dialog', { name: "Set Brooklyn store's daily capacity to 40 orders?" });
    await dialog.getByText('It applies to routing at once, whatever version is active.').waitFor();
    await screenshot(page, 'routing-rules-capacity');
    await dialog.getByRole('button', { name: 'Keep' }).click();
    expect((await must(consign.server.request, 'GET', `/v1/locations/${network.brooklyn}`)).daily_capacity).toBeNull();
    await row.getByRole('button', { name: 'Save capacity' }).click();
    await dialog.getByRole('button', { name: 'Save capacity' }).click();
    await page.getByText("Brooklyn store's daily capacity is 40 orders.").waitFor(SLOW);
    expect((await must(consign.server.request, 'GET', `/v1/locations/${network.brooklyn}`)).daily_capacity).toBe(40);
    // The directory every page reads was reloaded: the saved value is the current one.
    await expect.poll(() => row.getByRole('button', { name: 'Save capacity' }).isDisabled(), SLOW).toBe(true);

    const agent = await openPage(browser, consign.server.url, await consign.key('agent'));
    await agent.goto(`${consign.server.url}/routing`);
    const capacities = agent.getByRole('list', { name: 'Daily capacity by location' });
    await capacities.getByText('Brooklyn store: 40 a day').waitFor(SLOW);
    expect(await agent.getByRole('spinbutton').count()).toBe(0);
    expect(await agent.getByRole('button', { name: 'Save capacity' }).count()).toBe(0);
    await agent.close();
  });
});
