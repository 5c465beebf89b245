import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAutomationWorker } from '../../src/automations/index.ts';
import { must } from '../support/client.ts';
import { createSmallNetwork, setStock } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { TEST_ADMIN_KEY } from '../support/server.ts';
import { chromiumOrSkip, launchChromium, navLinks, openPage, screenshot } from './support/browser.ts';
import { startConsoleServer, type ConsoleServer } from './support/console-server.ts';

const chromiumPath = chromiumOrSkip();
const SLOW = { timeout: 15_000 };

describe.runIf(chromiumPath)('console: automation rules', { timeout: 180_000 }, () => {
  let consign: ConsoleServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    consign = await startConsoleServer();
    const net = await createSmallNetwork(consign.server, 0);
    await must(consign.server.request, 'POST', '/v1/products', { sku: 'BIG-1', name: 'Big thing' });
    await must(consign.server.request, 'PATCH', `/v1/locations/${net.storeA}`, {
      latitude: 42.3601,
      longitude: -71.0589,
    });
    await setStock(consign.server, net.storeA, 'BIG-1', 10);
    browser = await launchChromium(chromiumPath!);
    page = await openPage(browser, consign.server.url, TEST_ADMIN_KEY);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await consign?.close();
  });

  it('writes a rule in a form, shows where its condition is wrong, and activates it', async () => {
    await page.getByRole('link', { name: 'Automations' }).click();
    await page.getByRole('heading', { name: 'Automations' }).waitFor();
    await page.getByText('No automation rules yet.').waitFor();
    await page.getByRole('button', { name: 'New rule' }).click();
    const form = page.getByRole('form', { name: 'Automation rule' });
    await form.getByLabel('Name', { exact: true }).fill('Hold big web orders');
    await form.getByLabel(/Event types/).fill('order.created');
    await form.getByLabel(/condition/).fill('order.total_minor > "500"');
    const first = form.getByRole('group', { name: 'Action 1' });
    await first.getByLabel('Hold kind').selectOption('review');
    await first.getByLabel('Reason', { exact: true }).fill('big order');
    await form.getByRole('button', { name: 'Save draft' }).click();
    const fault = form.getByLabel('Condition fault');
    await fault.waitFor(SLOW);
    // The caret sits under the offending operand, where the server says the fault is.
    const [text, caret] = (await fault.innerText()).split('\n');
    expect(text).toBe('order.total_minor > "500"');
    expect(caret!.indexOf('^')).toBeGreaterThan(0);
    expect(await must(consign.server.request, 'GET', '/v1/automations')).toEqual({ data: [] });
    await screenshot(page, 'automation-invalid');

    await form.getByLabel(/condition/).fill('order.total_minor > 50000 and order.channel_code == "web"');
    await form.getByRole('button', { name: 'Check' }).click();
    await form.getByText('The rule is valid.').waitFor(SLOW);
    await form.getByRole('button', { name: 'Add an action' }).click();
    const second = form.getByRole('group', { name: 'Action 2' });
    await second.getByLabel('Do').selectOption({ label: 'Add a tag' });
    await second.getByLabel('Tag', { exact: true }).fill('big-order');
    await form.getByRole('button', { name: 'Save and activate' }).click();

    const row = page
      .getByRole('region', { name: 'Automation rules' })
      .getByRole('row', { name: /Hold big web orders/ });
    await row.getByText('version 1').waitFor(SLOW);
    const saved = await must(consign.server.request, 'GET', '/v1/automations');
    expect(saved.data).toHaveLength(1);
    expect(saved.data[0]).toMatchObject({ name: 'Hold big web orders', active_version: 1 });
    expect(saved.data[0].versions[0]).toMatchObject({
      status: 'active',
      trigger: { event_types: ['order.created'] },
      condition: 'order.total_minor > 50000 and order.channel_code == "web"',
      actions: [
        { type: 'hold', kind: 'review', reason: 'big order' },
        { type: 'add_tag', tag: 'big-order' },
      ],
    });
    const versions = page.getByRole('region', { name: 'Versions of Hold big web orders' });
    await versions.getByText('put on review hold: big order').waitFor(SLOW);
    await screenshot(page, 'automations');
  });

  it('dry-runs the rule over past events, then lists what it did to the order when it ran', async () => {
    const placed = await placeOrder(consign.server, orderBody('AUTO-1', [{ sku: 'BIG-1', quantity: 1, price: 60000 }]));
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const id = placed.body.id as string;
    await page.getByRole('button', { name: 'Dry run version 1' }).click();
    await page.getByText(/^1 of \d+ event\(s\) would have run the rule\.$/).waitFor(SLOW);
    await page.getByRole('region', { name: 'Dry run matches' }).getByRole('link', { name: id }).waitFor();
    // A dry run does nothing: the order is neither held nor tagged.
    expect(await must(consign.server.request, 'GET', `/v1/orders/${id}`)).toMatchObject({ holds: [], tags: [] });

    const worker = createAutomationWorker(consign.database.db, { gapGraceMs: 0 });
    for (let i = 0; i < 4; i++) await worker.tick();
    await page.getByRole('button', { name: 'Refresh executions' }).click();
    const runs = page.getByRole('region', { name: 'Executions' });
    await runs.getByRole('link', { name: id }).waitFor(SLOW);
    expect(await runs.getByRole('row').count()).toBe(2);
    const held = await must(consign.server.request, 'GET', `/v1/orders/${id}`);
    expect(held.tags).toEqual(['big-order']);
    expect(held.holds).toMatchObject([{ kind: 'review', reason: 'big order', released_at: null }]);
  });

  it('saves a schedule as a new draft version, activates it, and retires the rule', async () => {
    const form = page.getByRole('form', { name: 'Automation rule' });
    await form.getByLabel('On a schedule').check();
    await form.getByLabel('Every (minutes)').fill('15');
    await form.getByLabel(/condition/).fill('order.age_minutes > 60 and order.authorized_minor == 0');
    await form.getByRole('button', { name: 'Remove action 2' }).click();
    const first = form.getByRole('group', { name: 'Action 1' });
    await first.getByLabel('Do').selectOption({ label: 'Cancel the order' });
    await first.getByLabel('Reason', { exact: true }).fill('unpaid after an hour');
    await form.getByLabel('Notes').fill('cancel unpaid orders');
    await form.getByRole('button', { name: 'Save draft' }).click();
    const versions = page.getByRole('region', { name: 'Versions of Hold big web orders' });
    await versions.getByRole('button', { name: 'Activate version 2' }).click(SLOW);
    await versions.locator('tr[data-version="2"]').getByText('every 15 min').waitFor(SLOW);
    await expect
      .poll(async () => (await must(consign.server.request, 'GET', '/v1/automations')).data[0].active_version, SLOW)
      .toBe(2);
    const rule = (await must(consign.server.request, 'GET', '/v1/automations')).data[0];
    expect(rule.versions.map((v: { status: string }) => v.status)).toEqual(['active', 'retired']);
    expect(rule.versions[0]).toMatchObject({
      trigger: { every_minutes: 15 },
      actions: [{ type: 'cancel', reason: 'unpaid after an hour' }],
      notes: 'cancel unpaid orders',
    });

    await versions.getByRole('button', { name: 'Deactivate' }).click();
    await expect
      .poll(async () => (await must(consign.server.request, 'GET', '/v1/automations')).data[0].active_version, SLOW)
      .toBe(null);
  });

  it('shows an agent the rules but no way to change them', async () => {
    const agent = await openPage(browser, consign.server.url, await consign.key('agent'));
    expect(await navLinks(agent)).toContain('Automations');
    // The page is served at its own address too: a reload or a shared link opens it.
    await agent.goto(`${consign.server.url}/automations`);
    await agent.getByRole('heading', { name: 'Automations' }).waitFor(SLOW);
    await agent.getByRole('button', { name: 'Hold big web orders' }).click();
    await agent.getByRole('region', { name: 'Versions of Hold big web orders' }).waitFor(SLOW);
    expect(await agent.getByRole('button', { name: 'New rule' }).count()).toBe(0);
    expect(await agent.getByRole('form', { name: 'Automation rule' }).count()).toBe(0);
    expect(await agent.getByRole('button', { name: /Activate|Deactivate/ }).count()).toBe(0);
    await agent.close();
  });
});
