import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAutomationWorker } from '../../src/automations/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { allowLocalWebhooks } from '../support/webhook-receiver.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;
let undoAllow: () => void;

beforeAll(async () => {
  undoAllow = allowLocalWebhooks();
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 2);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 42.3601, longitude: -71.0589 } });
  for (const sku of net.skus) await setStock(server, net.storeA, sku, 500);
});
afterAll(async () => {
  undoAllow?.();
  await server?.close();
  await database?.close();
});

/** Two followers, as two processes would run them, ticking at the same time. */
const twoFollowers = () => {
  const options = { gapGraceMs: 0, retryScheduleMs: [20, 20, 20] };
  return [createAutomationWorker(database.db, options), createAutomationWorker(database.db, options)];
};

async function tickUntilQuiet(workers: ReturnType<typeof twoFollowers>, rounds = 6) {
  for (let i = 0; i < rounds; i++) {
    await Promise.all(workers.map((w) => w.tick()));
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
}

async function createRule(body: Record<string, unknown>): Promise<string> {
  const created = await server.request('POST', '/v1/automations', { body: { activate: true, ...body } });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function deactivate(id: string) {
  expect((await server.request('POST', `/v1/automations/${id}/deactivate`)).status).toBe(200);
}

async function executionsOf(ruleId: string) {
  return (await server.request('GET', `/v1/automations/executions?rule_id=${ruleId}`)).body.data as {
    id: number;
    order_id: string;
    status: string;
    attempts: number;
    depth: number;
    last_error: string | null;
  }[];
}

describe('automation rules acting on events', () => {
  it('holds a large web order exactly once with two followers running, and shows it on the timeline', async () => {
    const ruleId = await createRule({
      name: 'Review large web orders',
      trigger: { event_types: ['order.created'] },
      condition: "order.channel_code == 'web' and order.total_minor > 20000",
      actions: [
        { type: 'hold', kind: 'review', reason: 'large web order' },
        { type: 'add_tag', tag: 'large' },
      ],
    });
    const big = await placeOrder(server, orderBody('AUTO-BIG', [{ sku: net.skus[0]!, quantity: 30 }]));
    const small = await placeOrder(server, orderBody('AUTO-SMALL', [{ sku: net.skus[0]!, quantity: 1 }]));
    expect(big.status).toBe(201);
    expect(small.status).toBe(201);

    await tickUntilQuiet(twoFollowers());

    const executions = await executionsOf(ruleId);
    expect(executions).toHaveLength(1);
    expect(executions[0]).toMatchObject({ order_id: big.body.id, status: 'succeeded', attempts: 1, depth: 0 });
    const order = (await server.request('GET', `/v1/orders/${big.body.id}`)).body;
    expect(order.holds).toHaveLength(1);
    expect(order.holds[0]).toMatchObject({ kind: 'review', reason: 'large web order' });
    expect(order.holds[0].created_by).toBe(`automation:${ruleId}:${executions[0]!.id}`);
    expect(order.on_hold).toBe(true);
    expect(order.tags).toEqual(['large']);
    const types = order.timeline.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t === 'automation.executed')).toHaveLength(1);
    expect(types).toContain('order.held');
    expect(types).toContain('order.tagged');
    const smallOrder = (await server.request('GET', `/v1/orders/${small.body.id}`)).body;
    expect(smallOrder.holds).toEqual([]);
    await deactivate(ruleId);
  });

  it('never lets a rule trigger itself, and stops a chain of rules at the depth limit', async () => {
    const ownTag = await createRule({
      name: 'Note new orders and notes',
      trigger: { event_types: ['order.created', 'order.note_added'] },
      condition: "order.channel_code == 'web'",
      actions: [{ type: 'add_note', note: 'seen by a' }],
    });
    const pong = await createRule({
      name: 'Answer every note',
      trigger: { event_types: ['order.note_added'] },
      condition: "order.channel_code == 'web'",
      actions: [{ type: 'add_note', note: 'seen by b' }],
    });
    const placed = await placeOrder(server, orderBody('AUTO-LOOP', [{ sku: net.skus[1]!, quantity: 1 }]));
    await tickUntilQuiet(twoFollowers(), 10);

    const mine = (await executionsOf(ownTag)).filter((e) => e.order_id === placed.body.id);
    const theirs = (await executionsOf(pong)).filter((e) => e.order_id === placed.body.id);
    // a: order.created (0) → b (1) → a (2) → b (3); a's own notes never wake a.
    expect(mine.map((e) => e.depth).sort()).toEqual([0, 2]);
    expect(theirs.map((e) => e.depth).sort()).toEqual([1, 3]);
    const notes = (await server.request('GET', `/v1/orders/${placed.body.id}`)).body.timeline.filter(
      (e: { type: string }) => e.type === 'order.note_added',
    );
    expect(notes).toHaveLength(4);
    await deactivate(ownTag);
    await deactivate(pong);
  });

  it('retries a failing webhook action by the schedule and ends failed, visibly', async () => {
    const received: { key: string | undefined; body: unknown }[] = [];
    const receiver = http.createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        received.push({ key: request.headers['idempotency-key'] as string | undefined, body: JSON.parse(text) });
        response.writeHead(503).end('down for maintenance');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      const ruleId = await createRule({
        name: 'Tell the ERP',
        trigger: { event_types: ['order.created'] },
        condition: "order.channel_code == 'web'",
        actions: [{ type: 'call_webhook', url }],
      });
      const placed = await placeOrder(server, orderBody('AUTO-HOOK', [{ sku: net.skus[0]!, quantity: 1 }]));
      await tickUntilQuiet(twoFollowers(), 12);

      const [execution] = await executionsOf(ruleId);
      expect(execution).toMatchObject({ order_id: placed.body.id, status: 'failed', attempts: 4 });
      expect(execution!.last_error).toContain('HTTP 503');
      expect(received).toHaveLength(4);
      expect(new Set(received.map((r) => r.key))).toEqual(new Set([`automation-${execution!.id}-0`]));
      expect(received[0]!.body).toMatchObject({ automation_id: ruleId, order_id: placed.body.id });
      const timeline = (await server.request('GET', `/v1/orders/${placed.body.id}`)).body.timeline;
      const failed = timeline.filter((e: { type: string }) => e.type === 'automation.failed');
      expect(failed).toHaveLength(1);
      expect(failed[0].data).toMatchObject({ automation_id: ruleId, execution_id: execution!.id, attempts: 4 });
      await deactivate(ruleId);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});

describe('scheduled rules and dry runs', () => {
  it('lists what a rule would do over the last events without doing it', async () => {
    const created = await server.request('POST', '/v1/automations', {
      body: {
        name: 'Tag pickup-free web orders',
        trigger: { event_types: ['order.created'] },
        condition: "order.channel_code == 'web' and order.total_minor > 20000",
        actions: [{ type: 'add_tag', tag: 'dry' }],
      },
    });
    const id = created.body.id as string;
    const before = (await server.request('GET', '/v1/events?limit=500')).body;
    const dry = await server.request('POST', `/v1/automations/${id}/dry-run?last=1000&version=1`);
    expect(dry.status).toBe(200);
    const bigOrders = dry.body.matches.map((m: { order_id: string }) => m.order_id);
    expect(bigOrders).toHaveLength(1);
    expect(dry.body.matches[0]).toMatchObject({
      event_type: 'order.created',
      actions: [{ type: 'add_tag', tag: 'dry' }],
    });
    expect(dry.body.skipped.condition_false).toBeGreaterThan(0);
    expect(dry.body.examined).toBeGreaterThan(dry.body.matches.length);
    const order = (await server.request('GET', `/v1/orders/${bigOrders[0]}`)).body;
    expect(order.tags).not.toContain('dry');
    expect((await server.request('GET', '/v1/events?limit=500')).body.data.length).toBe(before.data.length);
    expect(await executionsOf(id)).toEqual([]);
    const noActive = await server.request('POST', `/v1/automations/${id}/dry-run`);
    expect(noActive.status).toBe(404);
  });

  it('cancels unpaid orders once per order, with two followers looking in the same period and the next', async () => {
    const unpaid = await placeOrder(
      server,
      orderBody('AUTO-UNPAID', [{ sku: net.skus[1]!, quantity: 1 }], { payments: [] }),
    );
    expect(unpaid.status).toBe(201);
    const ruleId = await createRule({
      name: 'Cancel unpaid orders',
      trigger: { every_minutes: 1 },
      condition: 'order.authorized_minor < order.total_minor and order.age_minutes >= 0',
      actions: [{ type: 'cancel', reason: 'not paid in time' }],
    });
    const dry = await server.request('POST', `/v1/automations/${ruleId}/dry-run`);
    expect(dry.body.matches.map((m: { order_id: string }) => m.order_id)).toEqual([unpaid.body.id]);

    await tickUntilQuiet(twoFollowers());
    await tickUntilQuiet(twoFollowers());

    const executions = await executionsOf(ruleId);
    expect(executions).toHaveLength(1);
    expect(executions[0]).toMatchObject({ order_id: unpaid.body.id, status: 'succeeded' });
    const order = (await server.request('GET', `/v1/orders/${unpaid.body.id}`)).body;
    expect(order.status).toBe('cancelled');
    const cancels = order.timeline.filter((e: { type: string }) => e.type === 'order.lines_cancelled');
    expect(cancels).toHaveLength(1);
    expect(cancels[0].actor).toBe(`automation:${ruleId}:${executions[0]!.id}`);
    await deactivate(ruleId);
  });
});
