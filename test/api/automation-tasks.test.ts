import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createActiveRule, runAutomationFollowers } from '../support/automation-rules.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { tableCounts } from '../support/invariants.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/** The `create_task` action: checked when a rule is saved, run once per execution however often it is tried. */
let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 1);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 42.3601, longitude: -71.0589 } });
  await setStock(server, net.storeA, net.skus[0]!, 500);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const tasksIn = async (queue: string) =>
  (await server.request('GET', `/v1/tasks?queue=${queue}`)).body.data as Record<string, unknown>[];

describe('the create_task action', () => {
  it('opens exactly one task for an order the condition picks, on its timeline, and a replay adds none', async () => {
    const ruleId = await createActiveRule(server, {
      name: 'Review high-value orders',
      trigger: { event_types: ['order.created'] },
      condition: 'order.total_minor > 20000',
      actions: [{ type: 'create_task', queue: 'fraud-review', title: 'Review a high-value order', due_in_minutes: 30 }],
    });
    const big = await placeOrder(server, orderBody('TASK-BIG', [{ sku: net.skus[0]!, quantity: 30 }]));
    const small = await placeOrder(server, orderBody('TASK-SMALL', [{ sku: net.skus[0]!, quantity: 1 }]));
    expect([big.status, small.status]).toEqual([201, 201]);
    const before = Date.now();
    await runAutomationFollowers(database.db);

    const tasks = await tasksIn('fraud-review');
    expect(tasks).toHaveLength(1);
    const [execution] = (await server.request('GET', `/v1/automations/executions?rule_id=${ruleId}`)).body.data;
    const actor = `automation:${ruleId}:${execution.id}`;
    expect(tasks[0]).toMatchObject({
      order_id: big.body.id,
      title: 'Review a high-value order',
      status: 'open',
      created_by: actor,
    });
    const dueInMs = Date.parse(tasks[0]!.due_at as string) - before;
    expect(dueInMs).toBeGreaterThan(25 * 60_000);
    expect(dueInMs).toBeLessThanOrEqual(31 * 60_000);
    expect(execution).toMatchObject({ status: 'succeeded', order_id: big.body.id });

    const timeline = (await server.request('GET', `/v1/orders/${big.body.id}`)).body.timeline as {
      type: string;
      actor: string;
      data: Record<string, unknown>;
    }[];
    const created = timeline.filter((e) => e.type === 'task.created');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ actor, data: { task_id: tasks[0]!.id, queue: 'fraud-review' } });
    const smallTimeline = (await server.request('GET', `/v1/orders/${small.body.id}`)).body.timeline;
    expect(smallTimeline.map((e: { type: string }) => e.type)).not.toContain('task.created');

    // A replay: the execution is run again from its first action, as after a crash between the
    // action and its "done" mark. The task its source key names is there already.
    await database.db.execute(
      sql`update automation_executions set status = 'pending', results = '[]'::jsonb, next_attempt_at = now()
          where id = ${execution.id}`,
    );
    const counts = await tableCounts(database.db);
    await runAutomationFollowers(database.db, 3);
    expect(await tasksIn('fraud-review')).toEqual(tasks);
    const replayed = (await server.request('GET', `/v1/automations/executions?rule_id=${ruleId}`)).body.data;
    expect(replayed).toHaveLength(1);
    expect(replayed[0].status).toBe('succeeded');
    expect(replayed[0].results).toEqual([{ type: 'create_task', outcome: { task_id: tasks[0]!.id, created: false } }]);
    const after = await tableCounts(database.db);
    expect(after.tasks).toBe(counts.tasks);
    // Only the second `automation.executed` is new; no second `task.created`.
    expect(after.events).toBe(counts.events! + 1);
    await server.request('POST', `/v1/automations/${ruleId}/deactivate`);
  });

  it('opens a task about no order for an event that names none', async () => {
    const ruleId = await createActiveRule(server, {
      name: 'Check incoming supply',
      trigger: { event_types: ['supply.created'] },
      condition: 'true',
      actions: [{ type: 'create_task', queue: 'receiving', title: 'Book a dock slot' }],
    });
    const supply = await server.request('POST', '/v1/supplies', {
      body: {
        kind: 'purchase_order',
        reference: 'PO-TASK',
        location_id: net.storeA,
        expected_on: new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10),
        lines: [{ sku: net.skus[0]!, quantity: 5 }],
      },
    });
    expect(supply.status).toBe(201);
    await runAutomationFollowers(database.db);
    const tasks = await tasksIn('receiving');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ order_id: null, due_at: null, title: 'Book a dock slot' });
    await server.request('POST', `/v1/automations/${ruleId}/deactivate`);
  });

  it('refuses a create_task action without a queue or title, or with a bad due time, and saves nothing', async () => {
    const before = (await server.request('GET', '/v1/automations')).body.data.length;
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'create_task', title: 'No queue' }, 'queue must be'],
      [{ type: 'create_task', queue: 'Fraud Review', title: 'Bad queue' }, 'queue must be'],
      [{ type: 'create_task', queue: 'fraud' }, 'needs a title'],
      [{ type: 'create_task', queue: 'fraud', title: 'x'.repeat(201) }, 'needs a title'],
      [{ type: 'create_task', queue: 'fraud', title: 'Soon', due_in_minutes: 0 }, 'due_in_minutes must be'],
      [{ type: 'create_task', queue: 'fraud', title: 'Soon', due_in_minutes: 2.5 }, 'due_in_minutes must be'],
      [{ type: 'create_task', queue: 'fraud', title: 'Soon', due_in_minutes: '30' }, 'due_in_minutes must be'],
      [{ type: 'create_task', queue: 'fraud', title: 'Soon', due_in_minutes: 525_601 }, 'due_in_minutes must be'],
      [{ type: 'create_task', queue: 'fraud', title: 'Who', assignee: 'maria' }, 'has no "assignee"'],
    ];
    for (const [action, message] of cases) {
      const response = await server.request('POST', '/v1/automations', {
        body: {
          name: 'bad task',
          trigger: { event_types: ['order.created'] },
          condition: 'true',
          actions: [action],
        },
      });
      expect([response.status, response.body.code], JSON.stringify(action)).toEqual([422, 'invalid_automation']);
      expect(response.body.errors[0].pointer).toBe('/actions/0');
      expect(response.body.errors[0].message).toContain(message);
    }
    expect((await server.request('GET', '/v1/automations')).body.data).toHaveLength(before);
    const valid = await server.request('POST', '/v1/automations/validate', {
      body: {
        trigger: { event_types: ['order.created'] },
        condition: 'true',
        actions: [{ type: 'create_task', queue: 'customer-care', title: 'Call the customer', due_in_minutes: 1440 }],
      },
    });
    expect(valid.body).toMatchObject({ valid: true });
  });
});
