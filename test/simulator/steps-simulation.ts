import { call, Divergence, expectEqual, type Sim } from './context.ts';
import type { Intent } from './intent.ts';
import type { Order } from './model.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- API bodies are read field by field */

/** How long a simulation may take before the step gives up on it (the machine may be slow). */
const WAIT_MS = 60_000;

/** Polls the simulation until it ended (succeeded or failed), within WAIT_MS. */
async function finished(sim: Sim, id: string): Promise<any> {
  const until = Date.now() + WAIT_MS;
  for (;;) {
    const seen = (await call(sim, 'GET', `/v1/routing/simulations/${id}`, undefined, [200])).body;
    if (seen.status === 'succeeded' || seen.status === 'failed') return seen;
    if (Date.now() > until)
      throw new Divergence(`simulation ${id} still ${seen.status} after ${WAIT_MS / 1000} s: ${JSON.stringify(seen)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const weights = ['cost', 'distance', 'balance', 'priority', 'sla'] as const;

/**
 * A routing simulation (ADR 0046, docs/routing-simulation.md) of the sequence's period — from
 * its start to a second from now — for the web channel, with a draft given inline: the default
 * rules with one weight raised. It must succeed and replay exactly the orders of that channel
 * placed in the period that the model knows of: every order the sequence placed (exchanges,
 * reships and subscription periods too) and the imported orders whose record's `placed_at`
 * falls in it, but no shadow order (those are not orders) and nothing refused. Baseline (the
 * defaults: the simulator activates no rules) and draft each decide every one of them. Live
 * stock and reservations stay as they were (the database checks after the step).
 */
export async function simulateRouting(sim: Sim, intent: Intent) {
  const from = sim.startedAt;
  const to = new Date(Date.now() + 1000).toISOString();
  const inPeriod = (o: Order) =>
    o.imported === null ||
    (Date.parse(o.imported.placedAt) >= Date.parse(from) && Date.parse(o.imported.placedAt) < Date.parse(to));
  const expected = sim.model.orders.filter(inPeriod).length;
  const defaults = sim.world.defaultRules;
  const weight = weights[intent.b % weights.length]!;
  const rules = {
    ...defaults,
    weights: { ...defaults.weights, [weight]: defaults.weights[weight] * (2 + (intent.c % 5)) + 1 },
  };
  const created = await call(
    sim,
    'POST',
    '/v1/routing/simulations',
    { from, to, channel: sim.world.channelId, rules },
    [202],
  );
  expectEqual(
    [created.body.status, created.body.parameters.channel_id, created.body.parameters.stock_basis],
    ['queued', sim.world.channelId, 'ledger'],
    `simulation ${created.body.id} [status, channel, stock basis] when asked`,
  );
  const done = await finished(sim, created.body.id);
  const where = `simulation ${done.id} (${weight} weight ${rules.weights[weight]})`;
  expectEqual([done.status, done.error], ['succeeded', null], `${where} [status, error]`);
  const result = done.result;
  expectEqual(
    [result.orders, done.progress.orders_done, done.progress.orders_total, result.baseline.orders, result.draft.orders],
    [expected, expected, expected, expected, expected],
    `${where} orders [replayed, done, total, baseline, draft]`,
  );
  expectEqual(
    [result.period, result.channel_id, result.rule_sets],
    [
      { from, to },
      sim.world.channelId,
      { baseline: { version: null, source: 'defaults' }, draft: { version: null, source: 'inline' } },
    ],
    `${where} [period, channel, rule sets]`,
  );
  return `simulate routing ${done.id}: ${expected} orders replayed, ${result.changed_orders} decided otherwise under a ${weight} weight of ${rules.weights[weight]}`;
}
