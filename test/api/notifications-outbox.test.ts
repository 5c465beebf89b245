import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryOne } from '../../src/db/index.ts';
import { recordEvents } from '../../src/events/index.ts';
import { createNotifier } from '../../src/notifications/index.ts';
import { cursorPosition } from '../../src/streaming/index.ts';
import { makeDue, messagesOf, peerNotifier } from '../support/notifications.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { SmtpPeer } from '../support/smtp-peer.ts';
import { startReturnsWorld, type ReturnsWorld } from './returns-support.ts';

let world: ReturnsWorld;
let peer: SmtpPeer;
beforeAll(async () => {
  world = await startReturnsWorld();
  peer = await new SmtpPeer().start();
});
afterAll(async () => {
  await peer?.stop();
  await world?.close();
});

let counter = 0;
async function place(over: Record<string, unknown> = {}) {
  counter += 1;
  const placed = await placeOrder(
    world.server,
    orderBody(`NTF-${counter}`, [{ sku: world.net.skus[0]!, quantity: 1 }], over),
  );
  if (placed.status !== 201) throw new Error(JSON.stringify(placed.body));
  return placed.body as { id: string; external_id: string };
}

describe('the notifications follower', () => {
  it('starts after the newest event of the migration and, without SMTP, passes events and queues nothing', async () => {
    const seeded = await queryOne(world.database.db, sql`select 1 from outbox_cursors where name = 'notifications'`);
    expect(seeded).toBeDefined();
    const order = await place();
    const off = createNotifier(world.database.db, { settings: undefined });
    const result = await off.tick();
    expect(result.events).toBeGreaterThan(0);
    expect(result).toMatchObject({ messages: 0, attempted: 0 });
    expect(await messagesOf(world.database.db, order.id)).toEqual([]);
    const newest = await queryOne<{ id: number }>(world.database.db, sql`select max(id) as id from events`);
    expect(await cursorPosition(world.database.db, 'notifications')).toBe(newest!.id);
  });

  it('queues the confirmation of a new order once and sends it over SMTP', async () => {
    const notifier = peerNotifier(world.database.db, peer);
    const order = await place();
    const before = peer.messages.length;
    const [first, second] = await Promise.all([notifier.enqueue(), peerNotifier(world.database.db, peer).enqueue()]);
    expect(first.messages + second.messages).toBe(1);
    expect(await notifier.send()).toMatchObject({ attempted: 1, sent: 1 });
    const [message] = await messagesOf(world.database.db, order.id);
    expect(message).toMatchObject({
      kind: 'order_confirmed',
      channel: 'email',
      locale: 'en',
      recipient: `${order.external_id.toLowerCase()}@example.com`,
      status: 'sent',
      attempts: 1,
    });
    expect(peer.messages.length).toBe(before + 1);
    const mail = peer.messages.at(-1)!;
    expect(mail.subject).toBe(`Your order ${order.external_id} is confirmed`);
    expect(mail.from?.value[0]).toMatchObject({ name: 'Shop', address: 'orders@shop.example' });
    expect(mail.headers.get('x-consign-notification')).toBe(message!.id);
    expect(mail.text).toContain(`Thank you, Customer ${order.external_id}.`);
    expect(mail.text).not.toContain('Unsubscribe'); // a confirmation is transactional
    expect(await notifier.tick()).toMatchObject({ messages: 0, attempted: 0 });
  });

  it('notifies nobody about an order without an e-mail address', async () => {
    const order = await place({ customer: { name: 'No Mail' } });
    await peerNotifier(world.database.db, peer).tick();
    expect(await messagesOf(world.database.db, order.id)).toEqual([]);
  });

  it('writes to German customers in German', async () => {
    const body = orderBody('NTF-DE', [{ sku: world.net.skus[0]!, quantity: 1 }]);
    const order = await place({ shipping_address: { ...body.shipping_address, country: 'DE', region: undefined } });
    await peerNotifier(world.database.db, peer).tick();
    const [message] = await messagesOf(world.database.db, order.id);
    expect(message).toMatchObject({ locale: 'de', subject: `Ihre Bestellung ${order.external_id} ist bestätigt` });
  });

  it('retries a refused mail after 30 s, 2 min, 10 min, 1 h and 4 h, then gives up: dead', async () => {
    const notifier = peerNotifier(world.database.db, peer);
    const order = await place();
    peer.refuse = true;
    try {
      await notifier.enqueue();
      const waits: number[] = [];
      for (let attempt = 1; attempt <= 6; attempt++) {
        await makeDue(world.database.db, order.id);
        expect(await notifier.send()).toMatchObject({ attempted: 1 });
        const [message] = await messagesOf(world.database.db, order.id);
        expect(message!.attempts).toBe(attempt);
        expect(message!.last_error).toMatch(/451/);
        if (attempt < 6) {
          expect(message!.status).toBe('failed');
          waits.push(message!.wait_seconds);
        } else expect(message!.status).toBe('dead');
      }
      expect(waits).toEqual([30, 120, 600, 3600, 14400]);
      await makeDue(world.database.db, order.id);
      expect(await notifier.send()).toMatchObject({ attempted: 0 });
    } finally {
      peer.refuse = false;
    }
  });

  it('tells a waiting order’s new date, with the unsubscribe link, as order.promise_changed announces it', async () => {
    const order = await place();
    await recordEvents(world.database.db, [
      {
        type: 'order.promise_changed',
        subjectType: 'order',
        subjectId: order.id,
        payload: { order_id: order.id, line_id: 'L1', previous_promised_on: '2026-12-20', promised_on: '2026-12-24' },
      },
    ]);
    await peerNotifier(world.database.db, peer, { publicUrl: 'https://oms.shop.example' }).tick();
    const mail = peer.messages.at(-1)!;
    expect(mail.subject).toBe(`A new date for your order ${order.external_id}`);
    expect(mail.text).toContain(`Part of your order ${order.external_id} is now expected on 2026-12-24.`);
    expect(mail.text).toMatch(/Unsubscribe: https:\/\/oms\.shop\.example\/v1\/unsubscribe\?token=\S+\.\S+/);
  });
});
