import fs from 'node:fs';
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
const SLOW = { timeout: 15_000 };
const usd = (amount: number) => ({ amount, currency: 'USD' });

describe.runIf(chromiumPath)(
  'console: a shadow channel reconciled with the legacy system',
  { timeout: 180_000 },
  () => {
    let consign: ConsoleServer;
    let browser: Browser;
    let page: Page;
    let network: JourneyNetwork;
    const today = new Date().toISOString().slice(0, 10);

    beforeAll(async () => {
      consign = await startConsoleServer();
      const request = consign.server.request;
      network = await createJourneyNetwork(request, ['TEE-1']);
      await setStock(consign.server, network.midtown, 'TEE-1', 10);
      await must(request, 'POST', `/v1/channels/${network.channelId}/shadow`);
      const placed: Record<string, { total: number; location: string }> = {};
      for (const id of ['R-1', 'R-2', 'R-3']) {
        const body = orderBody(id, [{ sku: 'TEE-1', quantity: 1 }]);
        const shadow = await must(request, 'POST', '/v1/orders', body);
        expect(shadow.mode).toBe('shadow');
        placed[id] = { total: body.total.amount, location: shadow.decision.allocations[0].location_id };
      }
      const allocation = (id: string, location: string) => ({
        external_id: id,
        kind: 'allocation',
        sku: 'TEE-1',
        location,
        quantity: 1,
      });
      // Planted: R-2 allocated at Brooklyn, R-1's total a cent more, R-3 never seen, L-9 never received.
      await must(request, 'POST', '/v1/shadow/outcomes?channel=web', [
        allocation('R-1', placed['R-1']!.location),
        { external_id: 'R-1', kind: 'money', total: usd(placed['R-1']!.total + 1) },
        allocation('R-2', network.brooklyn),
        { external_id: 'L-9', kind: 'status', status: 'shipped', placed_at: new Date().toISOString() },
      ]);
      browser = await launchChromium(chromiumPath!);
      page = await openPage(browser, consign.server.url, TEST_ADMIN_KEY);
    }, 180_000);
    afterAll(async () => {
      await browser?.close();
      await consign?.close();
    });

    it('shows exactly the planted differences, per kind and one by one, as the API reports them', async () => {
      await page.getByRole('link', { name: 'Dashboards' }).click();
      await page.getByRole('link', { name: 'Parallel run: reconciliation' }).click();
      const form = page.getByRole('form', { name: 'Reconciliation period' });
      await form.getByLabel('Channel').selectOption(network.channelId);
      await form.getByLabel('From').fill(today);
      await form.getByLabel('To (included)').fill(today);
      await form.getByRole('button', { name: 'Reconcile' }).click();
      await page.getByText('Orders: 3 in Consign, 3 in the legacy system').waitFor(SLOW);

      const metric = (kind: string) => page.locator(`[data-metric="${kind}"] dd`).innerText();
      const planted = {
        only_in_consign: '1',
        only_in_legacy: '1',
        status: '0',
        allocation: '1',
        money: '1',
        stock: '0',
      };
      for (const [kind, count] of Object.entries(planted)) expect(await metric(kind), kind).toBe(count);

      const rows = page.getByRole('region', { name: 'Differences' }).locator('tbody tr');
      expect(await rows.count()).toBe(4);
      const row = (kind: string) => rows.locator(`xpath=self::*[@data-kind="${kind}"]`);
      expect(await row('only_in_consign').locator('td').nth(2).innerText()).toBe('R-3');
      expect(await row('only_in_legacy').locator('td').nth(2).innerText()).toBe('L-9');
      expect(await row('allocation').locator('[data-side="legacy"]').innerText()).toBe('1 at Brooklyn store');
      const money = row('money');
      expect(await money.locator('td').nth(4).innerText()).toBe('total');
      const api = await must(
        consign.server.request,
        'GET',
        `/v1/shadow/reconciliation?channel=web&from=${today}&to=${today}`,
      );
      const apiMoney = api.differences.find((d: { kind: string }) => d.kind === 'money');
      expect(await money.locator('[data-side="consign"]').innerText()).toBe(String(apiMoney.consign));
      expect(Number(apiMoney.legacy) - Number(apiMoney.consign)).toBe(1);
      await screenshot(page, 'reconciliation');
    });

    it('downloads the report as the API’s CSV', async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download CSV' }).click(),
      ]);
      const text = fs.readFileSync((await download.path())!, 'utf8');
      const api = await consign.server.request(
        'GET',
        `/v1/shadow/reconciliation?channel=web&from=${today}&to=${today}&format=csv`,
      );
      expect(text).toBe(api.body as string);
      expect(text.trim().split('\r\n')).toHaveLength(5);
    });
  },
);
