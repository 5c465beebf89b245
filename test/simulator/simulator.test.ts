import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../support/db.ts';
import { simulate, startSimulation, type Simulation } from './harness.ts';

/**
 * The lifecycle simulator in the suite: random sequences of real API calls (places, rejections,
 * short picks, cancellations, holds, stock feeds, returns, refunds, exchanges, reships,
 * subscription periods, order changes, automation rules, event archival, history imports of
 * unmanaged orders, shadow orders, routing simulations) against a real server, checked against
 * the reference model after every step. CONSIGN_SIM_RUNS sets the number of sequences,
 * CONSIGN_SIM_SEED (and CONSIGN_SIM_PATH) replay a reported failure. See
 * docs/lifecycle-simulator.md.
 */
const runs = Number(process.env.CONSIGN_SIM_RUNS ?? 25);
const seed = process.env.CONSIGN_SIM_SEED ? Number(process.env.CONSIGN_SIM_SEED) : undefined;

let simulation: Simulation;
beforeAll(async () => {
  simulation = await startSimulation();
});
afterAll(async () => {
  await simulation?.close();
});

describe(`the lifecycle simulator (${testEngine()})`, () => {
  it(`runs ${runs} sequences of 36–44 steps without a divergence`, { timeout: 3_600_000 }, async () => {
    const counters = await simulate(simulation, { runs, seed, path: process.env.CONSIGN_SIM_PATH });
    console.log(
      `lifecycle simulator (${testEngine()}): ${counters.sequences} sequences, ${counters.steps} steps, ${counters.checks} checks, at least ${counters.fewestSteps} steps each`,
    );
    const done = Object.entries(counters.done).sort(([a], [b]) => a.localeCompare(b));
    console.log(`what the steps did: ${done.map(([what, n]) => `${what} ${n}`).join(', ')}`);
    expect(counters.sequences).toBe(runs);
    expect(counters.fewestSteps).toBeGreaterThanOrEqual(30);
  });
});
