import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../support/client.ts';
import { setStock } from '../support/fixtures.ts';
import { createJourneyNetwork, type JourneyNetwork } from '../support/journey.ts';
import { orderBody } from '../support/orders.ts';
import { TEST_ADMIN_KEY } from '../support/server.ts';
import { chromiumOrSkip, DESKTOP, launchChromium, screenshot, signIn } from './support/browser.ts';
import { startConsoleServer, type ConsoleServer } from './support/console-server.ts';

const chromiumPath = chromiumOrSkip();
/** A confirmation authorizes and routes: on a busy machine it takes more than expect.poll's default second. */
const SLOW = { timeout: 15_000 };
const usd = (minor: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(minor / 100);

/**
 * The order 360's edit in a real browser against a real server: an order whose first line has
 * shipped from the DC (locked) and whose second waits at the Midtown store is edited through
 * every kind of field, previewed, confirmed, and raced by a change made through the API.
 */
describe.runIf(chromiumPath)('console: editing an order through change orders', { timeout: 180_000 }, () => {
  let consign: ConsoleServer;
  let browser: Browser;
  let page: Page;
  let network: JourneyNetwork;
  let orderId: string;
  const api = (method: string, path: string, body?: unknown) => must(consign.server.request, method, path, body);
  const edit = () => page.getByRole('form', { name: 'Edit order' });
  const latestChange = async () => (await api('GET', `/v1/orders/${orderId}/changes`)).data[0];

  beforeAll(async () => {
    consign = await startConsoleServer();
    network = await createJourneyNetwork(consign.server.request, ['TEE-1', 'MUG-2', 'CAP-3']);
    await setStock(consign.server, network.dc, 'TEE-1', 10);
    for (const store of [network.midtown, network.brooklyn]) {
      await setStock(consign.server, store, 'MUG-2', 10);
      await setStock(consign.server, store, 'CAP-3', 10);
    }
    const order = await api(
      'POST',
      '/v1/orders',
      orderBody('WEB-3001', [
        { sku: 'TEE-1', quantity: 2 },
        { sku: 'MUG-2', quantity: 1 },
      ]),
    );
    orderId = order.id;
    const fromDc = (order.fulfillment_orders as { id: string; location_id: string }[]).find(
      (fo) => fo.location_id === network.dc,
    )!;
    for (const step of ['accept', 'pick', 'pack']) await api('POST', `/v1/fulfillment-orders/${fromDc.id}/${step}`, {});
    await api('POST', `/v1/fulfillment-orders/${fromDc.id}/ship`, { carrier: 'UPS', tracking_number: '1ZWEB3001' });
    browser = await launchChromium(chromiumPath!);
    page = await browser.newPage({ viewport: DESKTOP });
    await signIn(page, consign.server.url, TEST_ADMIN_KEY);
    await page.goto(`${consign.server.url}/orders/${orderId}`);
    await page.getByRole('heading', { name: /Order WEB-3001/ }).waitFor();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await consign?.close();
  });

  it('shows the shipped line locked with its reason, and previews a pickup at a store that takes pickups', async () => {
    expect((await api('GET', `/v1/orders/${orderId}`)).status).toBe('partially_shipped');
    expect(await edit().getByTestId('lock-L1').innerText()).toBe('Locked: all 2 unit(s) shipped');
    expect(await edit().getByLabel('Unit price of L1').isDisabled()).toBe(true);
    expect(await edit().getByLabel('Remove L1').isDisabled()).toBe(true);
    expect(await edit().getByLabel('Quantity of L1').isDisabled()).toBe(true);
    expect(await edit().getByLabel('Unit price of L2').isDisabled()).toBe(false);
    expect(await edit().getByTestId('lock-L2').innerText()).toBe('');
    expect(await edit().getByTestId('shipping-lock').innerText()).toBe('Locked: the first shipment has left');

    await edit().getByLabel('Delivery method').selectOption('pickup');
    const stores = await edit().getByLabel('Pickup store').locator('option').allInnerTexts();
    expect(stores.sort()).toEqual(['Brooklyn store (ST-BROOKLYN)', 'New York store (ST-MIDTOWN)']);
    await edit().getByLabel('Pickup store').selectOption({ label: 'Brooklyn store (ST-BROOKLYN)' });
    await edit().getByRole('button', { name: 'Preview' }).click();
    await page.getByTestId('change-preview').waitFor();
    const drafted = await latestChange();
    expect(drafted.actions).toEqual([
      { type: 'change_delivery_method', delivery_method: 'pickup', pickup_location_id: network.brooklyn },
    ]);
    const moves = page.getByRole('region', { name: 'Routing the change causes' });
    expect(await moves.locator(`tr[data-routing="${network.brooklyn}:L2"] [data-move="placed"]`).innerText()).toBe('1');
    expect(await moves.locator(`tr[data-routing="${network.midtown}:L2"] [data-move="released"]`).innerText()).toBe(
      '1',
    );
    await page.getByRole('button', { name: 'Discard' }).click();
    await page.getByTestId('change-preview').waitFor({ state: 'detached' });
    expect((await latestChange()).status).toBe('cancelled');
    await edit().getByLabel('Delivery method').selectOption('ship');
  });

  it("shows a refused change's problem next to the form and writes nothing", async () => {
    await edit().getByRole('button', { name: 'Add a line' }).click();
    const added = edit().locator('[data-new-line="0"]');
    await added.getByLabel('SKU').fill('NOPE-9');
    await added.getByLabel('Quantity').fill('2');
    await added.getByLabel(/Unit price/).fill('15.00');
    await edit().getByRole('button', { name: 'Preview' }).click();
    const alert = page.locator('#edit-order [role="alert"]');
    await alert.getByText('unknown_sku').waitFor();
    expect(await alert.innerText()).toContain('NOPE-9');
    expect((await api('GET', `/v1/orders/${orderId}/changes`)).data.map((c: { status: string }) => c.status)).toEqual([
      'cancelled',
    ]);
  });

  it('adds a line and changes the address, previews the new total, delta and routing, then confirms a new version', async () => {
    const before = await api('GET', `/v1/orders/${orderId}`);
    await edit().locator('[data-new-line="0"]').getByLabel('SKU').fill('CAP-3');
    await edit().getByLabel('New shipping address').check();
    await edit().getByLabel('Street', { exact: true }).fill('1 Clinton St');
    await edit().getByLabel('City').fill('Brooklyn');
    await edit().getByLabel('Postal code').fill('11201');
    await edit().getByLabel('Why', { exact: true }).fill('Customer moved and wants caps');
    await edit().getByRole('button', { name: 'Preview' }).click();
    await page.getByTestId('change-preview').waitFor();

    const drafted = await latestChange();
    const preview = (await api('GET', `/v1/orders/${orderId}/changes/${drafted.id}`)).preview;
    expect(preview.delta.amount).toBe(preview.after.total.amount - before.total.amount);
    expect(preview.delta.amount).toBeGreaterThan(0);
    expect(await page.getByTestId('change-total').innerText()).toBe(usd(preview.after.total.amount));
    expect(await page.getByTestId('change-delta').innerText()).toBe(usd(preview.delta.amount));
    expect(await page.getByTestId('change-settlement').innerText()).toBe(
      `authorizing ${usd(preview.settlement.authorize.amount)}`,
    );
    const routing = page.getByRole('region', { name: 'Routing the change causes' });
    for (const move of preview.routing.placed as { line_id: string; location_id: string; quantity: number }[]) {
      const row = routing.locator(`tr[data-routing="${move.location_id}:${move.line_id}"]`);
      expect(await row.locator('[data-move="placed"]').innerText()).toBe(String(move.quantity));
    }
    const caps = (preview.lines as { sku: string; line_id: string }[]).find((l) => l.sku === 'CAP-3')!;
    expect(preview.routing.placed).toContainEqual(
      expect.objectContaining({ line_id: caps.line_id, location_id: network.brooklyn, quantity: 2 }),
    );
    await page.locator('[data-locked-line="L1"]').getByText('2 unit(s) shipped, locked').waitFor();
    await screenshot(page, 'order-change-preview');

    await page.getByRole('button', { name: 'Confirm change' }).click();
    await expect.poll(() => page.getByTestId('order-total').innerText(), SLOW).toBe(usd(preview.after.total.amount));
    const after = await api('GET', `/v1/orders/${orderId}`);
    expect(after.version).toBe(before.version + 1);
    expect(after.shipping_address.city).toBe('Brooklyn');
    const version = page.locator(`#versions tr[data-version="${after.version}"]`);
    await version.getByText('Customer moved and wants caps').waitFor();
    expect(await version.locator('td').nth(2).innerText()).toBe(usd(preview.delta.amount));
    expect(await edit().locator('[data-new-line]').count()).toBe(0);
    expect(await edit().getByLabel('New shipping address').isChecked()).toBe(false);
    expect(await edit().getByLabel('Why', { exact: true }).inputValue()).toBe('');
  });

  it('answers a change confirmed meanwhile through the API with a reload hint, and reloads keeping the edits', async () => {
    const caps = (await api('GET', `/v1/orders/${orderId}`)).lines.find((l: { sku: string }) => l.sku === 'CAP-3');
    await edit().getByLabel('Quantity of L2').fill('2');
    await edit().getByLabel(`Unit price of ${caps.line_id}`).fill('12.00');
    const why = edit().getByLabel(`Why the price of ${caps.line_id} changes`);
    await edit().getByRole('button', { name: 'Preview' }).click();
    expect(await edit().locator(`input[aria-label="Why the price of ${caps.line_id} changes"]:invalid`).count()).toBe(
      1,
    );
    expect((await latestChange()).status).toBe('confirmed');
    await why.fill('Price match');
    await edit().getByRole('button', { name: 'Preview' }).click();
    await page.getByTestId('change-preview').waitFor();

    const meanwhile = await api('POST', `/v1/orders/${orderId}/changes`, {
      reason: 'goodwill by phone',
      actions: [{ type: 'add_discount', code: 'SORRY', amount: { amount: 100, currency: 'USD' } }],
    });
    await api('POST', `/v1/orders/${orderId}/changes/${meanwhile.id}/confirm`, {});
    const raced = await api('GET', `/v1/orders/${orderId}`);

    await page.getByRole('button', { name: 'Confirm change' }).click();
    const conflict = page.getByTestId('version-conflict');
    await conflict.getByText(`it is now at version ${raced.version}`).waitFor();
    expect(await page.getByRole('button', { name: 'Confirm change' }).count()).toBe(0);
    await screenshot(page, 'order-change-conflict');
    await conflict.getByRole('button', { name: 'Reload order' }).click();
    await expect.poll(() => page.getByTestId('order-total').innerText(), SLOW).toBe(usd(raced.total.amount));
    await page.locator(`#edit-order form[data-version="${raced.version}"]`).waitFor();
    expect(await edit().getByLabel('Quantity of L2').inputValue()).toBe('2');
    expect(await edit().getByLabel(`Unit price of ${caps.line_id}`).inputValue()).toBe('12.00');
    expect(await edit().getByLabel(`Why the price of ${caps.line_id} changes`).inputValue()).toBe('Price match');
    expect(await page.getByTestId('version-conflict').count()).toBe(0);

    await edit().getByRole('button', { name: 'Preview' }).click();
    await page.getByTestId('change-preview').waitFor();
    const drafted = await latestChange();
    expect(drafted.base_version).toBe(raced.version);
    const preview = (await api('GET', `/v1/orders/${orderId}/changes/${drafted.id}`)).preview;
    await page.getByRole('button', { name: 'Confirm change' }).click();
    await expect.poll(() => page.getByTestId('order-total').innerText(), SLOW).toBe(usd(preview.after.total.amount));
    const after = await api('GET', `/v1/orders/${orderId}`);
    expect(after.version).toBe(raced.version + 1);
    expect(after.lines.find((l: { line_id: string }) => l.line_id === 'L2').quantity).toBe(2);
    expect(after.lines.find((l: { line_id: string }) => l.line_id === caps.line_id).unit_price.amount).toBe(1200);
    await page.locator(`#versions tr[data-version="${after.version}"]`).waitFor();
    const stale = (await api('GET', `/v1/orders/${orderId}/changes`)).data.filter(
      (c: { status: string }) => c.status === 'open',
    );
    expect(stale).toEqual([]);
  });

  it('takes the shipping charge and a discount back on an order not yet shipped, settling by a void', async () => {
    const fresh = await api('POST', '/v1/orders', orderBody('WEB-3002', [{ sku: 'MUG-2', quantity: 3 }]));
    await page.goto(`${consign.server.url}/orders/${fresh.id}`);
    await page.getByRole('heading', { name: /Order WEB-3002/ }).waitFor();
    await edit()
      .getByLabel(/Shipping charge/)
      .fill('0');
    await edit().getByRole('button', { name: 'Take back a discount' }).click();
    await edit().locator('[data-discount="0"]').getByLabel('Code').fill('WELCOME');
    await edit()
      .locator('[data-discount="0"]')
      .getByLabel(/Amount/)
      .fill('1.00');
    await edit().getByRole('button', { name: 'Preview' }).click();
    await page.getByTestId('change-preview').waitFor();
    const drafted = (await api('GET', `/v1/orders/${fresh.id}/changes`)).data[0];
    expect(drafted.actions).toEqual([
      { type: 'remove_discount', code: 'WELCOME', amount: { amount: 100, currency: 'USD' } },
      { type: 'set_shipping', amount: { amount: 0, currency: 'USD' } },
    ]);
    const preview = (await api('GET', `/v1/orders/${fresh.id}/changes/${drafted.id}`)).preview;
    expect(preview.delta.amount).toBeLessThan(0);
    expect(await page.locator('[data-total="after-shipping"]').innerText()).toBe(usd(0));
    expect(await page.locator('[data-total="after-discount"]').innerText()).toBe(usd(fresh.discount.amount - 100));
    expect(await page.getByTestId('change-settlement').innerText()).toBe(
      `voiding ${usd(preview.settlement.void.amount)}`,
    );
    await page.getByRole('button', { name: 'Confirm change' }).click();
    await expect.poll(() => page.getByTestId('order-total').innerText(), SLOW).toBe(usd(preview.after.total.amount));
    await page.locator(`#versions tr[data-version="${fresh.version + 1}"]`).waitFor();
  });
});
