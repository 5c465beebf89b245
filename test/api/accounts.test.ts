import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../support/client.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { setStock } from '../support/fixtures.ts';
import { createJourneyNetwork } from '../support/journey.ts';
import { orderBody } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * Staff accounts: people sign in with an e-mail and a password into an HttpOnly session cookie;
 * a session's writes need its CSRF token; wrong passwords lock the account; a sign-in link works
 * once; what a person does is recorded under their name.
 */
let database: TestDatabase;
let server: TestServer;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
}, 120_000);
afterAll(async () => {
  await server?.close();
  await database?.close();
});

/** A browser's view of the server: its cookie, and the CSRF token `/v1/me` gave it. */
interface Browser {
  cookie: string;
  csrf: string;
}

async function call(method: string, path: string, options: { browser?: Browser; body?: unknown; csrf?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.browser) headers.cookie = options.browser.cookie;
  const csrf = options.csrf ?? options.browser?.csrf;
  if (csrf) headers['x-csrf-token'] = csrf;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(server.url + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

function browserOf(response: Awaited<ReturnType<typeof call>>): Browser {
  expect(response.status).toBe(200);
  const setCookie = response.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/^consign_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
  return { cookie: setCookie.split(';')[0]!, csrf: response.body.csrf_token as string };
}

/** An admin invites a person; they follow the link and choose a password. */
async function invite(email: string, role: string, extra: Record<string, unknown> = {}) {
  const invited = await must(server.request, 'POST', '/v1/users', { email, role, ...extra });
  const token = new URL(invited.sign_in_link as string).hash.replace('#token=', '');
  const used = await call('POST', '/v1/auth/sign-in-link', { body: { token, password: PASSWORD } });
  return { user: invited, token, browser: browserOf(used) };
}

const signIn = (email: string, password: string) => call('POST', '/v1/auth/sign-in', { body: { email, password } });

describe('staff accounts', () => {
  it('signs a person in with their password into a session cookie that /v1/me names them by', async () => {
    await invite('Ada@Example.com', 'agent', { name: 'Ada Lovelace' });
    const browser = browserOf(await signIn('ada@example.com', PASSWORD));
    const me = await call('GET', '/v1/me', { browser: { ...browser, csrf: '' } });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      key_id: 'ada@example.com',
      role: 'agent',
      person: { email: 'ada@example.com', name: 'Ada Lovelace' },
      csrf_token: browser.csrf,
    });
    expect(me.body.permissions).toContain('orders:manage');
    expect((await call('GET', '/v1/me')).status).toBe(401);
    expect((await call('GET', '/v1/me', { browser: { cookie: 'consign_session=forged', csrf: '' } })).status).toBe(401);
  });

  it('refuses a wrong password without saying whether the e-mail exists', async () => {
    const wrong = await signIn('ada@example.com', 'not the password');
    const nobody = await signIn('nobody@example.com', 'not the password');
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('sign_in_failed');
    expect(nobody.body).toEqual(wrong.body);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('locks an account after five wrong passwords in a row, even against the right one', async () => {
    await invite('locked@example.com', 'agent');
    for (let i = 1; i <= 4; i++)
      expect((await signIn('locked@example.com', `wrong ${i}`)).body.code).toBe('sign_in_failed');
    const fifth = await signIn('locked@example.com', 'wrong 5');
    expect(fifth.status).toBe(423);
    expect(fifth.body.code).toBe('account_locked');
    expect(Date.parse(fifth.body.locked_until as string)).toBeGreaterThan(Date.now() + 10 * 60_000);
    const right = await signIn('locked@example.com', PASSWORD);
    expect(right.status).toBe(423);
    expect(right.body.code).toBe('account_locked');
    const listed = (await must(server.request, 'GET', '/v1/users')).data as { email: string; locked_until: string }[];
    expect(listed.find((u) => u.email === 'locked@example.com')?.locked_until).toBe(fifth.body.locked_until);
    // An admin's new sign-in link lifts the lock.
    const id = listed.find((u) => u.email === 'locked@example.com') as unknown as { id: string };
    const link = await must(server.request, 'POST', `/v1/users/${id.id}/sign-in-link`, {});
    const token = new URL(link.sign_in_link as string).hash.replace('#token=', '');
    browserOf(await call('POST', '/v1/auth/sign-in-link', { body: { token, password: 'a new password!' } }));
    browserOf(await signIn('locked@example.com', 'a new password!'));
  });

  it("refuses a session's write without its CSRF token, and takes it with the token", async () => {
    const { browser } = await invite('csrf@example.com', 'admin');
    const without = await call('POST', '/v1/tasks', {
      browser: { ...browser, csrf: '' },
      body: { queue: 'review', title: 'Without a token' },
    });
    expect(without.status).toBe(403);
    expect(without.body.code).toBe('csrf_failed');
    const forged = await call('POST', '/v1/tasks', { browser, csrf: 'x'.repeat(43), body: { queue: 'q', title: 't' } });
    expect(forged.body.code).toBe('csrf_failed');
    const withToken = await call('POST', '/v1/tasks', { browser, body: { queue: 'review', title: 'With a token' } });
    expect(withToken.status).toBe(201);
    expect(withToken.body.created_by).toBe('csrf@example.com');
  });

  it('uses a sign-in link once only', async () => {
    const { token } = await invite('once@example.com', 'agent');
    const again = await call('POST', '/v1/auth/sign-in-link', { body: { token, password: 'another password' } });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('invalid_sign_in_link');
    browserOf(await signIn('once@example.com', PASSWORD));
    expect((await signIn('once@example.com', 'another password')).status).toBe(401);
  });

  it('refuses a weak password from a link, and the link still works after', async () => {
    const invited = await must(server.request, 'POST', '/v1/users', { email: 'weak@example.com', role: 'agent' });
    const token = new URL(invited.sign_in_link as string).hash.replace('#token=', '');
    const weak = await call('POST', '/v1/auth/sign-in-link', { body: { token, password: 'short' } });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('validation_failed');
    browserOf(await call('POST', '/v1/auth/sign-in-link', { body: { token, password: PASSWORD } }));
  });

  it('signs out one session, or every session of the person', async () => {
    const { browser: fromLink } = await invite('everywhere@example.com', 'agent');
    const laptop = browserOf(await signIn('everywhere@example.com', PASSWORD));
    const phone = browserOf(await signIn('everywhere@example.com', PASSWORD));
    const tablet = browserOf(await signIn('everywhere@example.com', PASSWORD));
    expect((await call('POST', '/v1/auth/sign-out', { browser: tablet, body: {} })).status).toBe(200);
    expect((await call('GET', '/v1/me', { browser: tablet })).status).toBe(401);
    expect((await call('GET', '/v1/me', { browser: laptop })).status).toBe(200);
    const everywhere = await call('POST', '/v1/auth/sign-out-everywhere', { browser: laptop, body: {} });
    expect(everywhere.body).toEqual({ signed_out: 3 });
    for (const browser of [laptop, phone, fromLink]) {
      const after = await call('GET', '/v1/me', { browser });
      expect(after.status).toBe(401);
      expect(after.body.detail).toMatch(/session has ended/);
    }
  });

  it('ends the sessions of a disabled person and refuses their password', async () => {
    const { user, browser } = await invite('leaver@example.com', 'agent');
    await must(server.request, 'PATCH', `/v1/users/${user.id}`, { disabled: true });
    expect((await call('GET', '/v1/me', { browser })).status).toBe(401);
    expect((await signIn('leaver@example.com', PASSWORD)).body.code).toBe('sign_in_failed');
  });

  it('lets a read-only person read but change nothing', async () => {
    const { browser } = await invite('viewer@example.com', 'read-only');
    expect((await call('GET', '/v1/orders', { browser })).status).toBe(200);
    const write = await call('POST', '/v1/tasks', { browser, body: { queue: 'review', title: 'Not allowed' } });
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ code: 'forbidden', role: 'read-only', permission: 'tasks:write' });
    expect((await call('GET', '/v1/keys', { browser })).status).toBe(403);
  });

  it("names the person on the order's timeline", async () => {
    const network = await createJourneyNetwork(server.request, ['TEE-1']);
    await setStock(server, network.midtown, 'TEE-1', 5);
    const order = await must(
      server.request,
      'POST',
      '/v1/orders',
      orderBody('ACCT-1', [{ sku: 'TEE-1', quantity: 1 }]),
    );
    const { browser } = await invite('grace@example.com', 'agent', { name: 'Grace Hopper' });
    const held = await call('POST', `/v1/orders/${order.id}/hold`, {
      browser,
      body: { kind: 'manual', reason: 'customer called' },
    });
    expect(held.status).toBe(200);
    const read = await must(server.request, 'GET', `/v1/orders/${order.id}`);
    const entry = (read.timeline as { type: string; actor: string }[]).find((e) => e.type === 'order.held');
    expect(entry?.actor).toBe('grace@example.com');
  });

  it('creates API keys with a scope, shows the secret once, records when each was last used, and revokes them', async () => {
    const created = await must(server.request, 'POST', '/v1/keys', { role: 'read-only', name: 'BI dashboards' });
    expect(created.secret).toMatch(/^csk_/);
    const listed = async () =>
      ((await must(server.request, 'GET', '/v1/keys')).data as Record<string, unknown>[]).find(
        (k) => k.id === created.id,
      )!;
    expect(await listed()).toMatchObject({
      name: 'BI dashboards',
      role: 'read-only',
      last_used_at: null,
      revoked_at: null,
    });
    expect(JSON.stringify(await must(server.request, 'GET', '/v1/keys'))).not.toContain(created.secret);
    expect((await server.request('GET', '/v1/orders', { key: created.secret })).status).toBe(200);
    const used = await listed();
    expect(Date.parse(used.last_used_at as string)).toBeGreaterThan(Date.now() - 60_000);
    const unscoped = await server.request('POST', '/v1/keys', { body: { role: 'fulfillment' } });
    expect(unscoped.body.code).toBe('validation_failed');
    const unknown = await server.request('POST', '/v1/keys', { body: { role: 'channel', channel_id: 'nowhere' } });
    expect(unknown.body.code).toBe('unknown_reference');
    await must(server.request, 'POST', `/v1/keys/${created.id}/revoke`, {});
    expect((await listed()).revoked_at).not.toBeNull();
    await expect
      .poll(async () => (await server.request('GET', '/v1/orders', { key: created.secret })).status, {
        timeout: 10_000,
      })
      .toBe(401);
  });
});
