import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifier, type Notifier } from '../../src/notifications/index.ts';
import { gapGraceMsFor } from '../../src/streaming/index.ts';
import { must } from '../support/client.ts';
import { testEngine } from '../support/db.ts';
import { createSmallNetwork, setStock } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { TEST_ADMIN_KEY } from '../support/server.ts';
import { SmtpPeer } from '../support/smtp-peer.ts';
import { chromiumOrSkip, launchChromium, openPage, screenshot } from './support/browser.ts';
import { startConsoleServer, type ConsoleServer } from './support/console-server.ts';

const chromiumPath = chromiumOrSkip();
const SLOW = { timeout: 15_000 };

/**
 * The notifications page against a real server and a real SMTP peer: a template edited, refused
 * where it is wrong, previewed, saved, raced by an edit made through the API, and reset; a mail the
 * peer refused (dead at its first failure here) found in the outbox and sent again.
 */
describe.runIf(chromiumPath)('console: notifications', { timeout: 180_000 }, () => {
  let consign: ConsoleServer;
  let browser: Browser;
  let page: Page;
  let peer: SmtpPeer;
  let notifier: Notifier;
  let order: { id: string; external_id: string };
  const consoleErrors: string[] = [];
  const api = (method: string, path: string, body?: unknown) => must(consign.server.request, method, path, body);
  const template = async (kind: string, locale: string) =>
    (await api('GET', '/v1/notification-templates')).data.find(
      (t: { kind: string; locale: string }) => t.kind === kind && t.locale === locale,
    );

  beforeAll(async () => {
    consign = await startConsoleServer();
    peer = await new SmtpPeer().start();
    notifier = createNotifier(consign.database.db, {
      settings: { smtpUrl: peer.url, from: 'Shop <orders@shop.example>', webhookUrl: undefined, publicUrl: undefined },
      gapGraceMs: gapGraceMsFor(testEngine()),
      retryScheduleMs: [],
    });
    const net = await createSmallNetwork(consign.server, 1);
    await api('PATCH', `/v1/locations/${net.storeA}`, { latitude: 42.3601, longitude: -71.0589 });
    await setStock(consign.server, net.storeA, net.skus[0]!, 40);
    const placed = await placeOrder(consign.server, orderBody('NTF-1', [{ sku: net.skus[0]!, quantity: 1 }]));
    if (placed.status !== 201) throw new Error(JSON.stringify(placed.body));
    order = placed.body as { id: string; external_id: string };
    peer.refuse = true;
    expect(await notifier.tick()).toMatchObject({ messages: 1, dead: 1 });
    peer.refuse = false;
    // A page of newer messages (the outbox shows 25 a page): the dead one is on the second.
    for (let n = 2; n <= 26; n++) {
      const next = await placeOrder(consign.server, orderBody(`NTF-${n}`, [{ sku: net.skus[0]!, quantity: 1 }]));
      if (next.status !== 201) throw new Error(JSON.stringify(next.body));
    }
    expect(await notifier.tick()).toMatchObject({ messages: 25, sent: 25 });
    browser = await launchChromium(chromiumPath!);
    page = await openPage(browser, consign.server.url, TEST_ADMIN_KEY);
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    // The API's refusals (409, 422) are answers the page shows; anything else logged as an error is a fault.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        consoleErrors.push(message.text());
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await peer?.stop();
    await consign?.close();
  });

  it('edits a template, shows a refused part under its field, previews the change, saves and resets it', async () => {
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    const row = page
      .getByRole('region', { name: 'Notification templates' })
      .getByRole('row', { name: /^Edit shipped \(en\) en / });
    await row.getByText('Built-in').waitFor(SLOW);
    // From the keyboard: Enter on the template's button, and focus lands in its editor.
    await row.getByRole('button', { name: 'Edit shipped (en)' }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(
        () => page.evaluate<string>("document.activeElement?.closest('label')?.firstChild?.textContent ?? ''"),
        SLOW,
      )
      .toBe('Channel');
    const form = page.getByRole('form', { name: 'Notification template' });
    const subject = form.getByLabel('Subject', { exact: true });
    expect(await subject.inputValue()).toBe((await template('shipped', 'en')).built_in.subject);
    await form.getByText('Variables a template can use').click();
    await form.getByRole('list', { name: 'Template variables' }).getByText('{{tracking_url}}').waitFor();

    await form.getByRole('button', { name: 'Preview' }).click();
    const previewSubject = form.getByTestId('preview-subject');
    await previewSubject.getByText('SAMPLE-1001').waitFor(SLOW);
    await subject.fill('Parcel {{order_number}} left with {{carrier}}');
    await form.getByLabel('Text part').fill('Hello {{customer_name}}, track it: {{tracking_url}}');
    await form.getByLabel('HTML part (e-mail)').fill('<h1>Parcel {{order_number}}</h1><p>{{tracking_number}}</p>');
    await form.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => previewSubject.innerText(), SLOW).toBe('Parcel SAMPLE-1001 left with ups');
    const html = page.frameLocator('iframe[title="HTML preview"]');
    await html.getByRole('heading', { name: 'Parcel SAMPLE-1001' }).waitFor(SLOW);
    expect(await form.getByLabel('Text preview').innerText()).toContain(
      'Hello Alex Example, track it: https://www.ups.com/track?tracknum=1Z999AA10123456784',
    );
    // A preview with the real order's facts.
    await form.getByLabel(/Preview with order ID/).fill(order.id);
    await form.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => previewSubject.innerText(), SLOW).toBe(`Parcel ${order.external_id} left with`);
    await screenshot(page, 'notification-template-preview');

    // A misspelt field is refused under the part it is in, and nothing is stored.
    await form.getByLabel('Text part').fill('Hello {{customer_nme}}');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    const problem = form.locator('#template-text-problem');
    await problem.getByText('customer_nme').waitFor(SLOW);
    expect(await form.getByLabel('Text part').getAttribute('aria-invalid')).toBe('true');
    expect((await template('shipped', 'en')).edited).toEqual([]);

    // Saved with the keyboard: Enter in the subject submits the form.
    await form.getByLabel('Text part').fill('Hello {{customer_name}}, track it: {{tracking_url}}');
    await subject.focus();
    await page.keyboard.press('Enter');
    await form.getByRole('status').getByText('Saved.').waitFor(SLOW);
    expect((await template('shipped', 'en')).edited).toEqual([
      expect.objectContaining({ channel: 'all', subject: 'Parcel {{order_number}} left with {{carrier}}' }),
    ]);
    await row.getByText('Edited: every channel').waitFor(SLOW);

    // An edit saved meanwhile through the API: the form offers a reload and keeps what was typed.
    await api('PUT', '/v1/notification-templates/shipped/en', { subject: 'Meanwhile {{order_number}}', text: 'x' });
    await subject.fill('Parcel {{order_number}} is on its way');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    const changed = form.getByTestId('template-changed');
    await changed.waitFor(SLOW);
    expect((await template('shipped', 'en')).edited[0].subject).toBe('Meanwhile {{order_number}}');
    await changed.getByRole('button', { name: 'Reload template' }).click();
    await form.getByText('Reloaded the template').waitFor(SLOW);
    expect(await subject.inputValue()).toBe('Parcel {{order_number}} is on its way');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await form.getByRole('status').getByText('Saved.').waitFor(SLOW);
    expect((await template('shipped', 'en')).edited[0].subject).toBe('Parcel {{order_number}} is on its way');

    page.once('dialog', (dialog) => void dialog.accept());
    await form.getByRole('button', { name: 'Reset to built-in' }).click();
    await row.getByText('Built-in').waitFor(SLOW);
    const builtIn = (await template('shipped', 'en')) as { edited: unknown[]; built_in: { subject: string } };
    expect(builtIn.edited).toEqual([]);
    await expect.poll(() => subject.inputValue(), SLOW).toBe(builtIn.built_in.subject);
    expect(await form.getByRole('button', { name: 'Reset to built-in' }).count()).toBe(0);
  });

  it('pages the outbox in the URL, newest first', async () => {
    const messages = page.getByRole('region', { name: 'Messages' });
    const rows = messages.getByRole('row');
    await expect.poll(() => rows.count(), SLOW).toBe(26); // 25 and the header
    expect(await messages.getByRole('row', { name: new RegExp(order.id) }).count()).toBe(0);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Next' }).click();
    await messages.getByRole('row', { name: new RegExp(order.id) }).waitFor(SLOW);
    expect(new URL(page.url()).searchParams.getAll('cursor')).toHaveLength(1);
    // The address alone shows the same page.
    await page.reload();
    await messages
      .getByRole('row', { name: new RegExp(order.id) })
      .getByText('dead')
      .waitFor(SLOW);
    expect(await rows.count()).toBe(2);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Previous' }).click();
    await expect.poll(() => rows.count(), SLOW).toBe(26);
    expect(new URL(page.url()).search).toBe('');
  });

  it('shows the dead message in the outbox, filtered in the URL, and sends it again', async () => {
    const outbox = page.getByRole('search', { name: 'Filter messages' });
    await outbox.getByLabel('Status').selectOption('dead');
    await outbox.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('status')).toBe('dead');
    const messages = page.getByRole('region', { name: 'Messages' });
    const row = messages.getByRole('row', { name: new RegExp(order.id) });
    await row.getByText('451').waitFor(SLOW);
    expect(await row.getByText('order confirmed').count()).toBe(1);
    await screenshot(page, 'notification-outbox');

    // The address alone shows the same: reload the page.
    await page.reload();
    await messages.getByRole('row', { name: new RegExp(order.id) }).waitFor(SLOW);

    page.once('dialog', (dialog) => void dialog.accept());
    await messages.getByRole('button', { name: /^Resend order confirmed/ }).click();
    await page.getByRole('status').getByText('is queued to be sent again').waitFor(SLOW);
    await page.getByText('No messages that are dead.').waitFor(SLOW);
    const [message] = (await api('GET', `/v1/notifications?order_id=${order.id}`)).data;
    expect(message).toMatchObject({ status: 'queued', attempts: 0, last_error: null });
    expect(await notifier.send()).toMatchObject({ sent: 1 });
    expect(peer.messages.at(-1)!.subject).toContain(order.external_id);

    const search = page.getByRole('search', { name: 'Filter messages' });
    await search.getByLabel('Status').selectOption('sent');
    // Sent now, and among 25 newer ones: found by its order.
    await search.getByLabel('Order ID').fill(order.id);
    await search.getByRole('button', { name: 'Show' }).click();
    const sent = page.getByRole('region', { name: 'Messages' }).getByRole('row', { name: new RegExp(order.id) });
    await sent.getByRole('link', { name: order.id }).click();
    await page.waitForURL(`**/orders/${order.id}`);
    expect(consoleErrors).toEqual([]);
  });
});
