import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, testEngine } from '../support/db.ts';
import { orderBody } from '../support/orders.ts';
import { spawnServer, type ServerProcess } from '../support/process.ts';
import { waitFor } from '../support/wait.ts';
import { createWarehouseChannel } from '../support/warehouse.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';
import { SmtpPeer } from '../support/smtp-peer.ts';

/**
 * The webhook dispatcher's and the notifier's ticks are an hour here: an event reaches the
 * endpoint, and its mail the customer, only because the commit that wrote it woke them
 * (LISTEN/NOTIFY, migration 0020). On PostgreSQL the order is placed on another process than the
 * one that delivers.
 */
const HOUR_MS = '3600000';
const receiver = new WebhookReceiver();
const smtp = new SmtpPeer();
const servers: ServerProcess[] = [];
let dataDir: string | undefined;
let drop: (() => Promise<void>) | undefined;
let delivering: ServerProcess;
let placing: ServerProcess;

beforeAll(async () => {
  await receiver.start();
  await smtp.start();
  const env = (intervalMs: string) => ({
    CONSIGN_WEBHOOK_INTERVAL_MS: intervalMs,
    CONSIGN_NOTIFY_INTERVAL_MS: intervalMs,
    CONSIGN_SMTP_URL: smtp.url,
    CONSIGN_NOTIFY_FROM: 'orders@shop.example',
    CONSIGN_CONNECTOR_INTERVAL_MS: '0',
    CONSIGN_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
  });
  if (testEngine() === 'postgres') {
    const database = await createPostgresDatabase();
    drop = database.drop;
    delivering = await spawnServer({ databaseUrl: database.url, env: env(HOUR_MS) });
    servers.push(delivering);
    placing = await spawnServer({ databaseUrl: database.url, env: env('0') }); // no dispatcher of its own
    servers.push(placing);
  } else {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'consign-wake-'));
    delivering = placing = await spawnServer({ dataDir, env: env(HOUR_MS) });
    servers.push(delivering);
  }
}, 180_000);
afterAll(async () => {
  for (const server of servers) await server.stop().catch(() => {});
  await receiver.stop();
  await smtp.stop();
  await drop?.();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('committed events wake the webhook dispatcher', () => {
  it('delivers an order’s events long before the dispatcher’s next tick', async () => {
    await createWarehouseChannel(placing.request, {
      code: 'WH',
      name: 'Warehouse',
      skus: [{ sku: 'WAKE-1' }],
      onHand: 20,
    });
    const subscription = await placing.request('POST', '/v1/webhook-subscriptions', {
      body: { url: receiver.url, event_types: ['order.created'] },
    });
    expect(subscription.status).toBe(201);
    receiver.trust(subscription.body.secret);
    for (const id of ['WAKE-A', 'WAKE-B']) {
      const placed = await placing.request('POST', '/v1/orders', {
        body: orderBody(id, [{ sku: 'WAKE-1', quantity: 1 }]),
      });
      expect(placed.status).toBe(201);
      const delivered = await waitFor(
        `order.created of ${id} delivered`,
        () => receiver.received.find((r) => r.type === 'order.created' && r.data.external_id === id),
        { timeoutMs: 30_000, describe: () => delivering.output().slice(-2000) },
      );
      expect(delivered.data.order_id).toBe(placed.body.id);
    }
    expect(receiver.refused).toEqual([]);
  });

  it('delivers every order of a burst: the wakes folded into one per gap lose none', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => `WAKE-BURST-${i + 1}`);
    const placed = await Promise.all(
      ids.map((id) => placing.request('POST', '/v1/orders', { body: orderBody(id, [{ sku: 'WAKE-1', quantity: 1 }]) })),
    );
    expect(placed.map((p) => p.status)).toEqual(ids.map(() => 201));
    await waitFor(
      'order.created of every order of the burst delivered',
      () => ids.every((id) => receiver.received.some((r) => r.type === 'order.created' && r.data.external_id === id)),
      { timeoutMs: 30_000, describe: () => delivering.output().slice(-2000) },
    );
    expect(receiver.refused).toEqual([]);
  });
});

describe('committed events wake the notifier', () => {
  it('mails each order’s confirmation long before the notifier’s next tick', async () => {
    for (const id of ['WAKE-A', 'WAKE-B']) {
      const mail = await waitFor(
        `confirmation of ${id} mailed`,
        () => smtp.messages.find((m) => m.subject === `Your order ${id} is confirmed`),
        { timeoutMs: 30_000, describe: () => delivering.output().slice(-2000) },
      );
      expect(mail.text).toContain(`We have confirmed your order ${id}.`);
    }
  });
});
