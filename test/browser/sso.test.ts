import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../support/client.ts';
import { chromiumOrSkip, DESKTOP, launchChromium, screenshot } from './support/browser.ts';
import { startConsoleServer, type ConsoleServer } from './support/console-server.ts';
import { startOidcProvider, type OidcTestProvider } from './support/oidc-provider.ts';

const SLOW = { timeout: 20_000 };
const chromiumPath = chromiumOrSkip();

describe.runIf(chromiumPath)('console: single sign-on by OpenID Connect', { timeout: 180_000 }, () => {
  let provider: OidcTestProvider;
  let consign: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    provider = await startOidcProvider({
      lin: { email: 'Lin@Example.com', name: 'Lin Support', groups: ['staff', 'support'] },
      max: { email: 'max@example.com', name: 'Max Marketing', groups: ['marketing'] },
    });
    consign = await startConsoleServer({
      oidc: {
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        roleClaim: 'groups',
        roleMap: [
          { value: 'ops-admins', role: 'admin' },
          { value: 'support', role: 'agent' },
        ],
        label: 'Example SSO',
      },
    });
    provider.serve(`${consign.server.url}/v1/auth/oidc/callback`);
    browser = await launchChromium(chromiumPath!);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await consign?.close();
    await provider?.close();
  });

  /** Goes through the provider's own login and consent pages as the account `login`. */
  async function signInAtProvider(page: Awaited<ReturnType<Browser['newPage']>>, login: string) {
    await page.getByRole('link', { name: 'Sign in with Example SSO' }).click();
    await page.locator('input[name="login"]').fill(login, SLOW);
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click(SLOW);
  }

  it('signs a person in through the provider, with the role their group maps to, back on the page asked for', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(`${consign.server.url}/customers`);
    await page.getByRole('link', { name: 'Sign in with Example SSO' }).waitFor(SLOW);
    await screenshot(page, 'sign-in-sso');
    await signInAtProvider(page, 'lin');
    await page.getByText('Lin Support · agent').waitFor(SLOW);
    expect(new URL(page.url()).pathname).toBe('/customers');
    await page.getByRole('heading', { name: 'Customers' }).waitFor(SLOW);
    const people = (await must(consign.server.request, 'GET', '/v1/users')).data as Record<string, unknown>[];
    expect(people.find((p) => p.email === 'lin@example.com')).toMatchObject({ role: 'agent', sso: true });
    await page.close();
  });

  it('refuses a person whose groups map to no role, and says why', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(consign.server.url);
    await signInAtProvider(page, 'max');
    await page
      .getByRole('alert')
      .getByText(/has no groups that Consign maps to a role/)
      .waitFor(SLOW);
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    await screenshot(page, 'sign-in-sso-refused');
    await page.close();
  });
});
