import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gapGraceMsFor } from '../../src/streaming/index.ts';
import { createWebhookDispatcher, type WebhookDispatcher } from '../../src/webhooks/index.ts';
import { resealStoredSecrets } from '../../src/reseal-secrets.ts';
import { keyringFromEnv } from '../../src/secrets/index.ts';
import { must } from '../support/client.ts';
import { CONNECTOR_SECRET, connectorFixture, startConnectorWorld, type ConnectorWorld } from '../support/connectors.ts';
import { readContents } from '../support/contents.ts';
import { testEngine } from '../support/db.ts';
import { setStock } from '../support/fixtures.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const OUTBOUND_SECRET = `whsec_${Buffer.from('consign-shopify-outbound-secret!').toString('base64')}`;
const ACCESS_TOKEN = 'Atza|consign-secret-access-token-at-rest';

/** Every row of every table, as text: what a dump of the database would show. */
async function dump(world: ConnectorWorld): Promise<string> {
  return JSON.stringify((await readContents(world.database.db)).tables);
}

describe('secrets at rest', () => {
  let world: ConnectorWorld;
  let receiver: WebhookReceiver;
  let dispatcher: WebhookDispatcher;
  let webhookSecret = '';
  let subscriptionId = '';

  beforeAll(async () => {
    process.env.CONSIGN_WEBHOOK_ALLOW_HOSTS = '127.0.0.1';
    receiver = await new WebhookReceiver().start();
    world = await startConnectorWorld({
      platform: 'shopify',
      skus: ['IPOD2008PINK', 'IPOD2008GREEN'],
      outbound: { url: 'http://127.0.0.1:9/outbound', secret: OUTBOUND_SECRET },
    });
    const created = await world.server.request('POST', '/v1/webhook-subscriptions', {
      body: { url: receiver.url, event_types: ['inventory.availability_changed'] },
      headers: { 'idempotency-key': 'secrets-at-rest-1' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    webhookSecret = created.body.secret;
    subscriptionId = created.body.id;
    receiver.trust(webhookSecret);
    dispatcher = createWebhookDispatcher(world.database.db, { gapGraceMs: gapGraceMsFor(testEngine()) });
  });
  afterAll(async () => {
    dispatcher?.abort();
    await world?.close();
    await receiver?.stop();
    delete process.env.CONSIGN_WEBHOOK_ALLOW_HOSTS;
  });

  const expectNoSecretIn = (text: string) => {
    expect(text).not.toContain(webhookSecret);
    expect(text).not.toContain(CONNECTOR_SECRET);
    expect(text).not.toContain(OUTBOUND_SECRET);
    expect(text).not.toContain(ACCESS_TOKEN);
  };

  it('no table holds a webhook or connector secret in plaintext', async () => {
    await must(world.server.request, 'PUT', `/v1/channels/${world.channelId}/connector`, {
      platform: 'shopify',
      secret: CONNECTOR_SECRET,
      outbound: { url: 'http://127.0.0.1:9/outbound', secret: OUTBOUND_SECRET },
      polling: {
        base_url: 'https://sellingpartnerapi-na.amazon.com',
        api_version: 'v0',
        marketplace_ids: ['ATVPDKIKX0DER'],
        access_token: ACCESS_TOKEN,
      },
    });
    expect(webhookSecret).toMatch(/^whsec_/);
    expectNoSecretIn(await dump(world));
  });

  it('the API never returns a secret after creation; an idempotent replay still does, once stored sealed', async () => {
    const shown = [
      await must(world.server.request, 'GET', `/v1/webhook-subscriptions/${subscriptionId}`),
      await must(world.server.request, 'GET', '/v1/webhook-subscriptions'),
      await must(world.server.request, 'GET', `/v1/channels/${world.channelId}/connector`),
    ];
    expectNoSecretIn(JSON.stringify(shown));
    const replayed = await world.server.request('POST', '/v1/webhook-subscriptions', {
      body: { url: receiver.url, event_types: ['inventory.availability_changed'] },
      headers: { 'idempotency-key': 'secrets-at-rest-1' },
    });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body).toMatchObject({ id: subscriptionId, secret: webhookSecret });
  });

  it('deliveries are still signed with the secret the subscriber was given', async () => {
    await setStock(world.server, world.net.storeA, 'IPOD2008PINK', 9);
    await dispatcher.tick();
    expect(receiver.refused).toEqual([]);
    expect(receiver.received.some((r) => r.type === 'inventory.availability_changed')).toBe(true);
  });

  it('the connector still verifies the platform signature under its secret', async () => {
    const raw = connectorFixture('shopify/orders-create.json');
    expect((await world.post(raw, { secret: 'not-the-channel-secret' })).status).toBe(401);
    const placed = await world.post(raw);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  });

  it('a plaintext secret written before encryption is sealed on start and keeps working', async () => {
    const legacy = `whsec_${randomBytes(32).toString('base64')}`;
    await world.database.db.execute(
      sql`update webhook_subscriptions set secret = ${legacy} where id = ${subscriptionId}`,
    );
    expect(await dump(world)).toContain(legacy);
    const sealed = await resealStoredSecrets(world.database.db, keyringFromEnv(process.env), { only: 'plaintext' });
    expect(sealed.sealed).toBeGreaterThanOrEqual(1);
    expect(await dump(world)).not.toContain(legacy);

    receiver.trust(legacy); // the subscriber's secret from before, unchanged
    const before = receiver.received.length;
    await setStock(world.server, world.net.storeA, 'IPOD2008PINK', 8);
    await dispatcher.tick();
    expect(receiver.refused).toEqual([]);
    expect(receiver.received.length).toBeGreaterThan(before);
  });

  it('rotation re-encrypts every secret under the new key; the old key can then be dropped', async () => {
    const oldKey = process.env.CONSIGN_SECRET_KEY!;
    const newKey = randomBytes(32).toString('base64');
    const rotating = keyringFromEnv({ CONSIGN_SECRET_KEY: newKey, CONSIGN_SECRET_KEY_PREVIOUS: oldKey });
    const keyIdsBefore = await sealedKeyIds(world);
    expect(keyIdsBefore).toEqual([keyringFromEnv(process.env).current.id]);

    const progress: number[] = [];
    const result = await resealStoredSecrets(world.database.db, rotating, {
      only: 'not-current',
      onProgress: (done) => progress.push(done),
    });
    expect(result.sealed).toBeGreaterThanOrEqual(4); // webhook, connector, outbound, access token (+ the stored response)
    expect(progress.at(-1)).toBe(result.sealed);
    expect(await sealedKeyIds(world)).toEqual([rotating.current.id]);
    expect(rotating.current.id).not.toBe(keyIdsBefore[0]);

    // Only the new key from now on: every secret still opens.
    process.env.CONSIGN_SECRET_KEY = newKey;
    try {
      const raw = connectorFixture('shopify/orders-create.json').replace(/8214298463751234567/g, '8214298463751234568');
      expect((await world.post(raw)).status).toBe(201);
      const before = receiver.received.length;
      await setStock(world.server, world.net.storeA, 'IPOD2008PINK', 7);
      await dispatcher.tick();
      expect(receiver.refused).toEqual([]);
      expect(receiver.received.length).toBeGreaterThan(before);
    } finally {
      process.env.CONSIGN_SECRET_KEY = oldKey;
    }
  });
});

/** The key IDs found in the sealed values of the database (`csec:v1:<key id>:…`). */
async function sealedKeyIds(world: ConnectorWorld): Promise<string[]> {
  const text = JSON.stringify((await readContents(world.database.db)).tables);
  return [...new Set([...text.matchAll(/csec:v1:([0-9a-f]+):/g)].map((m) => m[1]!))];
}
