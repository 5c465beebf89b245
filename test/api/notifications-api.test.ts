import { sql } from 'drizzle-orm';
import { createApiKey } from '../../src/auth/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryOne } from '../../src/db/index.ts';
import { createNotifier, type Notifier } from '../../src/notifications/index.ts';
import { messagesOf, peerNotifier } from '../support/notifications.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { SmtpPeer } from '../support/smtp-peer.ts';
import { startReturnsWorld, type ReturnsWorld } from './returns-support.ts';

let world: ReturnsWorld;
let peer: SmtpPeer;
let notifier: Notifier;
beforeAll(async () => {
  world = await startReturnsWorld();
  peer = await new SmtpPeer().start();
  notifier = peerNotifier(world.database.db, peer);
});
afterAll(async () => {
  await peer?.stop();
  await world?.close();
});
const request = (...args: Parameters<ReturnsWorld['server']['request']>) => world.server.request(...args);

let counter = 0;
async function confirmedOrder() {
  counter += 1;
  const placed = await placeOrder(
    world.server,
    orderBody(`API-${counter}`, [{ sku: world.net.skus[0]!, quantity: 1 }]),
  );
  if (placed.status !== 201) throw new Error(JSON.stringify(placed.body));
  await notifier.tick();
  return placed.body as { id: string; external_id: string };
}

describe('GET /v1/notifications and resend', () => {
  it('lists messages by order and status, shows one, and resends a sent one as it was rendered', async () => {
    const order = await confirmedOrder();
    const listed = await request('GET', `/v1/notifications?order_id=${order.id}`);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([
      expect.objectContaining({
        order_id: order.id,
        kind: 'order_confirmed',
        channel: 'email',
        status: 'sent',
        attempts: 1,
        next_attempt_at: null,
      }),
    ]);
    const id: string = listed.body.data[0].id;
    expect(id).toMatch(/^ntf_/);
    expect((await request('GET', `/v1/notifications?order_id=${order.id}&status=dead`)).body.data).toEqual([]);
    const one = await request('GET', `/v1/notifications/${id}`);
    expect(one.body).toMatchObject({ id, subject: `Your order ${order.external_id} is confirmed` });

    const resent = await request('POST', `/v1/notifications/${id}/resend`);
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ id, status: 'queued', attempts: 0 });
    const again = await request('POST', `/v1/notifications/${id}/resend`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'notification_not_resendable', notification_status: 'queued' });
    const before = peer.messages.length;
    expect(await notifier.send()).toMatchObject({ sent: 1 });
    expect(peer.messages.length).toBe(before + 1);
    expect(peer.messages.at(-1)!.subject).toBe(`Your order ${order.external_id} is confirmed`);
    expect((await request('GET', `/v1/notifications/${id}`)).body).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('answers 404 for an unknown message and pages newest first', async () => {
    expect((await request('GET', '/v1/notifications/ntf_none')).status).toBe(404);
    expect((await request('POST', '/v1/notifications/ntf_none/resend')).body.code).toBe('not_found');
    await confirmedOrder();
    const first = await request('GET', '/v1/notifications?limit=1');
    const second = await request('GET', `/v1/notifications?limit=1&cursor=${first.body.next_cursor}`);
    expect(first.body.data[0].id > second.body.data[0].id).toBe(true);
    expect((await request('GET', '/v1/notifications?status=lost')).status).toBe(400);
  });
});

describe('notification templates', () => {
  it('lists every kind in every locale with its built-in parts', async () => {
    const listed = await request('GET', '/v1/notification-templates');
    expect(listed.status).toBe(200);
    expect(listed.body.data).toHaveLength(14);
    expect(listed.body.fields).toContain('tracking_url');
    expect(listed.body.data).toContainEqual(
      expect.objectContaining({ kind: 'delivered', locale: 'de', transactional: false, edited: [] }),
    );
  });

  it('refuses a template that does not render, and unknown kinds and locales, writing nothing', async () => {
    const bad = await request('PUT', '/v1/notification-templates/shipped/en', {
      body: { subject: 'Shipped', text: 'Order {{order_numbr}} shipped' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ code: 'template_invalid', part: 'text' });
    expect(bad.body.detail).toMatch(/order_numbr/);
    const helper = await request('PUT', '/v1/notification-templates/shipped/en', {
      body: { subject: 'Shipped', text: '{{lookup order_number}}' },
    });
    expect(helper.body.code).toBe('template_invalid');
    for (const path of ['/v1/notification-templates/welcome/en', '/v1/notification-templates/shipped/fr']) {
      const unknown = await request('PUT', path, { body: { subject: 'x', text: 'y' } });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('unknown_template');
    }
    const count = await queryOne<{ n: number }>(
      world.database.db,
      sql`select count(*)::int as n from notification_templates`,
    );
    expect(count!.n).toBe(0);
  });

  it('uses an edited template for the next messages, for its channel', async () => {
    const saved = await request('PUT', '/v1/notification-templates/order_confirmed/en', {
      body: {
        channel: 'email',
        subject: 'Order {{order_number}}: confirmed',
        text: 'Hello {{customer_name}}, order {{order_number}} is confirmed.',
        html: '<h1>Order {{order_number}}</h1>',
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ channel: 'email', subject: 'Order {{order_number}}: confirmed' });
    const order = await confirmedOrder();
    const mail = peer.messages.at(-1)!;
    expect(mail.subject).toBe(`Order ${order.external_id}: confirmed`);
    expect(mail.text).toContain(`Hello Customer ${order.external_id}, order ${order.external_id} is confirmed.`);
    expect(mail.html).toContain(`<h1>Order ${order.external_id}</h1>`);
    const listed = await request('GET', '/v1/notification-templates');
    const entry = listed.body.data.find(
      (t: { kind: string; locale: string }) => t.kind === 'order_confirmed' && t.locale === 'en',
    );
    expect(entry.edited).toEqual([
      expect.objectContaining({ channel: 'email', html: '<h1>Order {{order_number}}</h1>' }),
    ]);
  });

  it('previews with sample data, with a real order, and a draft; refuses a draft that does not render', async () => {
    const sample = await request('POST', '/v1/notification-templates/ready_for_pickup/de/preview', { body: {} });
    expect(sample.status).toBe(200);
    expect(sample.body).toMatchObject({ kind: 'ready_for_pickup', locale: 'de', channel: 'email', order_id: null });
    expect(sample.body.text).toContain('Ihr Abholcode: 123456');
    const order = await confirmedOrder();
    const real = await request('POST', '/v1/notification-templates/delivered/en/preview', {
      body: { order_id: order.id, channel: 'sms' },
    });
    expect(real.status).toBe(200);
    expect(real.body).toMatchObject({ subject: `Your order ${order.external_id} was delivered`, html: null });
    const draft = await request('POST', '/v1/notification-templates/shipped/en/preview', {
      body: { order_id: order.id, template: { subject: '{{order_number}} via {{carrier}}', text: 'x' } },
    });
    expect(draft.body.subject).toBe(`${order.external_id} via`);
    const invalid = await request('POST', '/v1/notification-templates/shipped/en/preview', {
      body: { template: { subject: '{{#if}}', text: 'x' } },
    });
    expect(invalid.body.code).toBe('template_invalid');
    const missing = await request('POST', '/v1/notification-templates/shipped/en/preview', {
      body: { order_id: 'ord_none' },
    });
    expect(missing.status).toBe(404);
  });
});

describe('saving against a version, and resetting to the built-in template', () => {
  const path = '/v1/notification-templates/promise_changed/de';
  const body = (subject: string, expected?: string | null) => ({
    subject,
    text: 'Neues Datum: {{promise_date}}',
    html: '<p>{{promise_date}}</p>',
    ...(expected === undefined ? {} : { expected_updated_at: expected }),
  });
  const entry = async () =>
    (await request('GET', '/v1/notification-templates')).body.data.find(
      (t: { kind: string; locale: string }) => t.kind === 'promise_changed' && t.locale === 'de',
    );

  it('stores an edit made from the version it names, and refuses one made from another with 409', async () => {
    const first = await request('PUT', path, { body: body('Erste', null) });
    expect(first.status).toBe(200);
    const version: string = first.body.updated_at;
    const second = await request('PUT', path, { body: body('Zweite', version) });
    expect(second.status).toBe(200);
    expect(second.body.updated_at > version).toBe(true);

    const stale = await request('PUT', path, { body: body('Veraltet', version) });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'template_changed', current_updated_at: second.body.updated_at });
    const fresh = await request('PUT', path, { body: body('Auch veraltet', null) });
    expect(fresh.body).toMatchObject({ code: 'template_changed', current_updated_at: second.body.updated_at });
    expect((await entry()).edited).toEqual([expect.objectContaining({ channel: 'all', subject: 'Zweite' })]);
    const malformed = await request('PUT', path, { body: body('x', 'yesterday') });
    expect(malformed.status).toBe(400);
  });

  it('resets one channel or every one, so the next messages use the built-in template', async () => {
    const sms = await request('PUT', path, { body: { ...body('Nur SMS'), channel: 'sms', html: null } });
    expect(sms.status).toBe(200);
    expect((await entry()).edited.map((e: { channel: string }) => e.channel)).toEqual(['all', 'sms']);

    const one = await request('DELETE', `${path}?channel=sms`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ kind: 'promise_changed', locale: 'de', transactional: false });
    expect(one.body.edited).toEqual([expect.objectContaining({ channel: 'all', subject: 'Zweite' })]);

    const all = await request('DELETE', path);
    expect(all.status).toBe(200);
    expect(all.body.edited).toEqual([]);
    const preview = await request('POST', `${path}/preview`, { body: {} });
    expect(preview.body.subject).toBe(all.body.built_in.subject.replace('{{order_number}}', 'SAMPLE-1001'));
    // An edit from the reset version's point of view (none) is stored again.
    expect((await request('PUT', path, { body: body('Wieder', null) })).status).toBe(200);
    await request('DELETE', path);

    expect((await request('DELETE', '/v1/notification-templates/welcome/de')).body.code).toBe('unknown_template');
    expect((await request('DELETE', `${path}?channel=fax`)).status).toBe(400);
    const agent = (await createApiKey(world.database.db, { role: 'agent' })).secret;
    expect((await request('DELETE', path, { key: agent })).status).toBe(403);
  });
});

describe('pruning sent messages', () => {
  it('deletes sent messages past the retention in bounded batches, and keeps the rest', async () => {
    const orders = [await confirmedOrder(), await confirmedOrder(), await confirmedOrder()];
    const ids = orders.map((o) => o.id);
    const [old1, old2, recent] = ids;
    await world.database.db.execute(
      sql`update notification_messages set sent_at = now() - interval '91 days'
          where order_id in (${old1!}, ${old2!})`,
    );
    // A dead message as old is kept: someone may still resend it.
    await world.database.db.execute(
      sql`update notification_messages set status = 'dead', sent_at = null, updated_at = now() - interval '200 days'
          where order_id = ${recent!}`,
    );
    const pruner = createNotifier(world.database.db, {
      settings: undefined,
      retentionDays: 90,
      pruneBatchSize: 1,
      pruneMaxBatches: 1,
    });
    expect(await pruner.prune()).toBe(1);
    expect(await pruner.prune()).toBe(1);
    expect(await pruner.prune()).toBe(0);
    expect(await messagesOf(world.database.db, old1!)).toEqual([]);
    expect(await messagesOf(world.database.db, old2!)).toEqual([]);
    expect(await messagesOf(world.database.db, recent!)).toEqual([expect.objectContaining({ status: 'dead' })]);
  });

  it("prunes on the notifier's run with the default retention of 90 days, and not at all with 0", async () => {
    const kept = await confirmedOrder();
    const old = await confirmedOrder();
    await world.database.db.execute(
      sql`update notification_messages set sent_at = now() - interval '89 days' where order_id = ${kept.id}`,
    );
    await world.database.db.execute(
      sql`update notification_messages set sent_at = now() - interval '90 days 1 hour' where order_id = ${old.id}`,
    );
    const keeper = createNotifier(world.database.db, { settings: undefined, retentionDays: 0 });
    expect(await keeper.prune()).toBe(0);
    expect(await notifier.tick()).toMatchObject({ pruned: 1 });
    expect(await messagesOf(world.database.db, old.id)).toEqual([]);
    expect(await messagesOf(world.database.db, kept.id)).toHaveLength(1);
  });
});

describe('notification preferences', () => {
  it('reads the defaults, replaces them, and refuses unknown fields and locales', async () => {
    const path = '/v1/customers/Pat@Example.com/notification-preferences';
    expect((await request('GET', path)).body).toEqual({
      customer_email: 'pat@example.com',
      opted_out: false,
      locale: null,
      sms: true,
      push: false,
      updated_at: null,
    });
    const put = await request('PUT', path, { body: { opted_out: true, locale: 'de' } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ opted_out: true, locale: 'de', sms: true, push: false });
    expect((await request('PUT', path, { body: { locale: 'fr' } })).status).toBe(400);
    expect((await request('PUT', path, { body: { marketing: true } })).status).toBe(400);
    expect((await request('GET', path)).body).toMatchObject({ opted_out: true, locale: 'de' });
  });

  it('refuses an unsubscribe link that was not issued or was altered', async () => {
    const forged = `${Buffer.from('pat@example.com').toString('base64url')}.AAAA`;
    for (const token of ['nonsense', forged]) {
      const answer = await request('GET', `/v1/unsubscribe?token=${token}`, { key: null });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('invalid_unsubscribe_token');
    }
  });
});
