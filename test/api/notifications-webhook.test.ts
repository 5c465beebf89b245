import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDue, messagesOf, peerNotifier } from '../support/notifications.ts';
import { NotifyWebhookPeer } from '../support/notify-webhook-peer.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { SmtpPeer } from '../support/smtp-peer.ts';
import { startReturnsWorld, type ReturnsWorld } from './returns-support.ts';

let world: ReturnsWorld;
let smtp: SmtpPeer;
let gateway: NotifyWebhookPeer;
beforeAll(async () => {
  world = await startReturnsWorld();
  smtp = await new SmtpPeer().start();
  gateway = await new NotifyWebhookPeer().start();
});
afterAll(async () => {
  await gateway?.stop();
  await smtp?.stop();
  await world?.close();
});

async function place(externalId: string, customer: Record<string, unknown>) {
  const body = orderBody(externalId, [{ sku: world.net.skus[0]!, quantity: 1 }], { customer });
  const placed = await placeOrder(world.server, body);
  if (placed.status !== 201) throw new Error(JSON.stringify(placed.body));
  return placed.body as { id: string };
}

describe('text and push messages through the webhook', () => {
  it('POSTs a text message to the phone and a push message to the customer ID, as JSON, once each', async () => {
    const email = 'sms-1@example.com';
    const prefs = await world.server.request('PUT', `/v1/customers/${email}/notification-preferences`, {
      body: { push: true },
    });
    expect(prefs.status).toBe(200);
    const order = await place('SMS-1', { email, name: 'Sam', phone: '+15551234567', id: 'cust-42' });
    const notifier = peerNotifier(world.database.db, smtp, { webhookUrl: gateway.url });
    expect(await notifier.tick()).toMatchObject({ messages: 3, sent: 3 });
    const messages = await messagesOf(world.database.db, order.id);
    expect(messages.map((m) => [m.channel, m.recipient, m.status])).toEqual([
      ['email', email, 'sent'],
      ['push', 'cust-42', 'sent'],
      ['sms', '+15551234567', 'sent'],
    ]);
    const sms = gateway.received.find((r) => r.body.channel === 'sms')!;
    expect(sms.contentType).toBe('application/json');
    expect(sms.idempotencyKey).toBe(messages.find((m) => m.channel === 'sms')!.id);
    expect(sms.body).toEqual({
      id: sms.idempotencyKey,
      channel: 'sms',
      kind: 'order_confirmed',
      locale: 'en',
      recipient: '+15551234567',
      subject: 'Your order SMS-1 is confirmed',
      text: 'Thank you, Sam. We have confirmed your order SMS-1.\n',
      order_id: order.id,
    });
    expect(gateway.received.filter((r) => r.body.channel === 'push')).toHaveLength(1);
    expect(await notifier.tick()).toMatchObject({ messages: 0, attempted: 0 });
    expect(gateway.received).toHaveLength(2);
  });

  it('sends no text message to a customer who turned them off, nor without a webhook', async () => {
    const email = 'sms-2@example.com';
    await world.server.request('PUT', `/v1/customers/${email}/notification-preferences`, { body: { sms: false } });
    const noWebhook = await place('SMS-3', { email: 'sms-3@example.com', phone: '+15550000003' });
    await peerNotifier(world.database.db, smtp).enqueue();
    expect((await messagesOf(world.database.db, noWebhook.id)).map((m) => m.channel)).toEqual(['email']);
    const off = await place('SMS-2', { email, phone: '+15550000002' });
    await peerNotifier(world.database.db, smtp, { webhookUrl: gateway.url }).tick();
    expect((await messagesOf(world.database.db, off.id)).map((m) => m.channel)).toEqual(['email']);
  });

  it('retries when the gateway answers with an error, keeping its answer', async () => {
    const notifier = peerNotifier(world.database.db, smtp, { webhookUrl: gateway.url });
    gateway.failWith = 503;
    const order = await place('SMS-4', { email: 'sms-4@example.com', phone: '+15550000004' });
    try {
      await notifier.tick();
      const sms = (await messagesOf(world.database.db, order.id)).find((m) => m.channel === 'sms')!;
      expect(sms).toMatchObject({ status: 'failed', attempts: 1, last_error: 'HTTP 503: gateway unavailable' });
    } finally {
      gateway.failWith = undefined;
    }
    await makeDue(world.database.db, order.id);
    await notifier.send();
    const sms = (await messagesOf(world.database.db, order.id)).find((m) => m.channel === 'sms')!;
    expect(sms).toMatchObject({ status: 'sent', attempts: 2 });
  });
});
