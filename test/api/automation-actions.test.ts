import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerGateway, succeeded, type CaptureRequest, type PaymentGateway } from '../../src/payments/index.ts';
import { createActiveRule, runAutomationFollowers } from '../support/automation-rules.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { messagesOf, peerNotifier } from '../support/notifications.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ship } from './payments-support.ts';
import { SmtpPeer } from '../support/smtp-peer.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;
let peer: SmtpPeer;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  peer = await new SmtpPeer().start();
  net = await createSmallNetwork(server, 2);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 42.3601, longitude: -71.0589 } });
  await server.request('PATCH', `/v1/locations/${net.storeB}`, { body: { latitude: 42.6526, longitude: -73.7562 } });
  for (const sku of net.skus) await setStock(server, net.storeA, sku, 500);
});
afterAll(async () => {
  await peer?.stop();
  await server?.close();
  await database?.close();
});

async function deactivate(id: string) {
  expect((await server.request('POST', `/v1/automations/${id}/deactivate`)).status).toBe(200);
}

interface Execution {
  id: number;
  order_id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  results: { type: string; outcome: Record<string, unknown> | null }[];
}

async function executionsOf(ruleId: string): Promise<Execution[]> {
  return (await server.request('GET', `/v1/automations/executions?rule_id=${ruleId}`)).body.data as Execution[];
}

/** An order body of `quantity` units of the first SKU: each test uses its own quantity, so its total tells its order apart. */
function bodyOf(externalId: string, quantity: number, over: Record<string, unknown> = {}) {
  const body = orderBody(externalId, [{ sku: net.skus[0]!, quantity }], over);
  return { body, total: body.total.amount, when: `order.total_minor == ${body.total.amount}` };
}

async function place(body: unknown): Promise<string> {
  const placed = await placeOrder(server, body);
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  return placed.body.id as string;
}

/** A rule capturing one order at once, and that order placed, authorized by `gateway` as `reference`. */
async function captureOnPlacement(externalId: string, quantity: number, gateway: string, reference: string) {
  const order = bodyOf(externalId, quantity);
  const ruleId = await createActiveRule(server, {
    name: 'Capture at once',
    trigger: { event_types: ['order.created'] },
    condition: order.when,
    actions: [{ type: 'capture' }],
  });
  const payments = [{ kind: 'authorization', amount: order.body.total, gateway, reference }];
  const orderId = await place({ ...order.body, payments });
  return { order, ruleId, orderId };
}

const timelineTypes = async (orderId: string): Promise<string[]> =>
  (await server.request('GET', `/v1/orders/${orderId}`)).body.timeline.map((e: { type: string }) => e.type);

describe('capturing and invoicing by rule', () => {
  it('captures what is authorized and invoices it once, however often a rule asks', async () => {
    const order = bodyOf('ACT-PAY', 2);
    const payRule = await createActiveRule(server, {
      name: 'Capture and invoice at once',
      trigger: { event_types: ['order.created'] },
      condition: order.when,
      actions: [{ type: 'capture', amount: 'remaining' }, { type: 'issue_invoice' }, { type: 'add_tag', tag: 'paid' }],
    });
    const againRule = await createActiveRule(server, {
      name: 'Capture and invoice paid orders again',
      trigger: { event_types: ['order.tagged'] },
      condition: "order.tags contains 'paid'",
      actions: [{ type: 'capture' }, { type: 'issue_invoice' }],
    });
    const orderId = await place(order.body);
    await runAutomationFollowers(database.db);

    const [paid] = await executionsOf(payRule);
    expect(paid).toMatchObject({ order_id: orderId, status: 'succeeded', attempts: 1 });
    expect(paid!.results[0]!.outcome).toMatchObject({ status: 'captured', captured_minor: order.total });
    expect(paid!.results[1]!.outcome).toMatchObject({ status: 'issued' });
    const [again] = await executionsOf(againRule);
    expect(again).toMatchObject({ order_id: orderId, status: 'succeeded' });
    expect(again!.results.map((r) => r.outcome!.status)).toEqual(['nothing_to_capture', 'nothing_to_invoice']);

    const payments = (await server.request('GET', `/v1/orders/${orderId}/payments`)).body;
    expect(payments.captured.amount).toBe(order.total);
    expect(payments.capturable.amount).toBe(0);
    const captures = payments.data.filter((p: { kind: string }) => p.kind === 'capture');
    expect(captures).toHaveLength(1);
    expect(captures[0].idempotency_key).toBe(`automation:${paid!.id}:0`);
    const invoices = (await server.request('GET', `/v1/orders/${orderId}/invoices`)).body.data;
    expect(invoices).toHaveLength(1);
    expect(invoices[0].id).toBe(paid!.results[1]!.outcome!.invoice_id);
    expect(invoices[0].total).toEqual({ amount: order.total, currency: 'USD' });
    const { document } = (await server.request('GET', `/v1/invoices/${invoices[0].id}`)).body;
    expect(document.amount_due.amount).toBe(0);
    expect(document.payments.map((p: { id: string }) => p.id)).toEqual([captures[0].id]);
    expect(document.lines).toMatchObject([{ line_id: 'L1', quantity: 2 }]);
    expect(document.shipping.amount).toBe(799);
    const types = await timelineTypes(orderId);
    expect(types.filter((t) => t === 'payment.captured')).toHaveLength(1);
    expect(types.filter((t) => t === 'invoice.issued')).toHaveLength(1);
    expect(types.filter((t) => t === 'automation.executed')).toHaveLength(2);
    await deactivate(payRule);
    await deactivate(againRule);
  });

  it('invoices money captured up front when the order ships, and neither captures nor holds again', async () => {
    const { order, ruleId, orderId } = await captureOnPlacement('ACT-SHIP', 9, 'test', 'auth_act_ship');
    await runAutomationFollowers(database.db);
    expect((await executionsOf(ruleId))[0]).toMatchObject({ order_id: orderId, status: 'succeeded' });
    expect((await server.request('GET', `/v1/orders/${orderId}/invoices`)).body.data).toEqual([]);

    const [fo] = (await server.request('GET', `/v1/orders/${orderId}`)).body.fulfillment_orders;
    await ship(server, fo.id, [{ line_id: 'L1', quantity: 4 }]);
    await ship(server, fo.id, undefined, false);

    const shipped = (await server.request('GET', `/v1/orders/${orderId}`)).body;
    expect(shipped.status).toBe('shipped');
    expect(shipped.on_hold).toBe(false);
    const payments = (await server.request('GET', `/v1/orders/${orderId}/payments`)).body;
    expect(payments.data.filter((p: { kind: string }) => p.kind === 'capture')).toHaveLength(1);
    expect(payments.captured.amount).toBe(order.total);
    const invoices = (await server.request('GET', `/v1/orders/${orderId}/invoices`)).body.data;
    expect(invoices).toHaveLength(1);
    expect(invoices[0].total.amount).toBe(order.total);
    const { document } = (await server.request('GET', `/v1/invoices/${invoices[0].id}`)).body;
    expect(document.lines).toMatchObject([{ line_id: 'L1', quantity: 9 }]);
    expect(document.amount_due.amount).toBe(0);
    await deactivate(ruleId);
  });

  it('gives money captured up front back when units are cancelled: the cancelled value, then everything', async () => {
    // 5 units at 10.00, 1.00 off each, 0.72 tax each, 7.99 shipping: 56.59 captured at once.
    const { order, ruleId, orderId } = await captureOnPlacement('ACT-CANCEL', 5, 'test', 'auth_act_cancel');
    await runAutomationFollowers(database.db);
    expect((await executionsOf(ruleId))[0]).toMatchObject({ order_id: orderId, status: 'succeeded' });
    expect(order.total).toBe(5659);
    const money = async () => (await server.request('GET', `/v1/orders/${orderId}/payments`)).body;
    expect((await money()).captured.amount).toBe(5659);

    const some = await server.request('POST', `/v1/orders/${orderId}/cancel`, {
      body: { reason: 'customer asked', lines: [{ line_id: 'L1', quantity: 2 }] },
    });
    expect(some.status, JSON.stringify(some.body)).toBe(200);
    expect((await money()).refunded.amount).toBe(2 * 972);

    const rest = await server.request('POST', `/v1/orders/${orderId}/cancel`, { body: { reason: 'customer asked' } });
    expect(rest.status, JSON.stringify(rest.body)).toBe(200);
    const after = await money();
    expect(after.refunded.amount).toBe(5659);
    expect(after.capturable.amount).toBe(0);
    const refunds = after.data.filter((p: { kind: string }) => p.kind === 'refund');
    expect(refunds.map((p: { amount: { amount: number } }) => p.amount.amount)).toEqual([1944, 3715]);
    expect((await server.request('GET', `/v1/orders/${orderId}`)).body.status).toBe('cancelled');
    await deactivate(ruleId);
  });

  it('captures once when the attempt that reached the gateway is rolled back and retried', async () => {
    // A gateway that keeps its own ledger by idempotency key, as real ones do, and loses the
    // first answer: our transaction fails after the gateway captured.
    const calls: CaptureRequest[] = [];
    const ledger = new Map<string, ReturnType<typeof succeeded>>();
    const gateway: PaymentGateway = {
      name: 'keyed',
      authorize: () => Promise.resolve(succeeded('unused')),
      void: () => Promise.resolve(succeeded('unused')),
      refund: () => Promise.resolve(succeeded('unused')),
      capture: (request) => {
        calls.push(request);
        const known = ledger.get(request.idempotencyKey);
        if (known) return Promise.resolve(known);
        const result = succeeded(`cap_${ledger.size + 1}`);
        ledger.set(request.idempotencyKey, result);
        if (calls.length === 1)
          return Promise.reject(Object.assign(new Error('could not serialize access'), { code: '40001' }));
        return Promise.resolve(result);
      },
    };
    registerGateway('keyed', () => gateway);
    const { order, ruleId, orderId } = await captureOnPlacement('ACT-ONCE', 3, 'keyed', 'auth_keyed');
    await runAutomationFollowers(database.db);

    const [execution] = await executionsOf(ruleId);
    expect(execution).toMatchObject({ order_id: orderId, status: 'succeeded' });
    expect(calls).toHaveLength(2);
    expect(new Set(calls.map((c) => c.idempotencyKey))).toEqual(new Set([`automation:${execution!.id}:0`]));
    expect(ledger.size).toBe(1);
    const payments = (await server.request('GET', `/v1/orders/${orderId}/payments`)).body;
    const captures = payments.data.filter((p: { kind: string }) => p.kind === 'capture');
    expect(captures).toHaveLength(1);
    expect(captures[0]).toMatchObject({ status: 'succeeded', reference: 'cap_1' });
    expect(payments.captured.amount).toBe(order.total);
    await deactivate(ruleId);
  });

  it('retries a declined capture by the schedule and ends failed, visibly', async () => {
    const { order, ruleId, orderId } = await captureOnPlacement('ACT-DECLINE', 4, 'test', 'auth_decline_7');
    await runAutomationFollowers(database.db, 12);

    const [execution] = await executionsOf(ruleId);
    expect(execution).toMatchObject({ order_id: orderId, status: 'failed', attempts: 4 });
    expect(execution!.last_error).toContain('card_declined');
    const payments = (await server.request('GET', `/v1/orders/${orderId}/payments`)).body;
    expect(payments.captured.amount).toBe(0);
    expect(payments.capturable.amount).toBe(order.total);
    expect((await timelineTypes(orderId)).filter((t) => t === 'automation.failed')).toHaveLength(1);
    await deactivate(ruleId);
  });
});

describe('re-routing and notifying by rule', () => {
  it('sends the open units back through routing', async () => {
    const order = bodyOf('ACT-ROUTE', 5);
    const ruleId = await createActiveRule(server, {
      name: 'Re-route held orders',
      trigger: { event_types: ['order.held'] },
      condition: `${order.when} and order.hold_kinds contains 'manual'`,
      actions: [
        { type: 'release_hold', kind: 'manual' },
        { type: 'reroute', reason: 'store A closed' },
      ],
    });
    const orderId = await place(order.body);
    const before = (await server.request('GET', `/v1/orders/${orderId}`)).body;
    expect(before.allocations.map((a: { location_id: string }) => a.location_id)).toEqual([net.storeA]);
    await setStock(server, net.storeB, net.skus[0]!, 50);
    expect((await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { active: false } })).status).toBe(
      200,
    );
    try {
      const held = await server.request('POST', `/v1/orders/${orderId}/hold`, {
        body: { kind: 'manual', reason: 'store A closed' },
      });
      expect(held.status, JSON.stringify(held.body)).toBe(200);
      await runAutomationFollowers(database.db);
    } finally {
      await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { active: true } });
    }

    const [execution] = await executionsOf(ruleId);
    expect(execution).toMatchObject({ order_id: orderId, status: 'succeeded' });
    expect(execution!.results[1]!.outcome).toMatchObject({ released_units: 5, outcome: 'allocated' });
    const after = (await server.request('GET', `/v1/orders/${orderId}`)).body;
    const reserved = after.allocations.filter((a: { status: string }) => a.status === 'reserved');
    expect(reserved.map((a: { location_id: string; quantity: number }) => [a.location_id, a.quantity])).toEqual([
      [net.storeB, 5],
    ]);
    const open = after.fulfillment_orders.filter((f: { status: string }) => f.status !== 'cancelled');
    expect(open.map((f: { location_id: string }) => f.location_id)).toEqual([net.storeB]);
    expect(after.on_hold).toBe(false);
    const rerouted = after.timeline.filter((e: { type: string }) => e.type === 'order.rerouted');
    expect(rerouted).toHaveLength(1);
    expect(rerouted[0].actor).toBe(`automation:${ruleId}:${execution!.id}`);
    await deactivate(ruleId);
  });

  it('queues a named notification, and none of a kind the customer opted out of', async () => {
    const notifier = peerNotifier(database.db, peer);
    await notifier.tick(); // past every event so far
    const order = bodyOf('ACT-NOTE', 6);
    const email = 'act-note@example.com';
    const opted = await server.request('PUT', `/v1/customers/${email}/notification-preferences`, {
      body: { opted_out: true },
    });
    expect(opted.status).toBe(200);
    const ruleId = await createActiveRule(server, {
      name: 'Tell the customer',
      trigger: { event_types: ['order.created'] },
      condition: order.when,
      actions: [
        { type: 'send_notification', template: 'shipped' },
        { type: 'send_notification', template: 'delivered' },
      ],
    });
    const orderId = await place(order.body);
    await runAutomationFollowers(database.db);
    await notifier.tick();

    const [execution] = await executionsOf(ruleId);
    expect(execution).toMatchObject({ order_id: orderId, status: 'succeeded' });
    const messages = await messagesOf(database.db, orderId);
    // The confirmation and the asked-for shipping notice are transactional; the delivery notice is not.
    expect(messages.map((m) => m.kind).sort()).toEqual(['order_confirmed', 'shipped']);
    expect(messages.every((m) => m.recipient === email)).toBe(true);
    const requested = (await server.request('GET', `/v1/orders/${orderId}`)).body.timeline.filter(
      (e: { type: string }) => e.type === 'order.notification_requested',
    );
    expect(requested.map((e: { data: { template: string } }) => e.data.template)).toEqual(['shipped', 'delivered']);
    await notifier.tick();
    expect(await messagesOf(database.db, orderId)).toHaveLength(2);
    await deactivate(ruleId);
  });
});

describe('checking the new actions and fields', () => {
  it('refuses malformed actions with a pointer to each, and writes nothing', async () => {
    const rulesBefore = (await server.request('GET', '/v1/automations')).body.data.length;
    const response = await server.request('POST', '/v1/automations', {
      body: {
        name: 'Broken',
        trigger: { event_types: ['order.created'] },
        condition: 'true',
        actions: [
          { type: 'capture', amount: 500 },
          { type: 'issue_invoice', lines: [] },
          { type: 'reroute', reason: '' },
          { type: 'send_notification', template: 'birthday' },
          { type: 'send_notification' },
          { type: 'capture' },
        ],
      },
    });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.code).toBe('invalid_automation');
    const errors = response.body.errors as { pointer: string; message: string }[];
    expect(errors.map((e) => e.pointer)).toEqual([
      '/actions/0',
      '/actions/1',
      '/actions/2',
      '/actions/3',
      '/actions/4',
    ]);
    expect(errors[0]!.message).toContain('remaining');
    expect(errors[1]!.message).toBe('a issue_invoice action has no "lines"');
    expect(errors[3]!.message).toContain('order_confirmed');
    expect((await server.request('GET', '/v1/automations')).body.data.length).toBe(rulesBefore);
  });

  it('reads the promise and SLA risk of the units still to ship', async () => {
    const fields = (await server.request('GET', '/v1/automations/fields')).body.data;
    expect(fields).toEqual(
      expect.arrayContaining([
        { name: 'order.sla_at_risk', type: 'bool' },
        { name: 'order.promised_minutes_left', type: 'int' },
      ]),
    );
    const onTime = bodyOf('ACT-SLA-OK', 7);
    const late = bodyOf('ACT-SLA-LATE', 8);
    const ruleId = await createActiveRule(server, {
      name: 'Flag SLA risk',
      trigger: { event_types: ['order.created'] },
      condition: `(${onTime.when} or ${late.when}) and order.promised_minutes_left > 0`,
      actions: [{ type: 'add_tag', tag: 'watched' }],
    });
    const riskRule = await createActiveRule(server, {
      name: 'Tag orders at risk',
      trigger: { event_types: ['order.created'] },
      condition: `(${onTime.when} or ${late.when}) and order.sla_at_risk`,
      actions: [{ type: 'add_tag', tag: 'sla-risk' }],
    });
    const onTimeId = await place(onTime.body);
    // Boston to New York is two days in transit: with an SLA of no days, the promise is late.
    const rules = (await server.request('GET', '/v1/routing/rules')).body;
    const tight = await server.request('PUT', '/v1/routing/rules', {
      body: {
        rules: { ...(rules.active.rules ?? rules.defaults), slaDays: { default: 0, byChannel: {} } },
        activate: true,
      },
    });
    expect(tight.status, JSON.stringify(tight.body)).toBe(201);
    try {
      const lateId = await place(late.body);
      await runAutomationFollowers(database.db);
      expect((await server.request('GET', `/v1/orders/${onTimeId}`)).body.tags).toEqual(['watched']);
      expect((await server.request('GET', `/v1/orders/${lateId}`)).body.tags).toEqual(['sla-risk', 'watched']);
    } finally {
      await server.request('PUT', '/v1/routing/rules', {
        body: { rules: rules.active.rules ?? rules.defaults, activate: true },
      });
    }
    const dry = await server.request('POST', `/v1/automations/${riskRule}/dry-run?last=50`);
    expect(dry.body.matches.map((m: { order_id: string }) => m.order_id)).not.toContain(onTimeId);
    await deactivate(ruleId);
    await deactivate(riskRule);
  });
});
