import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../support/client.ts';
import { setStock } from '../support/fixtures.ts';
import { createJourneyNetwork } from '../support/journey.ts';
import { orderBody } from '../support/orders.ts';
import { chromiumOrSkip, DESKTOP, launchChromium, screenshot, signInAsPerson } from './support/browser.ts';
import { startConsoleServer, type ConsoleServer } from './support/console-server.ts';

/** A console action answers after its request commits: on a busy machine that can take seconds. */
const SLOW = { timeout: 15_000 };
const PASSWORD = 'a long enough password';

const chromiumPath = chromiumOrSkip();

describe.runIf(chromiumPath)('console: people sign in as themselves', { timeout: 180_000 }, () => {
  let consign: ConsoleServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let orderId: string;

  /** An admin invites a person; the link is what they would find in their mail or be handed. */
  const invite = async (email: string, name: string, role: string) =>
    (await must(consign.server.request, 'POST', '/v1/users', { email, name, role })).sign_in_link as string;

  /** The invited person opens their link in a browser of their own and chooses a password. */
  const acceptInNewBrowser = async (link: string) => {
    const person = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await person.goto(link.replace(/^http:\/\/[^/]+/, consign.server.url));
    await person.getByLabel('New password').fill(PASSWORD);
    await person.getByLabel('Repeat the password').fill(PASSWORD);
    await person.getByRole('button', { name: 'Set password and sign in' }).click();
    return person;
  };

  beforeAll(async () => {
    consign = await startConsoleServer();
    const request = consign.server.request;
    const network = await createJourneyNetwork(request, ['TEE-1']);
    await setStock(consign.server, network.midtown, 'TEE-1', 10);
    orderId = (await must(request, 'POST', '/v1/orders', orderBody('WEB-2001', [{ sku: 'TEE-1', quantity: 1 }]))).id;
    browser = await launchChromium(chromiumPath!);
    context = await browser.newContext({ viewport: DESKTOP });
    page = await context.newPage();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await consign?.close();
  });

  it('follows a one-time link to choose a password and lands signed in', async () => {
    const link = await invite('grace@example.com', 'Grace Hopper', 'agent');
    await page.goto(link.replace(/^http:\/\/[^/]+/, consign.server.url));
    await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
    await page.getByLabel('New password').fill(PASSWORD);
    await page.getByLabel('Repeat the password').fill(PASSWORD);
    await screenshot(page, 'set-password');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor(SLOW);
    await page.getByText('Grace Hopper · agent').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('E-mail', { exact: true }).waitFor();
  });

  it('refuses a wrong password, then signs in with the right one', async () => {
    await page.goto(consign.server.url);
    await page.getByLabel('E-mail', { exact: true }).fill('grace@example.com');
    await page.getByLabel('Password').fill('not her password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').getByText('The e-mail address or the password is wrong.').waitFor();
    await screenshot(page, 'sign-in-person');
    await signInAsPerson(page, 'grace@example.com', PASSWORD);
    await page.getByRole('heading', { name: 'Orders' }).waitFor();
  });

  it('stays signed in when an order opens in a new tab', async () => {
    const tab = await context.newPage();
    await tab.goto(`${consign.server.url}/orders/${orderId}`);
    await tab.getByRole('heading', { name: /Order WEB-2001/ }).waitFor(SLOW);
    await tab.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await tab.getByLabel('Password').count()).toBe(0);
    await tab.close();
  });

  it("names the person on the order's timeline for what they did", async () => {
    await page.goto(`${consign.server.url}/orders/${orderId}`);
    const heading = page.getByRole('heading', { name: /Order WEB-2001/ });
    await heading.waitFor(SLOW);
    await page.getByLabel('Reason', { exact: true }).fill('Address check');
    await page.getByRole('button', { name: 'Put on hold' }).click();
    await heading.getByText('on hold').waitFor(SLOW);
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByRole('listitem').filter({ hasText: 'Order held' }).getByText('grace@example.com').waitFor(SLOW);
    await screenshot(page, 'timeline-names-person');
  });

  it('says when the session has ended mid-work, and returns to the page after signing in again', async () => {
    // Grace signs out everywhere from another computer.
    const other = await fetch(`${consign.server.url}/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'grace@example.com', password: PASSWORD }),
    });
    const csrf = ((await other.json()) as { csrf_token: string }).csrf_token;
    const everywhere = await fetch(`${consign.server.url}/v1/auth/sign-out-everywhere`, {
      method: 'POST',
      headers: { cookie: other.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': csrf },
    });
    expect(everywhere.status).toBe(200);

    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('alert').getByText('Your session has ended — sign in again.').waitFor(SLOW);
    expect(new URL(page.url()).pathname).toBe('/customers');
    await screenshot(page, 'session-ended');
    await signInAsPerson(page, 'grace@example.com', PASSWORD);
    await page.getByRole('heading', { name: 'Customers' }).waitFor(SLOW);
    expect(new URL(page.url()).pathname).toBe('/customers');
  });

  it('lets an admin create an API key, shows its secret once, and revokes it after confirming', async () => {
    const link = await invite('ops@example.com', 'Ops Admin', 'admin');
    const admin = await acceptInNewBrowser(link);
    await admin.getByRole('link', { name: 'API keys' }).click(SLOW);

    const form = admin.getByRole('form', { name: 'Create an API key' });
    await form.getByLabel('Name').fill('BI dashboards');
    await form.getByLabel('Role').selectOption('read-only');
    await form.getByRole('button', { name: 'Create key' }).click();
    const secret = await admin.getByRole('status', { name: 'New key' }).getByLabel('Secret').innerText(SLOW);
    expect(secret).toMatch(/^csk_/);
    const row = admin.getByRole('region', { name: 'API keys' }).getByRole('row', { name: /BI dashboards/ });
    await row.getByRole('cell', { name: 'never' }).waitFor(SLOW);
    await screenshot(admin, 'api-keys');

    // The key works for a machine; the page shows it used, and the secret is gone once dismissed.
    const used = await fetch(`${consign.server.url}/v1/orders`, { headers: { authorization: `Bearer ${secret}` } });
    expect(used.status).toBe(200);
    await admin.getByRole('button', { name: 'I have stored it' }).click();
    await admin.reload();
    await row.waitFor(SLOW);
    expect(await row.getByRole('cell', { name: 'never' }).count()).toBe(0);
    expect(await admin.getByText(secret).count()).toBe(0);

    await row.getByRole('button', { name: 'Revoke BI dashboards' }).click();
    await admin.getByRole('dialog', { name: 'Revoke BI dashboards?' }).getByRole('button', { name: 'Keep it' }).click();
    await row.getByRole('button', { name: 'Revoke BI dashboards' }).click();
    await admin
      .getByRole('dialog', { name: 'Revoke BI dashboards?' })
      .getByRole('button', { name: 'Yes, revoke' })
      .click();
    await row.getByText('revoked').waitFor(SLOW);
    await admin.getByRole('status').getByText('Revoked BI dashboards.').waitFor(SLOW);
    await expect
      .poll(
        async () =>
          (await fetch(`${consign.server.url}/v1/orders`, { headers: { authorization: `Bearer ${secret}` } })).status,
        SLOW,
      )
      .toBe(401);
    await admin.close();
  });

  it('lets an admin invite a person with a link shown once, and disable them after confirming', async () => {
    const adminLink = await invite('lead@example.com', 'Lead Admin', 'admin');
    const admin = await acceptInNewBrowser(adminLink);
    await admin.getByRole('link', { name: 'Users' }).click(SLOW);

    const form = admin.getByRole('form', { name: 'Invite a person' });
    await form.getByLabel('E-mail', { exact: true }).fill('alan@example.com');
    await form.getByLabel('Name').fill('Alan Turing');
    await form.getByLabel('Role').selectOption('agent');
    await form.getByRole('button', { name: 'Invite' }).click();
    const shown = admin.getByRole('status', { name: 'Sign-in link' });
    const link = await shown.getByLabel('Link').innerText(SLOW);
    expect(link).toMatch(/\/set-password#token=/);
    await admin.getByRole('status').getByText('Invited Alan Turing.').waitFor(SLOW);
    const row = admin.getByRole('region', { name: 'People' }).getByRole('row', { name: /alan@example\.com/ });
    await row.getByText('invited').waitFor(SLOW);
    await screenshot(admin, 'users');

    // Alan opens the link in his own browser, chooses a password and works as an agent.
    const alan = await acceptInNewBrowser(link);
    await alan.getByText('Alan Turing · agent').waitFor(SLOW);
    await alan.getByRole('link', { name: 'Orders' }).waitFor(SLOW);
    expect(await alan.getByRole('link', { name: 'Users' }).count()).toBe(0);

    await admin.getByRole('button', { name: 'I have handed it over' }).click();
    expect(await admin.getByText(link).count()).toBe(0);
    await admin.reload();
    await row.getByText('active').waitFor(SLOW);
    await row.getByRole('button', { name: 'Disable Alan Turing' }).click();
    await admin
      .getByRole('dialog', { name: 'Disable Alan Turing?' })
      .getByRole('button', { name: 'Keep them' })
      .click();
    expect(await row.getByText('active').count()).toBe(1);
    await row.getByRole('button', { name: 'Disable Alan Turing' }).click();
    await admin
      .getByRole('dialog', { name: 'Disable Alan Turing?' })
      .getByRole('button', { name: 'Yes, disable' })
      .click();
    await admin.getByRole('status').getByText('Disabled Alan Turing.').waitFor(SLOW);
    await row.getByText('disabled').waitFor(SLOW);

    // His session has ended: the next page he opens asks him to sign in.
    await alan.getByRole('link', { name: 'Customers' }).click();
    await alan.getByRole('alert').getByText('Your session has ended — sign in again.').waitFor(SLOW);
    await alan.getByLabel('E-mail', { exact: true }).waitFor();
    await alan.close();
    await admin.close();
  });
});
