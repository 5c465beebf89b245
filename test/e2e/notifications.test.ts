import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNotifier } from '../../src/notifications/index.ts';
import { cursorPosition, gapGraceMsFor, type OutboxWorker } from '../../src/streaming/index.ts';
import { deliver, receiveAll, returnBody, startReturnsWorld, type ReturnsWorld } from '../api/returns-support.ts';
import { ship } from '../api/payments-support.ts';
import { testEngine } from '../support/db.ts';
import { makeDue, messagesOf } from '../support/notifications.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { SmtpPeer } from '../support/smtp-peer.ts';
import { waitFor } from '../support/wait.ts';

/**
 * Customer notifications as `consign serve` sends them: the notifier runs in the background, and
 * every mail is received and parsed by a real SMTP server.
 */
let world: ReturnsWorld;
let peer: SmtpPeer;
let notifier: OutboxWorker;
const errors: unknown[] = [];
beforeAll(async () => {
  world = await startReturnsWorld();
  peer = await new SmtpPeer().start();
  notifier = startNotifier(world.database.db, {
    intervalMs: 50,
    settings: { smtpUrl: peer.url, from: 'orders@shop.example', webhookUrl: undefined, publicUrl: world.server.url },
    gapGraceMs: gapGraceMsFor(testEngine()),
    onError: (error) => errors.push(error),
  });
});
afterAll(async () => {
  await notifier?.stop();
  await peer?.stop();
  await world?.close();
  expect(errors).toEqual([]);
});
const request = (...args: Parameters<ReturnsWorld['server']['request']>) => world.server.request(...args);
const sku = () => world.net.skus[0]!;

const mailsTo = (address: string) =>
  peer.messages.filter((mail) => !Array.isArray(mail.to) && mail.to?.value[0]?.address === address);

/** Waits for the `count`-th mail to `address` and returns it. */
async function nthMail(address: string, count: number): Promise<ParsedMail> {
  return waitFor(`mail ${count} to ${address}`, () => mailsTo(address)[count - 1], {
    timeoutMs: 30_000,
    describe: () =>
      mailsTo(address)
        .map((m) => m.subject)
        .join(' | '),
  });
}

/** The List-Unsubscribe link (mailparser reads the `List-*` headers into `list`). */
const unsubscribeHeader = (mail: ParsedMail) =>
  (mail.headers.get('list') as { unsubscribe?: { url?: string } } | undefined)?.unsubscribe?.url;

async function place(externalId: string, over: Record<string, unknown> = {}) {
  const placed = await placeOrder(world.server, orderBody(externalId, [{ sku: sku(), quantity: 2 }], over));
  if (placed.status !== 201) throw new Error(JSON.stringify(placed.body));
  return placed.body as { id: string; fulfillment_orders: { id: string }[] };
}

describe('an order’s mails, from confirmation to refund', () => {
  const to = 'e2e-1@example.com';
  let orderId: string;

  it('confirms the order, then sends the tracking link when it ships', async () => {
    const order = await place('E2E-1');
    orderId = order.id;
    expect((await nthMail(to, 1)).subject).toBe('Your order E2E-1 is confirmed');
    const foId = order.fulfillment_orders[0]!.id;
    const shipped = await ship(world.server, foId);
    const mail = await nthMail(to, 2);
    const tracking = `1Z${foId.slice(-10)}`;
    expect(mail.subject).toBe('Your order E2E-1 is on its way');
    expect(mail.text).toContain(
      `has shipped with ups (${tracking}). Track it: https://www.ups.com/track?tracknum=${tracking}`,
    );
    expect(mail.html).toContain(`<a href="https://www.ups.com/track?tracknum&#x3D;${tracking}">`);
    expect(unsubscribeHeader(mail)).toBeUndefined(); // transactional
    await deliver(world.server, shipped.shipment_id);
    const delivered = await nthMail(to, 3);
    expect(delivered.subject).toBe('Your order E2E-1 was delivered');
    expect(delivered.text).toMatch(new RegExp(`Unsubscribe: ${world.server.url}/v1/unsubscribe\\?token=\\S+`));
    expect(unsubscribeHeader(delivered)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/unsubscribe\?token=/);
  });

  it('authorizes a return with its instructions, then tells the refunded amount', async () => {
    const created = await request('POST', '/v1/returns', {
      body: returnBody(orderId, [{ line_id: 'L1', quantity: 1 }]),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.status).toBe('authorized');
    const authorized = await nthMail(to, 4);
    expect(authorized.subject).toBe(`Your return ${created.body.id} is authorized`);
    expect(authorized.text).toContain(
      'Pack the items with the return number inside and hand the parcel to the carrier.',
    );
    await receiveAll(world.server, created.body);
    const refunded = await request('POST', `/v1/returns/${created.body.id}/refund`, { body: {} });
    expect(refunded.status, JSON.stringify(refunded.body)).toBe(201);
    const amount: number = refunded.body.refund.amount.amount;
    const mail = await nthMail(to, 5);
    expect(mail.subject).toBe('Your refund for order E2E-1');
    expect(mail.text).toContain(
      `We have refunded ${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, '0')} USD for order E2E-1.`,
    );
    expect(mailsTo(to).map((m) => m.subject)).toHaveLength(5);
    const sent = await messagesOf(world.database.db, orderId);
    expect(sent.map((m) => [m.kind, m.status])).toEqual([
      ['order_confirmed', 'sent'],
      ['shipped', 'sent'],
      ['delivered', 'sent'],
      ['return_authorized', 'sent'],
      ['refund_issued', 'sent'],
    ]);
  });

  it('stops the delivered mail once the customer follows the unsubscribe link, and still sends the transactional ones', async () => {
    const link = /Unsubscribe: (\S+)/.exec(mailsTo(to)[2]!.text ?? '')![1]!;
    // Mail programs unsubscribe with one click (RFC 8058): a POST to the List-Unsubscribe link.
    const oneClick = await fetch(unsubscribeHeader(mailsTo(to)[2]!)!, { method: 'POST' });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.json()).toEqual({ customer_email: to });
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('You will no longer receive these messages');
    const prefs = await request('GET', `/v1/customers/${to}/notification-preferences`);
    expect(prefs.body.opted_out).toBe(true);
    const order = await place('E2E-2', { customer: { email: to, name: 'Customer E2E-1' } });
    await nthMail(to, 6);
    const shipped = await ship(world.server, order.fulfillment_orders[0]!.id);
    expect((await nthMail(to, 7)).subject).toBe('Your order E2E-2 is on its way');
    await deliver(world.server, shipped.shipment_id);
    const delivered = await request('GET', `/v1/orders/${order.id}`);
    expect(delivered.body.status).toBe('delivered');
    // The notifier has passed the delivery event once it is behind no event of this order.
    await waitFor('the delivery event passed', async () => (await notifierIdle()) || undefined, { timeoutMs: 30_000 });
    expect((await messagesOf(world.database.db, order.id)).map((m) => m.kind)).toEqual(['order_confirmed', 'shipped']);
    expect(mailsTo(to)).toHaveLength(7);
  });
});

/** True once the notifications cursor has passed every event. */
async function notifierIdle(): Promise<boolean> {
  const events = await request('GET', '/v1/events?limit=500');
  const newest = Number(events.body.data.at(-1)?.id ?? 0);
  return (await cursorPosition(world.database.db, 'notifications')) >= newest;
}

describe('buy online, pick up in store', () => {
  it('mails the pickup code the store issued', async () => {
    const to = 'e2e-bopis@example.com';
    const order = await place('E2E-BOPIS', {
      customer: { email: to, name: 'Pat' },
      delivery_method: 'pickup',
      pickup_location_id: world.net.storeA,
    });
    const foId = order.fulfillment_orders[0]!.id;
    for (const step of ['accept', 'pick', 'pack'])
      expect((await request('POST', `/v1/fulfillment-orders/${foId}/${step}`, { body: {} })).status).toBe(200);
    const ready = await request('POST', `/v1/fulfillment-orders/${foId}/ready-for-pickup`, { body: {} });
    const code: string = ready.body.pickup_code;
    expect(code).toMatch(/^\d{6}$/);
    const mail = await nthMail(to, 2);
    expect(mail.subject).toBe('Your order E2E-BOPIS is ready for pickup');
    expect(mail.text).toContain(`Show this pickup code at the store: ${code}`);
  });
});

describe('a mail server that refuses', () => {
  it('retries until the message is dead, and a resend delivers it', async () => {
    const to = 'e2e-refused@example.com';
    peer.refuse = true;
    let orderId = '';
    try {
      orderId = (await place('E2E-REFUSED', { customer: { email: to } })).id;
      for (let attempt = 1; attempt <= 6; attempt++) {
        await waitFor(
          `attempt ${attempt}`,
          async () => (await messagesOf(world.database.db, orderId))[0]?.attempts === attempt,
          {
            timeoutMs: 30_000,
          },
        );
        await makeDue(world.database.db, orderId);
      }
      const [dead] = await waitFor(
        'dead',
        async () => {
          const rows = await messagesOf(world.database.db, orderId);
          return rows[0]?.status === 'dead' ? rows : undefined;
        },
        { timeoutMs: 30_000 },
      );
      expect(dead!.last_error).toMatch(/451/);
    } finally {
      peer.refuse = false;
    }
    const listed = await request('GET', `/v1/notifications?order_id=${orderId}&status=dead`);
    expect(listed.body.data).toHaveLength(1);
    const resent = await request('POST', `/v1/notifications/${listed.body.data[0].id}/resend`);
    expect(resent.status).toBe(200);
    expect((await nthMail(to, 1)).subject).toBe('Your order E2E-REFUSED is confirmed');
    await waitFor('sent', async () => (await messagesOf(world.database.db, orderId))[0]?.status === 'sent', {
      timeoutMs: 30_000,
    });
  });
});
