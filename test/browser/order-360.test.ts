import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, type CreatedKey } from '../../src/auth/index.ts';
import { must } from '../support/client.ts';
import { setStock } from '../support/fixtures.ts';
import { createJourneyNetwork } from '../support/journey.ts';
import { orderBody } from '../support/orders.ts';
import { chromiumOrSkip, launchChromium, openPage, screenshot } from './support/browser.ts';
import { startConsoleServer, type ConsoleServer } from './support/console-server.ts';
import { deliverAll, placeAndShip } from './support/data.ts';

/** A console action answers after its request commits: on a busy machine that can take seconds. */
const SLOW = { timeout: 20_000 };

const chromiumPath = chromiumOrSkip();
const usd = (minor: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(minor / 100);

describe.runIf(chromiumPath)('console: an agent works one order on its 360', { timeout: 240_000 }, () => {
  let consign: ConsoleServer;
  let browser: Browser;
  let page: Page;
  let agent: CreatedKey;
  let orderId: string;
  let deliveredId: string;

  beforeAll(async () => {
    consign = await startConsoleServer();
    const request = consign.server.request;
    const network = await createJourneyNetwork(request, ['TEE-1', 'MUG-2']);
    for (const sku of ['TEE-1', 'MUG-2']) await setStock(consign.server, network.midtown, sku, 20);
    const order = await must(
      request,
      'POST',
      '/v1/orders',
      orderBody('WEB-3601', [
        { sku: 'TEE-1', quantity: 3 },
        { sku: 'MUG-2', quantity: 1, price: 2500 },
      ]),
    );
    orderId = order.id;
    deliveredId = await placeAndShip(request, 'WEB-3602', [{ sku: 'MUG-2', quantity: 1 }]);
    await deliverAll(request, deliveredId);
    agent = await createApiKey(consign.database.db, { role: 'agent', name: 'Front desk' });
    browser = await launchChromium(chromiumPath!);
    page = await openPage(browser, consign.server.url, agent.secret);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await consign?.close();
  });

  const api = (path: string) => must(consign.server.request, 'GET', path);
  const dialog = () => page.getByRole('dialog');
  const status = () => page.locator('.toast-area [role="status"]');

  it('shows where the order goes, its channel and its total', async () => {
    await page.goto(`${consign.server.url}/orders/${orderId}`);
    await page.getByRole('heading', { name: /Order WEB-3601/ }).waitFor(SLOW);
    const order = await api(`/v1/orders/${orderId}`);
    const destination = await page.getByTestId('order-destination').innerText();
    for (const part of ['Pat Doe', '350 5th Ave', '10118 New York NY', 'US']) expect(destination).toContain(part);
    await expect.poll(() => page.getByTestId('order-channel').innerText(), SLOW).toBe('Web');
    expect(await page.getByTestId('order-total').innerText()).toBe(usd(order.current_total.amount));
    expect(order.current_total).toEqual(order.total);
  });

  it('cancels a line only once the dialog is confirmed, says so, and shows the total after it', async () => {
    const cancel = page.getByRole('form', { name: 'Cancel a line' });
    await cancel.getByLabel('Line').selectOption('L1');
    await cancel.getByLabel('Quantity').fill('1');
    await cancel.getByRole('button', { name: 'Cancel line' }).click();
    await dialog().getByRole('heading', { name: 'Cancel 1 of line L1?' }).waitFor(SLOW);
    expect(await dialog().innerText()).toContain('This cannot be undone');
    // Keep leaves the order as it is.
    await dialog().getByRole('button', { name: 'Keep' }).click();
    await dialog().waitFor({ state: 'detached' });
    expect((await api(`/v1/orders/${orderId}`)).lines[0].quantities.cancelled).toBe(0);

    await cancel.getByRole('button', { name: 'Cancel line' }).click();
    await screenshot(page, 'order-360-confirm');
    await dialog().getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => status().innerText(), SLOW).toBe('Cancelled 1 of line L1.');
    await expect.poll(() => page.locator('tr[data-line="L1"] [data-bucket="cancelled"]').innerText(), SLOW).toBe('1');
    const order = await api(`/v1/orders/${orderId}`);
    expect(order.current_total.amount).toBeLessThan(order.total.amount);
    expect(await page.getByTestId('order-total').innerText()).toBe(usd(order.current_total.amount));
    expect(await page.getByTestId('order-total-before').innerText()).toContain(usd(order.total.amount));
  });

  it('puts the order on hold with who placed it, and releases it after a confirmation', async () => {
    const heading = page.getByRole('heading', { name: /Order WEB-3601/ });
    await page.getByLabel('Reason', { exact: true }).fill('Address check');
    await page.getByRole('button', { name: 'Put on hold' }).click();
    await heading.getByText('on hold').waitFor(SLOW);
    await expect.poll(() => status().innerText(), SLOW).toBe('Order put on a manual hold.');
    const hold = page.getByRole('region', { name: 'Holds' }).locator('tr[data-hold="manual"]');
    const cells = await hold.getByRole('cell').allInnerTexts();
    expect(cells.slice(0, 3)).toEqual(['manual active', 'Address check', agent.id]);

    await page.getByRole('button', { name: 'Release manual hold' }).click();
    expect(await dialog().getByRole('heading').innerText()).toBe('Release the manual hold?');
    await dialog().getByRole('button', { name: 'Confirm' }).click();
    await heading.getByText('on hold').waitFor({ state: 'detached', ...SLOW });
    await expect.poll(() => status().innerText(), SLOW).toBe('The manual hold is released.');
    expect((await hold.getByRole('cell').allInnerTexts())[4]).toContain(`by ${agent.id}`);
    expect((await api(`/v1/orders/${orderId}`)).on_hold).toBe(false);
    const held = page.locator('#timeline li[data-event="order.held"]');
    expect(await held.innerText()).toContain('manual hold · “Address check”');
    expect(await held.locator('[data-actor]').innerText()).toBe(`by ${agent.id}`);
  });

  it('adds a note and a tag, both on the timeline with the agent as actor', async () => {
    const note = page.getByRole('form', { name: 'Add a note' });
    await note.getByLabel('Note').fill('Customer asked for a gift receipt.');
    await note.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => status().innerText(), SLOW).toBe('Note added.');
    const notes = page.getByRole('list', { name: 'Notes' });
    await notes.getByText('Customer asked for a gift receipt.').waitFor(SLOW);
    expect(await notes.innerText()).toContain(agent.id);

    const tag = page.getByRole('form', { name: 'Add a tag' });
    await tag.getByLabel('Tag').fill('VIP');
    await tag.getByRole('button', { name: 'Add tag' }).click();
    await expect.poll(() => status().innerText(), SLOW).toBe('Tagged vip.');
    await page.getByRole('list', { name: 'Tags' }).getByText('vip').waitFor(SLOW);

    const noted = page.locator('#timeline li[data-event="order.note_added"]');
    expect(await noted.innerText()).toContain('“Customer asked for a gift receipt.”');
    expect(await noted.locator('[data-actor]').innerText()).toBe(`by ${agent.id}`);
    const tagged = page.locator('#timeline li[data-event="order.tagged"]');
    expect(await tagged.innerText()).toContain('vip');
    expect(await tagged.locator('[data-actor]').innerText()).toBe(`by ${agent.id}`);
    const order = await api(`/v1/orders/${orderId}`);
    expect(order.tags).toEqual(['vip']);
    expect(order.notes.map((n: { author: string }) => n.author)).toEqual([agent.id]);
    await screenshot(page, 'order-360-agent');

    await page.getByRole('button', { name: 'Remove tag vip' }).click();
    await expect.poll(() => status().innerText(), SLOW).toBe('Tag vip removed.');
    await page.locator('#timeline li[data-event="order.untagged"]').waitFor(SLOW);
    expect((await api(`/v1/orders/${orderId}`)).tags).toEqual([]);
  });

  it('offers no hold and no cancellation on a delivered order, only a refund that asks first', async () => {
    await page.goto(`${consign.server.url}/orders/${deliveredId}`);
    const heading = page.getByRole('heading', { name: /Order WEB-3602/ });
    await heading.getByText('delivered', { exact: true }).waitFor(SLOW);
    const actions = page.getByRole('region', { name: 'Actions' });
    await actions.waitFor();
    expect(await actions.getByRole('button', { name: 'Put on hold' }).count()).toBe(0);
    expect(await actions.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
    const hold = await consign.server.request('POST', `/v1/orders/${deliveredId}/hold`, {
      body: { kind: 'manual', reason: 'x' },
    });
    expect([hold.status, hold.body.code]).toEqual([409, 'illegal_transition']);

    const refund = actions.getByRole('form', { name: 'Refund' });
    await refund.getByLabel('Refund amount').fill('5.00');
    await refund.getByRole('button', { name: 'Refund' }).click();
    await dialog().getByRole('heading', { name: 'Refund $5.00?' }).waitFor(SLOW);
    await dialog().getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => status().innerText(), SLOW).toBe('Refunded $5.00.');
    const refunds = (await api(`/v1/orders/${deliveredId}`)).payments.filter(
      (p: { kind: string }) => p.kind === 'refund',
    );
    expect(refunds.map((p: { amount: { amount: number } }) => p.amount.amount)).toEqual([500]);
    await screenshot(page, 'order-360-delivered');
  });
});
