import { createAutomationWorker } from '../../src/automations/index.ts';
import { call, expectEqual, expectThat, type Sim } from './context.ts';
import { pick, type Intent } from './intent.ts';
import { captureUpFront, invoiceUpFront } from './money.ts';
import { moveStock, type Order } from './model.ts';
import { readOrder, reconcile } from './observe.ts';
import { cancellableUnits, predictRouting } from './routing.ts';
import { changeableUnits } from './steps-changes.ts';
import { applyCancellation } from './steps-orders.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- API bodies are read field by field */

const acts = ['capture', 'hold', 'release_hold', 'cancel', 'reroute', 'send_notification', 'create_task'] as const;
type Act = (typeof acts)[number];

/**
 * Orders a scheduled rule looks at (held orders are `created`). Not imported ones: every action
 * on them fails (`order_unmanaged`), and a failing action is the automations suite's.
 */
const looked = (o: Order) =>
  o.managed && ['created', 'confirmed', 'in_process', 'partially_shipped'].includes(o.status);
const capturable = (o: Order) => o.money.authorizedMinor - o.money.capturedMinor - o.money.voidedMinor;
const cancellable = (o: Order) => o.lines.some((l) => cancellableUnits(o, l.lineId) > 0);

/** The orders each action can act on without being refused (a refused action is the automations suite's). */
const applies: Record<Act, (o: Order) => boolean> = {
  capture: (o) => capturable(o) > 0,
  hold: () => true,
  release_hold: (o) => o.holds.length > 0,
  cancel: cancellable,
  reroute: () => true,
  send_notification: () => true,
  create_task: () => true,
};

function actionsOf(act: Act, sim: Sim): Record<string, unknown>[] {
  switch (act) {
    case 'capture':
      // Merchants who take the money at once invoice it at once.
      return [{ type: 'capture' }, { type: 'issue_invoice' }];
    case 'hold':
      return [{ type: 'hold', kind: 'review', reason: 'simulated rule' }];
    case 'cancel':
      return [{ type: 'cancel', reason: 'simulated rule' }];
    case 'reroute':
      return [{ type: 'reroute', reason: 'simulated rule' }];
    case 'send_notification':
      return [{ type: 'send_notification', template: 'order_confirmed' }];
    case 'create_task':
      return [{ type: 'create_task', queue: 'simulated', title: `Look at ${sim.name}` }];
    case 'release_hold':
      return [{ type: 'release_hold' }];
  }
}

/**
 * Runs the automation followers, two as two processes would, until the rule's one execution has
 * ended (succeeded or failed after its retries); its record.
 */
async function executionOf(sim: Sim, ruleId: string): Promise<any> {
  const options = { gapGraceMs: 0, retryScheduleMs: [20, 20, 20] };
  const workers = [createAutomationWorker(sim.db, options), createAutomationWorker(sim.db, options)];
  for (let round = 0; round < 12; round++) {
    await Promise.all(workers.map((w) => w.tick()));
    const listed = await call(sim, 'GET', `/v1/automations/executions?rule_id=${ruleId}`, undefined, [200]);
    const ended = listed.body.data.filter((e: any) => e.status === 'succeeded' || e.status === 'failed');
    if (ended.length > 0) {
      expectEqual(listed.body.data.length, 1, `rule ${ruleId}: executions`);
      return ended[0];
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`rule ${ruleId}: no execution ended after 12 rounds of the followers`);
}

/**
 * An automation rule acting on one order (docs/automations.md): a scheduled rule whose
 * condition names the order, created active through the API, run by the followers, then
 * deactivated. The action is drawn among those the order can take; the model predicts what it
 * does, and the order is compared with it as after any other step.
 */
export async function automate(sim: Sim, intent: Intent) {
  const act = acts[intent.b % acts.length]!;
  const order = pick(
    sim.model.orders.filter((o) => looked(o) && applies[act](o)),
    intent.a,
  );
  if (!order) return null;
  const rule = await call(
    sim,
    'POST',
    '/v1/automations',
    {
      name: `${sim.name} ${act} ${order.externalId}`,
      trigger: { every_minutes: 15 },
      condition: `order.id == '${order.id}'`,
      actions: actionsOf(act, sim),
      activate: true,
    },
    [201],
  );
  const ruleId = rule.body.id as string;
  const execution = await executionOf(sim, ruleId);
  await call(sim, 'POST', `/v1/automations/${ruleId}/deactivate`, {}, [200]);
  expectEqual(
    [execution.order_id, execution.status, execution.last_error],
    [order.id, 'succeeded', null],
    `rule ${ruleId} (${act}): execution`,
  );
  const view = await readOrder(sim, order.id);
  const what = await predict(sim, act, order, view, execution);
  if (act !== 'cancel') reconcile(sim, order, view);
  return `automate:${act} ${order.id}${what} → ${order.status}`;
}

/** Moves the model as the action should have moved the order; a few words on what it did. */
async function predict(sim: Sim, act: Act, order: Order, view: any, execution: any): Promise<string> {
  const outcome = execution.results[0].outcome;
  switch (act) {
    case 'capture': {
      const captured = captureUpFront(order);
      expectEqual(outcome.captured_minor, captured, `capture of ${order.id}`);
      const invoiced = invoiceUpFront(order);
      expectEqual(
        execution.results[1].outcome.status,
        invoiced ? 'issued' : 'nothing_to_invoice',
        `invoice of ${order.id}`,
      );
      return ` ${captured}${invoiced ? ' invoiced' : ''}`;
    }
    case 'hold':
      order.holds.push('review');
      return '';
    case 'release_hold':
      order.holds = [];
      predictRouting(sim.model, order, [], 'hold');
      return '';
    case 'cancel': {
      const plan = order.lines
        .map((line) => ({ line, quantity: cancellableUnits(order, line.lineId) }))
        .filter((p) => p.quantity > 0);
      const refunded = applyCancellation(sim, order, plan, view);
      return refunded > 0 ? ` (refunded ${refunded})` : '';
    }
    case 'reroute': {
      let released = 0;
      for (const line of order.lines) {
        const units = changeableUnits(order, line) - line.waiting;
        line.allocated -= units;
        line.waiting += units;
        released += units;
      }
      // Their stock is free again before routing looks for it (it may place them where they were).
      const freed = (a: Order['allocations'][number]) => {
        const fo = order.fos.find((f) => f.id === a.foId);
        return !fo || fo.status === 'allocated';
      };
      for (const a of order.allocations.filter(freed)) moveStock(sim.model, a.locationId, a.sku, 0, -a.quantity);
      order.allocations = order.allocations.filter((a) => !freed(a));
      expectEqual(outcome.released_units, released, `re-route of ${order.id}: units released`);
      for (const fo of order.fos)
        if (
          (fo.status === 'allocated' || fo.status === 'accepted') &&
          !view.allocations.some((a: any) => a.status === 'reserved' && a.fulfillment_order_id === fo.id)
        )
          fo.status = 'cancelled';
      predictRouting(sim.model, order, [], 'hold');
      return ` (${released} units)`;
    }
    case 'send_notification':
      expectThat(
        view.timeline.some((e: any) => e.type === 'order.notification_requested'),
        `order ${order.id}: no order.notification_requested on its timeline`,
      );
      return '';
    case 'create_task': {
      const tasks = await call(sim, 'GET', `/v1/tasks?order_id=${order.id}`, undefined, [200]);
      expectEqual(
        tasks.body.data.filter((t: any) => t.id === outcome.task_id).map((t: any) => [t.queue, t.status]),
        [['simulated', 'open']],
        `task of ${order.id}`,
      );
      return ` ${outcome.task_id}`;
    }
  }
}
