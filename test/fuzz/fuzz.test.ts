import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../support/db.ts';
import { runFuzz, startFuzz, type Fuzz } from './harness.ts';
import { unboundedNumbers } from './openapi.ts';

/**
 * The schema-driven fuzzer in the suite: CONSIGN_FUZZ_RUNS malformed requests (default 1000)
 * built from the server's own OpenAPI document, on each engine; CONSIGN_FUZZ_SEED replays a
 * run. `npm run fuzz` runs it longer. See docs/fuzzing.md.
 */
const runs = Number(process.env.CONSIGN_FUZZ_RUNS ?? 1000);
const seed = process.env.CONSIGN_FUZZ_SEED ? Number(process.env.CONSIGN_FUZZ_SEED) : Date.now() % 2 ** 31;

let fuzz: Fuzz;
beforeAll(async () => {
  fuzz = await startFuzz();
});
afterAll(async () => fuzz?.close());

describe(`no input gets a 5xx (${testEngine()})`, () => {
  it('every integer and number a request takes has a minimum and a maximum', () => {
    expect(fuzz.operations.length).toBeGreaterThan(50);
    expect(unboundedNumbers(fuzz.operations)).toEqual([]);
  });

  it(
    `${runs} malformed requests: 4xx problem+json, never 5xx, and a rejected request writes nothing`,
    { timeout: 1_800_000 },
    async () => {
      const totals = await runFuzz(fuzz, { runs, seed });
      console.log(
        `fuzz (${testEngine()}, seed ${seed}): ${totals.requests} requests, 2xx ${totals.byClass['2xx']}, 4xx ${totals.byClass['4xx']}, 5xx ${totals.byClass['5xx']}, ${totals.seconds.toFixed(0)} s (checks ${totals.checkSeconds.toFixed(0)} s)`,
      );
      expect(totals.failures, `seed ${seed}`).toEqual([]);
      expect(totals.requests).toBe(runs);
      expect(totals.byClass['4xx']).toBeGreaterThan(runs / 2);
    },
  );
});
