import type { Executor } from '../db/index.ts';
import { defaultRoutingRules, readRuleVersion, type RoutingRules } from '../routing/index.ts';
import { loadOrderSetInputs, loadSimulationInputs, type SimulationInputs } from './inputs.ts';
import { getOrderSet } from './order-sets.ts';
import { finishSimulation, recordProgress, type Simulation, type SimulationParameters } from './jobs.ts';
import { replay, type RuleSet } from './replay.ts';
import { changedOrder, SimulationReport } from './report.ts';

/** What each stock basis means, as the result states it. */
const BASIS_NOTES = {
  ledger:
    'Each order saw the stock it met when it was received, rebuilt from the inventory ledger; both rule sets saw the same stock, so every difference comes from the rules. Safety stock is as configured now.',
  replay:
    "Stock starts as the ledger had it at the period's start; every later movement is applied except the replayed orders' own, which are replaced by what each rule set's decisions take. Safety stock is as configured now; capacity counts each rule set's own fulfillment work.",
  snapshot:
    "Stock starts as the ledger had it at the order set's stock_at; nothing moves it but what each rule set's decisions take. Safety stock is as configured now; capacity counts each rule set's own fulfillment work.",
} as const;

/** Work between two progress writes (and yields to other requests), in milliseconds. */
const SLICE_MS = 25;

async function rulesOf(executor: Executor, version: number | null, inline: RoutingRules | null): Promise<RuleSet> {
  if (version === null) return { version: null, rules: inline ?? defaultRoutingRules };
  const row = await readRuleVersion(executor, version);
  if (!row) throw new Error(`routing rules version ${version} no longer exists`);
  return { version, rules: row.rules };
}

async function inputsOf(executor: Executor, parameters: SimulationParameters): Promise<SimulationInputs> {
  const setId = parameters.order_set_id ?? null;
  if (setId === null)
    return loadSimulationInputs(executor, {
      from: parameters.from,
      to: parameters.to,
      channelId: parameters.channel_id ?? undefined,
    });
  const set = await getOrderSet(executor, setId);
  if (!set) throw new Error(`order set ${setId} no longer exists`);
  return { ...(await loadOrderSetInputs(executor, set, parameters.channel_id)), orderSet: set };
}

/** The stored result: the same inputs give the same text, byte for byte. */
export function simulationResult(
  parameters: SimulationParameters,
  inputs: SimulationInputs,
  ruleSets: readonly [RuleSet, RuleSet],
  report: SimulationReport,
) {
  return {
    period: { from: parameters.from, to: parameters.to },
    ...(inputs.orderSet && {
      order_set: { id: inputs.orderSet.id, name: inputs.orderSet.name, stock_at: inputs.orderSet.stock_at },
    }),
    channel_id: parameters.channel_id,
    stock_basis: parameters.stock_basis,
    stock_basis_note: BASIS_NOTES[parameters.stock_basis],
    rule_sets: {
      baseline: { version: ruleSets[0].version, source: ruleSets[0].version === null ? 'defaults' : 'version' },
      draft: { version: ruleSets[1].version, source: ruleSets[1].version === null ? 'inline' : 'version' },
    },
    orders: inputs.orders.length,
    changed_orders: report.changed,
    ...report.figures(),
    load: report.load(),
  };
}

/**
 * Runs a claimed simulation to its end: reads the inputs, replays every order under both rule
 * sets, stores the changed orders and progress as it goes (yielding to other work every
 * SLICE_MS), then the result — or the error that stopped it. When `stopping` says so between two
 * slices, it returns and leaves the simulation running, for a later claim to replay.
 */
export async function runSimulation(
  executor: Executor,
  simulation: Simulation,
  options: { onProgress?: (done: number, total: number) => void; stopping?: () => boolean } = {},
): Promise<void> {
  const parameters = simulation.parameters;
  try {
    const ruleSets = [
      await rulesOf(executor, parameters.baseline_version, null),
      await rulesOf(executor, parameters.draft_version, parameters.draft_rules),
    ] as const;
    const inputs = await inputsOf(executor, parameters);
    const total = inputs.orders.length;
    const report = new SimulationReport(inputs.locations);
    let changes: string[] = [];
    let done = 0;
    let sliceStart = performance.now();
    // Each slice's changes are stored while the next slice replays; one write at a time, in order.
    let writing: Promise<void> = Promise.resolve();
    const flush = () => {
      const progress = { done, total };
      const batch = { firstSeq: report.changed - changes.length + 1, bodies: changes };
      const previous = writing;
      writing = (async () => {
        await previous;
        await recordProgress(executor, simulation.id, progress, batch);
        options.onProgress?.(progress.done, progress.total);
      })();
      writing.catch(() => {}); // awaited at the next flush or the end, which throw it
      changes = [];
      return writing;
    };
    await flush();
    for (const { order, decisions } of replay(inputs, ruleSets, parameters.stock_basis)) {
      done += 1;
      if (report.add(order, decisions)) changes.push(JSON.stringify(changedOrder(order, decisions)));
      if (performance.now() - sliceStart >= SLICE_MS || changes.length >= 200) {
        const previous = writing;
        void flush();
        await previous;
        await new Promise((resolve) => setImmediate(resolve));
        // Stopping: left running, it is claimed again once its heartbeat is stale, and replayed.
        if (options.stopping?.()) return await writing;
        sliceStart = performance.now();
      }
    }
    await flush();
    const result = JSON.stringify(simulationResult(parameters, inputs, ruleSets, report));
    await finishSimulation(executor, simulation.id, { result, changed: report.changed });
  } catch (error) {
    await finishSimulation(executor, simulation.id, { error: (error as Error).message });
  }
}
