import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { queryOne, type Db } from '../../src/db/index.ts';
import type { Requester } from '../support/client.ts';
import { checkDatabase, checkEvents, snapshot } from './checks.ts';
import { call, Divergence, nextId, type Counters, type Sim } from './context.ts';
import { describeIntent, stepKinds, stepWeights, type Intent, type StepKind } from './intent.ts';
import { level, stockedProducts } from './model.ts';
import * as automations from './steps-automations.ts';
import * as changes from './steps-changes.ts';
import * as events from './steps-events.ts';
import * as fulfillment from './steps-fulfillment.ts';
import * as history from './steps-history.ts';
import * as orders from './steps-orders.ts';
import { progress } from './steps-progress.ts';
import * as returns from './steps-returns.ts';
import * as shadow from './steps-shadow.ts';
import * as simulation from './steps-simulation.ts';
import * as stock from './steps-stock.ts';
import { createProducts, emptyModel, type World } from './world.ts';

type Step = (sim: Sim, intent: Intent) => Promise<string | null>;

const steps: Record<Exclude<StepKind, 'skip'>, Step> = {
  place: orders.placeShipOrder,
  place_pickup: orders.placePickupOrder,
  place_with_cart_hold: orders.placeWithCartHold,
  cart_hold: orders.cartHold,
  release_cart_hold: orders.releaseCartHold,
  accept: fulfillment.accept,
  reject: fulfillment.reject,
  pick: fulfillment.pickStep,
  pack: fulfillment.pack,
  ship: fulfillment.ship,
  ready_for_pickup: fulfillment.readyForPickup,
  picked_up: fulfillment.pickedUp,
  deliver: fulfillment.deliver,
  cancel: orders.cancel,
  hold: orders.hold,
  release_hold: orders.releaseHold,
  restock: stock.restock,
  count: stock.count,
  feed: stock.feed,
  backorder_tick: stock.backorderTick,
  supply_receipt: stock.supplyReceipt,
  return: returns.startReturn,
  authorize_return: returns.authorizeReturn,
  receive_return: returns.receiveReturn,
  refund_return: returns.refundReturn,
  close_return: returns.closeReturn,
  goodwill_refund: returns.goodwillRefund,
  exchange: returns.startExchange,
  reship: returns.reship,
  subscription_period: orders.subscriptionPeriod,
  change: changes.changeOrder,
  automate: automations.automate,
  archive_events: events.archive,
  import_history: history.importHistory,
  place_shadow: shadow.placeShadow,
  simulate_routing: simulation.simulateRouting,
};

export const intentArbitrary: fc.Arbitrary<Intent> = fc.record({
  kind: fc.oneof(
    { withCrossShrink: true },
    ...stepKinds.map((kind) => ({ arbitrary: fc.constant(kind), weight: stepWeights[kind] })),
  ),
  a: fc.nat(999),
  b: fc.nat(999),
  c: fc.nat(999),
  flag: fc.boolean(),
});

/** A sequence: the opening stock (product, location, units), then the steps. */
export interface Scenario {
  stock: [number, number, number][];
  steps: Intent[];
}

export function scenarioArbitrary(minSteps: number, maxSteps: number): fc.Arbitrary<Scenario> {
  return fc
    .record({
      stock: fc.array(fc.tuple(fc.nat(3), fc.nat(3), fc.integer({ min: 1, max: 6 })), { minLength: 1, maxLength: 8 }),
      steps: fc.array(intentArbitrary, { minLength: minSteps, maxLength: maxSteps }),
    })
    .map((scenario) =>
      Object.assign(scenario, {
        // A shrunk sequence reads as its steps; the skipped ones are only counted.
        [fc.toStringMethod]: () =>
          `stock ${JSON.stringify(scenario.stock)}; ${scenario.steps
            .filter((s) => s.kind !== 'skip')
            .map(describeIntent)
            .join(' ')} (${scenario.steps.filter((s) => s.kind === 'skip').length} skipped)`,
      }),
    );
}

export interface Environment {
  request: Requester;
  db: Db;
  world: World;
  counters: Counters;
}

let sequenceNumber = 0;
/** Where a run's time goes: the steps (their calls and reads), the database checks, the event checks (ms). */
export const timing = { step: 0, database: 0, events: 0 };

/**
 * Runs one sequence against the server and the model: after every step the order it touched is
 * compared with the model, then the database invariants and the step's events are checked. A
 * step whose target does not exist moves something else one step along its lifecycle (or places
 * an order), so every step does something.
 * At the end the sequence's stock is counted down to what is reserved, so the back-order worker
 * of later sequences has nothing of it to route.
 */
export async function runScenario(env: Environment, scenario: Scenario): Promise<void> {
  const name = `S${process.pid.toString(36)}${(++sequenceNumber).toString(36)}`.toUpperCase();
  const startedAt = new Date().toISOString();
  const products = await createProducts(env.request, name);
  const sim: Sim = {
    request: env.request,
    db: env.db,
    world: env.world,
    model: emptyModel(env.world, products),
    name,
    startedAt,
    eventCursor: 0,
    counters: env.counters,
    trace: [],
    serial: 0,
  };
  // The step being run: a failure names it after the steps that passed.
  let failing: Intent | undefined;
  try {
    await openingStock(sim, scenario.stock);
    // The steps' events start after the opening stock's.
    sim.eventCursor = (await queryOne<{ id: number }>(
      env.db,
      sql`select coalesce(max(id), 0)::bigint as id from event_history`,
    ))!.id;
    for (const intent of scenario.steps) {
      if (intent.kind === 'skip') continue;
      failing = intent;
      const before = snapshot(sim);
      const t0 = performance.now();
      const acted = await steps[intent.kind](sim, intent);

      const label =
        acted ??
        `(${intent.kind}: nothing to act on) ${(await progress(sim, intent)) ?? (await orders.placeShipOrder(sim, intent))}`;
      timing.step += performance.now() - t0;
      const done = label
        .replace(/^\([^)]*\) /, '')
        .replace('(progress) ', '')
        .split(' ')[0]!;
      sim.counters.done[done] = (sim.counters.done[done] ?? 0) + 1;
      sim.trace.push(`${describeIntent(intent)} → ${label}`);
      failing = undefined;
      if (intent.kind === 'backorder_tick') {
        const stuck = stock.stuckWhileStocked(sim);
        if (stuck) throw new Divergence(`after the back-order worker: ${stuck}`);
      }
      const t1 = performance.now();
      await checkDatabase(sim);
      const t2 = performance.now();
      await checkEvents(sim, before);
      timing.database += t2 - t1;
      timing.events += performance.now() - t2;
      sim.counters.checks += 1;
      sim.counters.steps += 1;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const last = failing ? `\n    ${describeIntent(failing)} → failed` : '';
    throw new Divergence(`${message}\n  sequence ${name}, steps:\n    ${sim.trace.join('\n    ')}${last}`);
  } finally {
    await freeze(sim).catch(() => {});
  }
  sim.counters.sequences += 1;
  sim.counters.fewestSteps = Math.min(sim.counters.fewestSteps, scenario.steps.filter((s) => s.kind !== 'skip').length);
}

async function openingStock(sim: Sim, stockRows: Scenario['stock']) {
  const inGroup = sim.model.locations.filter((l) => l.inGroup);
  const stocked = stockedProducts(sim.model);
  const rows = new Map<string, { location_id: string; sku: string; on_hand: number }>();
  for (const [p, l, units] of stockRows) {
    const product = stocked[p % stocked.length]!;
    const location = l === 3 ? sim.model.locations.find((x) => !x.inGroup)! : inGroup[l % inGroup.length]!;
    rows.set(`${location.id}|${product.sku}`, { location_id: location.id, sku: product.sku, on_hand: units });
  }
  await call(
    sim,
    'POST',
    '/v1/inventory/feeds',
    { feed_id: nextId(sim, 'opening'), mode: 'snapshot', as_of: new Date().toISOString(), rows: [...rows.values()] },
    [201],
  );
  for (const r of rows.values()) level(sim.model, r.location_id, r.sku).onHand = r.on_hand;
  sim.trace.push(
    `opening stock: ${[...rows.values()].map((r) => `${r.on_hand}×${r.sku}@${r.location_id}`).join(', ')}`,
  );
}

async function freeze(sim: Sim) {
  const rows = [...sim.model.stock].map(([key, l]) => {
    const [location_id, sku] = key.split('|');
    return { location_id: location_id!, sku: sku!, on_hand: l.reserved };
  });
  if (rows.length === 0) return;
  await sim.request('POST', '/v1/inventory/feeds', {
    body: { feed_id: nextId(sim, 'freeze'), mode: 'snapshot', as_of: new Date().toISOString(), rows },
  });
}
