import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import type { Counters } from './context.ts';
import { runScenario, scenarioArbitrary, type Environment } from './sequence.ts';
import { createWorld } from './world.ts';

export interface SimulationOptions {
  runs: number;
  seed?: number | undefined;
  /** fast-check's replay path of a failure, printed with its seed. */
  path?: string | undefined;
  minSteps?: number;
  maxSteps?: number;
  /** How long a failure may be shrunk (default 180 s). */
  shrinkSeconds?: number | undefined;
  onProgress?: (counters: Counters) => void;
}

export interface Simulation {
  database: TestDatabase;
  server: TestServer;
  env: Environment;
  close(): Promise<void>;
}

/** A real server on a database of its own (the engine under test), with the shared network. */
export async function startSimulation(): Promise<Simulation> {
  const database = await createTestDatabase();
  const server = await startTestServer(database);
  const world = await createWorld(server.request, 'SIM');
  const env: Environment = {
    request: server.request,
    db: database.db,
    world,
    counters: { sequences: 0, steps: 0, checks: 0, fewestSteps: Infinity, done: {} },
  };
  return {
    database,
    server,
    env,
    close: async () => {
      await server.close();
      await database.close();
    },
  };
}

/**
 * Runs `runs` random sequences (seeded; a failure is shrunk to a minimal sequence and reported
 * with its seed and path, which replay it exactly).
 */
export async function simulate(simulation: Simulation, options: SimulationOptions): Promise<Counters> {
  const arbitrary = scenarioArbitrary(options.minSteps ?? 36, options.maxSteps ?? 44);
  const shrinkMs = options.shrinkSeconds === undefined ? 180_000 : options.shrinkSeconds * 1000;
  let firstFailureAt: number | undefined;
  await fc.assert(
    fc.asyncProperty(arbitrary, async (scenario) => {
      // Shrinking replays whole sequences: past its time budget, candidates pass untried, so
      // the smallest failing sequence found so far is the one reported.
      if (firstFailureAt !== undefined && Date.now() - firstFailureAt > shrinkMs) return;
      try {
        await runScenario(simulation.env, scenario);
      } catch (error) {
        firstFailureAt ??= Date.now();
        throw error;
      }
      if (firstFailureAt === undefined) options.onProgress?.(simulation.env.counters);
    }),
    {
      numRuns: options.runs,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.path !== undefined ? { path: options.path } : {}),
      endOnFailure: false,
    },
  );
  return simulation.env.counters;
}
