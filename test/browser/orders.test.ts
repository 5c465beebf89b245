import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../support/client.ts';
import { setStock } from '../support/fixtures.ts';
import { createJourneyNetwork, type JourneyNetwork } from '../support/journey.ts';
import { orderBody } from '../support/orders.ts';
import { TEST_ADMIN_KEY } from '../support/server.ts';
import {
  chromiumOrSkip,
  DESKTOP,
  launchChromium,
  navLinks,
  openPage,
  PHONE,
  screenshot,
  signIn,
} from './support/browser.ts';
import { FIRST_LOAD_JS_BUDGET_BYTES, firstLoadJsGzipBytes } from '../../scripts/build-console.ts';
import { startConsoleServer, type ConsoleServer } from './support/console-server.ts';

/** A console action answers after its request commits: on a busy machine that can take seconds. */
const SLOW = { timeout: 15_000 };

const chromiumPath = chromiumOrSkip();
const SKUS = ['TEE-1', 'MUG-2'];
const usd = (minor: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(minor / 100);

describe.runIf(chromiumPath)('console: sign-in, orders, order 360, inventory, roles', { timeout: 180_000 }, () => {
  let consign: ConsoleServer;
  let browser: Browser;
  let page: Page;
  let network: JourneyNetwork;
  let orderId: string;

  beforeAll(async () => {
    consign = await startConsoleServer();
    const request = consign.server.request;
    network = await createJourneyNetwork(request, SKUS);
    for (const sku of SKUS) await setStock(consign.server, network.midtown, sku, 10);
    const order = await must(
      request,
      'POST',
      '/v1/orders',
      orderBody('WEB-1001', [
        { sku: 'TEE-1', quantity: 3 },
        { sku: 'MUG-2', quantity: 1 },
      ]),
    );
    orderId = order.id;
    await must(request, 'POST', '/v1/orders', orderBody('WEB-1002', [{ sku: 'MUG-2', quantity: 1 }]));
    browser = await launchChromium(chromiumPath!);
    page = await browser.newPage({ viewport: DESKTOP });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await consign?.close();
  });

  it('keeps the first-load JavaScript within 150 kB gzipped, and serves it compressed', async () => {
    expect(FIRST_LOAD_JS_BUDGET_BYTES).toBe(150_000);
    expect(firstLoadJsGzipBytes().gzipBytes).toBeLessThanOrEqual(FIRST_LOAD_JS_BUDGET_BYTES);
    const html = await (await fetch(consign.server.url)).text();
    const script = /<script[^>]+src="([^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    for (const encoding of ['br', 'gzip']) {
      const response = await fetch(consign.server.url + script!, { headers: { 'accept-encoding': encoding } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-encoding')).toBe(encoding);
      expect(response.headers.get('content-type')).toMatch(/javascript/);
    }
  });

  it('refuses an unknown key and signs in with a real one', async () => {
    await page.goto(consign.server.url);
    await page.getByRole('button', { name: 'Use an API key' }).click();
    await page.getByLabel('API key').fill('csk_not_a_key');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').getByText('unknown or revoked').waitFor();
    await screenshot(page, 'sign-in');
    await signIn(page, consign.server.url, TEST_ADMIN_KEY);
    expect(await navLinks(page)).toEqual([
      'Orders',
      'Customers',
      'Inventory',
      'Fulfillment queue',
      'Returns desk',
      'Routing rules',
      'Automations',
      'Notifications',
      'Dashboards',
      'Connectors',
      'Settings',
      'API keys',
      'Users',
    ]);
  });

  it('finds an order by external ID with the keyboard and opens its 360 with the API figures', async () => {
    await page.getByRole('link', { name: 'Orders' }).click();
    await page.getByLabel('Search', { exact: true }).fill('WEB-1001');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('region', { name: 'Orders' }).getByRole('row').count(), SLOW).toBe(2);
    await screenshot(page, 'orders');
    await page.getByRole('link', { name: 'WEB-1001' }).click();
    await page.getByRole('heading', { name: /Order WEB-1001/ }).waitFor();
    const order = await must(consign.server.request, 'GET', `/v1/orders/${orderId}`);
    expect(await page.getByTestId('order-total').innerText()).toBe(usd(order.total.amount));
    for (const line of order.lines) {
      const row = page.locator(`tr[data-line="${line.line_id}"]`);
      expect(await row.locator('[data-bucket="ordered"]').innerText()).toBe(String(line.quantities.ordered));
      expect(await row.locator('[data-bucket="allocated"]').innerText()).toBe(String(line.quantities.allocated));
    }
    const routing = page.getByRole('region', { name: 'Candidate locations' });
    await routing
      .getByRole('row', { name: /New York store/ })
      .getByText('chosen')
      .waitFor();
    expect(await page.locator('#timeline li').count()).toBe(order.timeline.length);
    await screenshot(page, 'order-360');
  });

  it('shows the warnings of an order whose delivery address routing could not locate, and none otherwise', async () => {
    const { shipping_address: address, ...body } = orderBody('WEB-1003', [{ sku: 'MUG-2', quantity: 1 }]);
    const { latitude: _lat, longitude: _lon, ...withoutCoordinates } = address;
    const order = await must(consign.server.request, 'POST', '/v1/orders', {
      ...body,
      shipping_address: { ...withoutCoordinates, postal_code: '01310-100', city: 'São Paulo', country: 'BR' },
    });
    expect(order.warnings.map((w: { code: string }) => w.code)).toEqual(['destination_not_located']);
    await page.goto(`${consign.server.url}/orders/${order.id}`);
    const warnings = page.getByRole('region', { name: 'Warnings' });
    await warnings.waitFor(SLOW);
    expect(await warnings.innerText()).toBe(order.warnings[0].detail);
    await page.goto(`${consign.server.url}/orders/${orderId}`);
    await page.getByRole('heading', { name: /Order WEB-1001/ }).waitFor();
    expect(await page.getByRole('region', { name: 'Warnings' }).count()).toBe(0);
  });

  it('cancels a line and the inventory page shows availability risen by as much', async () => {
    const before = (await must(consign.server.request, 'GET', '/v1/availability?skus=TEE-1')).data[0].available;
    const cancel = page.getByRole('form', { name: 'Cancel a line' });
    await cancel.getByLabel('Line').selectOption('L1');
    await cancel.getByLabel('Quantity').fill('2');
    await cancel.getByRole('button', { name: 'Cancel line' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => page.locator('tr[data-line="L1"] [data-bucket="cancelled"]').innerText(), SLOW).toBe('2');
    const after = (await must(consign.server.request, 'GET', '/v1/availability?skus=TEE-1')).data[0].available;
    expect(after).toBe(before + 2);

    await page.getByRole('link', { name: 'Inventory' }).click();
    await page.getByLabel('SKUs').fill('TEE-1');
    await page.getByRole('button', { name: 'Show availability' }).click();
    await expect.poll(() => page.getByTestId('available-TEE-1').innerText(), SLOW).toBe(String(after));
    await screenshot(page, 'inventory');
  });

  it("shows a location's stock with the SKU's ledger and adjusts it with a reason", async () => {
    await page.getByRole('tab', { name: 'By location' }).click();
    await page.getByRole('combobox', { name: /^Location/ }).selectOption({ label: 'New York store (ST-MIDTOWN)' });
    await page.getByRole('button', { name: 'TEE-1' }).click();
    const ledger = page.getByRole('region', { name: 'Ledger of TEE-1' });
    const entries = await must(
      consign.server.request,
      'GET',
      `/v1/inventory/ledger?sku=TEE-1&location_id=${network.midtown}`,
    );
    await expect.poll(() => ledger.getByRole('row').count(), SLOW).toBe(entries.data.length + 1);
    const adjust = page.getByRole('form', { name: 'Adjust stock' });
    await adjust.getByLabel('Change (±)').fill('-1');
    await adjust.getByLabel('Reason').fill('damaged in store');
    await adjust.getByRole('button', { name: 'Adjust' }).click();
    const onHand = async () =>
      (await must(consign.server.request, 'GET', `/v1/inventory/${network.midtown}/TEE-1`)).on_hand;
    await expect.poll(onHand, SLOW).toBe(9);
    const row = page.getByRole('region', { name: 'Stock at this location' }).getByRole('row', { name: /TEE-1/ });
    await expect.poll(async () => (await row.getByRole('cell').allInnerTexts())[2], SLOW).toBe(String(await onHand()));
    await ledger.getByText('damaged in store').waitFor();
    await screenshot(page, 'inventory-location');
  });

  it('puts the order on hold and releases it', async () => {
    await page.goto(`${consign.server.url}/orders/${orderId}`);
    const heading = page.getByRole('heading', { name: /Order WEB-1001/ });
    await heading.waitFor();
    await page.getByLabel('Reason', { exact: true }).fill('Address check');
    await page.getByRole('button', { name: 'Put on hold' }).click();
    await heading.getByText('on hold').waitFor();
    expect((await must(consign.server.request, 'GET', `/v1/orders/${orderId}`)).on_hold).toBe(true);
    await page.getByRole('button', { name: 'Release manual hold' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await heading.getByText('on hold').waitFor({ state: 'detached' });
    expect((await must(consign.server.request, 'GET', `/v1/orders/${orderId}`)).on_hold).toBe(false);
  });

  it('marks an order imported from a previous system and offers neither hold nor cancel on it', async () => {
    const request = consign.server.request;
    const imported = await must(request, 'POST', '/v1/imports/history', {
      channel: 'web',
      orders: [
        {
          id: 'LEGACY-77',
          status: 'confirmed',
          placed_at: '2026-10-01T10:00:00Z',
          customer: { email: 'legacy@example.com', name: 'Legacy customer' },
          lines: [{ id: '1', sku: 'TEE-1', quantity: 1, unit_price_minor: 2_500 }],
          total_minor: 2_500,
        },
      ],
    });
    expect(imported).toMatchObject({ imported: 1, rejected: 0 });
    const [order] = (await must(request, 'GET', '/v1/orders?limit=200')).data.filter(
      (o: { external_id: string }) => o.external_id === 'LEGACY-77',
    );
    await page.goto(`${consign.server.url}/orders/${order.id}`);
    const heading = page.getByRole('heading', { name: /Order LEGACY-77/ });
    await heading.getByText('imported (unmanaged)').waitFor();
    const actions = page.getByRole('region', { name: 'Actions' });
    await actions.waitFor();
    expect(await actions.getByRole('button', { name: 'Put on hold' }).count()).toBe(0);
    expect(await actions.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
    // The API refuses both: the console offers only what the server would take.
    const hold = await request('POST', `/v1/orders/${order.id}/hold`, { body: { kind: 'manual', reason: 'x' } });
    expect([hold.status, hold.body.code]).toEqual([409, 'order_unmanaged']);
    // Back to the order the next steps work on.
    await page.goto(`${consign.server.url}/orders/${orderId}`);
    await page.getByRole('heading', { name: /Order WEB-1001/ }).waitFor();
  });

  it('edits a line with a preview of the new total and payment delta, then confirms it', async () => {
    const before = await must(consign.server.request, 'GET', `/v1/orders/${orderId}`);
    const edit = page.getByRole('form', { name: 'Edit order' });
    await edit.getByLabel('Quantity of L2').fill('2');
    await edit.getByLabel('Why', { exact: true }).fill('Customer wants two');
    await edit.getByRole('button', { name: 'Preview' }).click();
    await page.getByTestId('change-preview').waitFor();
    const changes = await must(consign.server.request, 'GET', `/v1/orders/${orderId}/changes`);
    const drafted = changes.data[0];
    const preview = (await must(consign.server.request, 'GET', `/v1/orders/${orderId}/changes/${drafted.id}`)).preview;
    expect(await page.getByTestId('change-delta').innerText()).toBe(usd(preview.delta.amount));
    expect(await page.getByTestId('change-total').innerText()).toBe(usd(preview.after.total.amount));
    await page.getByRole('button', { name: 'Confirm change' }).click();
    await expect.poll(() => page.getByTestId('order-total').innerText(), SLOW).toBe(usd(preview.after.total.amount));
    const after = await must(consign.server.request, 'GET', `/v1/orders/${orderId}`);
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.lines[1].quantity).toBe(2);
    await page.locator('#timeline').getByText('order change confirmed').waitFor();
  });

  it('saves a routing-rules draft only when valid, and activates it', async () => {
    await page.getByRole('link', { name: 'Routing rules' }).click();
    await page.getByRole('button', { name: 'Advanced (JSON)' }).click();
    const editor = page.getByLabel('Rules (JSON)');
    await editor.fill('{ not json');
    await page.getByRole('button', { name: 'Validate and save draft' }).click();
    await page.getByText('Not valid JSON').waitFor();
    const rules = (await must(consign.server.request, 'GET', '/v1/routing/rules')).active.rules;
    await editor.fill(JSON.stringify({ ...rules, maxShipments: -3 }));
    await page.getByRole('button', { name: 'Validate and save draft' }).click();
    await page.getByRole('alert').getByText('validation_failed').waitFor();
    await editor.fill(JSON.stringify({ ...rules, maxShipments: 1 }));
    await page.getByRole('button', { name: 'Validate and save draft' }).click();
    await page.getByText('Saved as draft version 1').waitFor();
    await page.getByRole('button', { name: 'Activate version 1…' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Activate version 1?' });
    await dialog.getByText('Max shipments: no limit → 1').waitFor();
    await dialog.getByRole('button', { name: 'Activate version 1' }).click();
    await page.getByRole('heading', { name: 'Active: version 1' }).waitFor();
    expect((await must(consign.server.request, 'GET', '/v1/routing/rules')).active.version).toBe(1);
    await screenshot(page, 'routing-rules');
  });

  it('offers each role only what its key may do', async () => {
    const roles = await openPage(browser, consign.server.url, await consign.key('agent'));
    const agentLinks = await navLinks(roles);
    expect(agentLinks).not.toContain('Settings');
    expect(agentLinks).toContain('Returns desk');
    await roles.getByRole('link', { name: 'Routing rules' }).click();
    await roles.getByRole('heading', { name: /Active/ }).waitFor();
    expect(await roles.getByRole('button', { name: 'Validate and save draft' }).count()).toBe(0);
    await roles.close();

    const associate = await openPage(
      browser,
      consign.server.url,
      await consign.key('fulfillment', { locationIds: [network.brooklyn] }),
    );
    expect(await navLinks(associate)).toEqual(['Inventory', 'Fulfillment queue']);
    await associate.getByRole('heading', { name: /Fulfillment queue/ }).waitFor();
    const options = associate.getByRole('combobox', { name: /^Location/ }).locator('option');
    await expect.poll(() => options.allInnerTexts(), SLOW).toEqual(['Brooklyn store (ST-BROOKLYN)']);
    await associate.close();
  });

  it('is usable from the keyboard: tab to a section, Enter, and focus lands on its heading', async () => {
    await page.getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('heading', { name: 'Orders' }).waitFor();
    await page.getByRole('link', { name: 'Skip to content' }).focus();
    const focused = () => page.evaluate<string>("document.activeElement?.textContent?.trim() ?? ''");
    for (let presses = 0; presses < 12 && (await focused()) !== 'Inventory'; presses++)
      await page.keyboard.press('Tab');
    expect(await focused()).toBe('Inventory');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Inventory' }).waitFor();
    expect(await page.evaluate<string>('document.activeElement?.tagName')).toBe('H1');
  });

  it('saves a screenshot of every main page', async () => {
    for (const [link, heading, name] of [
      ['Customers', 'Customers', 'customers'],
      ['Fulfillment queue', /Fulfillment queue/, 'queue-admin'],
      ['Returns desk', 'Returns desk', 'returns-desk-empty'],
      ['Dashboards', 'Dashboards', 'dashboards-page'],
      ['Settings', 'Settings', 'settings'],
    ] as const) {
      await page.getByRole('link', { name: link }).click();
      await page.getByRole('heading', { name: heading }).first().waitFor();
      await page.getByText(/Loading|Computing/).waitFor({ state: 'detached' });
      await screenshot(page, name);
    }
  });

  it('works at phone width with the menu behind a button', async () => {
    const phone = await openPage(browser, consign.server.url, TEST_ADMIN_KEY, PHONE);
    expect(await phone.getByRole('link', { name: 'Inventory' }).isVisible()).toBe(false);
    await phone.getByRole('button', { name: 'Menu' }).click();
    await phone.getByRole('link', { name: 'Inventory' }).waitFor({ state: 'visible' });
    await phone.getByRole('link', { name: 'Orders' }).click();
    await phone.getByRole('link', { name: 'WEB-1002' }).waitFor();
    await screenshot(phone, 'orders-phone');
    await phone.close();
  });
});
