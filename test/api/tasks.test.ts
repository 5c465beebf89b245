import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.ts';
import { taskTransitions, type TaskStep } from '../../src/tasks/transitions.ts';
import { taskStatuses, type TaskStatus } from '../../src/tasks/view.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { tableCounts } from '../support/invariants.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;
let orderId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 1);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 42.3601, longitude: -71.0589 } });
  await setStock(server, net.storeA, net.skus[0]!, 50);
  const placed = await placeOrder(server, orderBody('TASK-1', [{ sku: net.skus[0]!, quantity: 1 }]));
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  orderId = placed.body.id as string;
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const minutesFromNow = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

async function createTask(body: Record<string, unknown>, headers?: Record<string, string>) {
  const response = await server.request('POST', '/v1/tasks', { body, ...(headers ? { headers } : {}) });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; status: string; version: number } & Record<string, unknown>;
}

const ids = (body: { data: { id: string }[] }) => body.data.map((t) => t.id);

describe('tasks through the API', () => {
  it('opens a task about an order, claims and completes it, each step on the order’s timeline', async () => {
    const task = await createTask({
      queue: 'customer-care',
      title: 'Call the customer about the late parcel',
      body: 'Parcel stuck at the hub since Monday.',
      order_id: orderId,
      due_at: minutesFromNow(60),
    });
    expect(task).toMatchObject({
      queue: 'customer-care',
      status: 'open',
      order_id: orderId,
      assignee: null,
      version: 1,
      created_by: expect.any(String),
    });
    expect((await server.request('GET', `/v1/tasks/${task.id}`)).body).toEqual(task);

    const claimed = await server.request('POST', `/v1/tasks/${task.id}/claim`, { body: { assignee: 'maria' } });
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ status: 'claimed', assignee: 'maria', version: 2 });
    expect(claimed.body.claimed_at).not.toBeNull();

    const done = await server.request('POST', `/v1/tasks/${task.id}/complete`, {
      body: { resolution: 'Customer agreed to wait two days', version: 2 },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      status: 'done',
      assignee: 'maria',
      resolution: 'Customer agreed to wait two days',
      version: 3,
    });
    expect(done.body.closed_at).not.toBeNull();

    const order = (await server.request('GET', `/v1/orders/${orderId}`)).body;
    const taskEvents = order.timeline.filter((e: { type: string }) => e.type.startsWith('task.'));
    expect(taskEvents.map((e: { type: string }) => e.type)).toEqual(['task.created', 'task.claimed', 'task.completed']);
    expect(taskEvents[2].data).toMatchObject({
      task_id: task.id,
      queue: 'customer-care',
      status: 'done',
      resolution: 'Customer agreed to wait two days',
    });
    expect(taskEvents[0].actor).toBe(task.created_by);
  });

  it('a task about no order is its own subject in the events', async () => {
    const task = await createTask({ queue: 'inventory-checks', title: 'Count the returns shelf' });
    const cancelled = await server.request('POST', `/v1/tasks/${task.id}/cancel`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', resolution: null, assignee: null });
    const events = (await server.request('GET', `/v1/events?subject_id=${task.id}`)).body.data;
    expect(events.map((e: { type: string; subject_type: string }) => [e.type, e.subject_type])).toEqual([
      ['task.created', 'task'],
      ['task.cancelled', 'task'],
    ]);
  });

  it('lists by queue, status and order, the one due soonest first and undated last, page by page', async () => {
    const queue = 'fraud-review';
    const late = await createTask({ queue, title: 'Review late', due_at: minutesFromNow(300) });
    const undated = await createTask({ queue, title: 'Review whenever' });
    const soon = await createTask({ queue, title: 'Review soon', due_at: minutesFromNow(5), order_id: orderId });
    const undated2 = await createTask({ queue, title: 'Review whenever too' });
    const middle = await createTask({ queue, title: 'Review middle', due_at: minutesFromNow(30) });
    const expected = [soon.id, middle.id, late.id, undated.id, undated2.id];

    expect(ids((await server.request('GET', `/v1/tasks?queue=${queue}`)).body)).toEqual(expected);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const pageResponse: { body: { data: { id: string }[]; next_cursor: string | null } } = await server.request(
        'GET',
        `/v1/tasks?queue=${queue}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(pageResponse.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...ids(pageResponse.body));
      cursor = pageResponse.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(expected);

    await server.request('POST', `/v1/tasks/${middle.id}/claim`, { body: {} });
    expect(ids((await server.request('GET', `/v1/tasks?queue=${queue}&status=open`)).body)).toEqual(
      expected.filter((id) => id !== middle.id),
    );
    expect(ids((await server.request('GET', `/v1/tasks?queue=${queue}&status=claimed`)).body)).toEqual([middle.id]);
    expect(ids((await server.request('GET', `/v1/tasks?queue=${queue}&order_id=${orderId}`)).body)).toEqual([soon.id]);

    const queues = (await server.request('GET', '/v1/tasks/queues')).body.data;
    const fraud = queues.find((q: { queue: string }) => q.queue === queue);
    expect(fraud).toEqual({ queue, open: 4, claimed: 1, next_due_at: soon.due_at });
    // Queues with nothing open or claimed are not listed.
    expect(queues.map((q: { queue: string }) => q.queue)).not.toContain('inventory-checks');
  });

  it('refuses a step the task’s status does not allow, and a stale version, with 409 and a stable code', async () => {
    const task = await createTask({ queue: 'customer-care', title: 'Refund question' });
    expect((await server.request('POST', `/v1/tasks/${task.id}/claim`, { body: { assignee: 'ann' } })).status).toBe(
      200,
    );
    const again = await server.request('POST', `/v1/tasks/${task.id}/claim`, { body: { assignee: 'bob' } });
    expect([again.status, again.body.code, again.body.task_status]).toEqual([409, 'illegal_transition', 'claimed']);
    expect(again.headers.get('content-type')).toContain('application/problem+json');

    const stale = await server.request('POST', `/v1/tasks/${task.id}/complete`, { body: { version: 1 } });
    expect([stale.status, stale.body.code, stale.body.version]).toEqual([409, 'conflict', 2]);

    expect((await server.request('POST', `/v1/tasks/${task.id}/cancel`, { body: {} })).body.status).toBe('cancelled');
    for (const step of ['claim', 'complete', 'cancel']) {
      const closed = await server.request('POST', `/v1/tasks/${task.id}/${step}`, { body: {} });
      expect([closed.status, closed.body.code, closed.body.task_status], step).toEqual([
        409,
        'illegal_transition',
        'cancelled',
      ]);
    }
    const read = (await server.request('GET', `/v1/tasks/${task.id}`)).body;
    expect(read).toMatchObject({ status: 'cancelled', assignee: 'ann', version: 3 });
  });

  it('allows every step of the lifecycle table from its statuses and refuses it from every other', async () => {
    /** Steps that bring a new task to `status`. */
    const path: Record<TaskStatus, TaskStep[]> = {
      open: [],
      claimed: ['claim'],
      done: ['complete'],
      cancelled: ['cancel'],
    };
    for (const [step, { from, to }] of Object.entries(taskTransitions) as [
      TaskStep,
      (typeof taskTransitions)[TaskStep],
    ][]) {
      for (const status of taskStatuses) {
        const task = await createTask({ queue: 'lifecycle', title: `${step} from ${status}` });
        for (const before of path[status]) await server.request('POST', `/v1/tasks/${task.id}/${before}`);
        const answer = await server.request('POST', `/v1/tasks/${task.id}/${step}`);
        const allowed = (from as readonly string[]).includes(status);
        const outcome = allowed
          ? [answer.status, answer.body.status]
          : [answer.status, answer.body.code, answer.body.task_status];
        expect(outcome, `${step} from ${status}`).toEqual(allowed ? [200, to] : [409, 'illegal_transition', status]);
      }
    }
  });

  it('of two claims at once, exactly one wins', async () => {
    const task = await createTask({ queue: 'customer-care', title: 'Contested' });
    const answers = await Promise.all(
      ['a', 'b', 'c', 'd'].map((assignee) =>
        server.request('POST', `/v1/tasks/${task.id}/claim`, { body: { assignee } }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409]);
    const winner = answers.find((a) => a.status === 200)!.body.assignee;
    expect((await server.request('GET', `/v1/tasks/${task.id}`)).body.assignee).toBe(winner);
    const claims = (await server.request('GET', `/v1/events?type=task.claimed&limit=500`)).body.data.filter(
      (e: { data: { task_id: string } }) => e.data.task_id === task.id,
    );
    expect(claims).toHaveLength(1);
  });

  it('a retried create with the same Idempotency-Key makes one task; another body with it is refused', async () => {
    const headers = { 'idempotency-key': 'task-create-1' };
    const first = await createTask({ queue: 'customer-care', title: 'Once' }, headers);
    const retry = await server.request('POST', '/v1/tasks', {
      body: { queue: 'customer-care', title: 'Once' },
      headers,
    });
    expect([retry.status, retry.body.id]).toEqual([201, first.id]);
    const other = await server.request('POST', '/v1/tasks', {
      body: { queue: 'customer-care', title: 'Twice' },
      headers,
    });
    expect([other.status, other.body.code]).toEqual([409, 'idempotency_conflict']);
  });

  it('refuses bad input with problem+json and a stable code, and writes nothing', async () => {
    const before = await tableCounts(database.db);
    const cases: [string, unknown, number, string][] = [
      ['/v1/tasks', { title: 'No queue' }, 400, 'validation_failed'],
      ['/v1/tasks', { queue: 'Fraud Review', title: 'Bad queue' }, 400, 'validation_failed'],
      ['/v1/tasks', { queue: 'a'.repeat(65), title: 'Long queue' }, 400, 'validation_failed'],
      ['/v1/tasks', { queue: 'care', title: '' }, 400, 'validation_failed'],
      ['/v1/tasks', { queue: 'care', title: '   ' }, 400, 'validation_failed'],
      ['/v1/tasks', { queue: 'care', title: 'x'.repeat(201) }, 400, 'validation_failed'],
      ['/v1/tasks', { queue: 'care', title: 'Due', due_at: 'tomorrow' }, 400, 'validation_failed'],
      ['/v1/tasks', { queue: 'care', title: 'Extra', priority: 1 }, 400, 'validation_failed'],
      ['/v1/tasks', { queue: 'care', title: 'Order', order_id: 'ord_nosuchorder' }, 422, 'unknown_reference'],
      ['/v1/tasks/tsk_nosuchtask/claim', {}, 404, 'not_found'],
      ['/v1/tasks/tsk_nosuchtask/complete', { resolution: 'x' }, 404, 'not_found'],
      ['/v1/tasks/not-a-task/cancel', {}, 400, 'validation_failed'],
    ];
    for (const [path, body, status, code] of cases) {
      const response = await server.request('POST', path, { body });
      expect([response.status, response.body.code], JSON.stringify(body)).toEqual([status, code]);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    const task = await createTask({ queue: 'care', title: 'Valid' });
    const counts = await tableCounts(database.db);
    for (const body of [{ version: 0 }, { version: 'one' }, { assignee: '' }, { note: 'x' }]) {
      const response = await server.request('POST', `/v1/tasks/${task.id}/claim`, { body });
      expect([response.status, response.body.code], JSON.stringify(body)).toEqual([400, 'validation_failed']);
    }
    const badCursor = await server.request('GET', '/v1/tasks?cursor=bm9wZQ');
    expect([badCursor.status, badCursor.body.code]).toEqual([400, 'validation_failed']);
    const badStatus = await server.request('GET', '/v1/tasks?status=closed');
    expect([badStatus.status, badStatus.body.code]).toEqual([400, 'validation_failed']);
    expect(await tableCounts(database.db)).toEqual(counts);
    expect({ ...counts, tasks: before.tasks, events: before.events }).toEqual(before);
    expect([counts.tasks, counts.events]).toEqual([before.tasks! + 1, before.events! + 1]);
  });

  it('is for admins and agents: channel and fulfillment keys are refused', async () => {
    const agent = (await createApiKey(database.db, { role: 'agent' })).secret;
    const channel = (await createApiKey(database.db, { role: 'channel', channelId: net.channelId })).secret;
    const created = await server.request('POST', '/v1/tasks', {
      key: agent,
      body: { queue: 'customer-care', title: 'From an agent' },
    });
    expect(created.status).toBe(201);
    expect((await server.request('POST', `/v1/tasks/${created.body.id}/claim`, { key: agent })).status).toBe(200);
    for (const [method, path] of [
      ['GET', '/v1/tasks'],
      ['GET', '/v1/tasks/queues'],
      ['POST', `/v1/tasks/${created.body.id}/complete`],
    ] as const) {
      const refused = await server.request(method, path, { key: channel, ...(method === 'POST' ? { body: {} } : {}) });
      expect([refused.status, refused.body.code]).toEqual([403, 'forbidden']);
    }
  });
});
