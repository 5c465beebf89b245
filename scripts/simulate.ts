/**
 * `npm run simulate -- --runs N --seed S`: the lifecycle simulator as a soak, outside the test
 * suite. Runs N random sequences against a real Consign server on the embedded engine, or on
 * the PostgreSQL server of DATABASE_URL with `--engine postgres`, showing progress, and prints
 * the sequences, steps and invariant checks it ran. A divergence is shrunk to a minimal sequence
 * and printed with the seed and path that replay it (`--seed S --path P`).
 */
import { Command, InvalidArgumentError } from 'commander';

const whole = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} must be a whole number`);
  return n;
};

const program = new Command('simulate')
  .description('Run the lifecycle simulator: random sequences of real API calls checked against the reference model')
  .option('--runs <n>', 'sequences to run', whole('--runs'), 200)
  .option('--seed <n>', 'seed (a reported failure prints its seed)', whole('--seed'))
  .option('--path <path>', 'replay path of a reported failure (with its --seed)')
  .option('--engine <engine>', 'pglite (embedded) or postgres (needs DATABASE_URL)', 'pglite')
  .option('--min-steps <n>', 'fewest steps per sequence', whole('--min-steps'), 36)
  .option('--max-steps <n>', 'most steps per sequence', whole('--max-steps'), 44)
  .option(
    '--shrink-seconds <n>',
    'how long a failure may be shrunk to a smaller sequence',
    whole('--shrink-seconds'),
    180,
  )
  .showHelpAfterError();

const options = program.parse().opts<{
  runs: number;
  seed?: number;
  path?: string;
  engine: string;
  minSteps: number;
  maxSteps: number;
  shrinkSeconds: number;
}>();

if (options.engine !== 'pglite' && options.engine !== 'postgres') {
  program.error(`--engine must be pglite or postgres, not ${options.engine}`);
}
if (options.engine === 'postgres' && !process.env.DATABASE_URL) {
  program.error('--engine postgres needs DATABASE_URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres');
}
process.env.CONSIGN_TEST_ENGINE = options.engine;
// The sequences pay through the built-in test gateway, as the test suite does.
process.env.CONSIGN_TEST_GATEWAY = '1';

const { simulate, startSimulation } = await import('../test/simulator/harness.ts');
const { timing } = await import('../test/simulator/sequence.ts');
const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
const started = Date.now();
const simulation = await startSimulation();
const line = (text: string) =>
  process.stderr.isTTY ? process.stderr.write(`\r\x1b[2K${text}`) : process.stderr.write(`${text}\n`);
let lastPrinted = 0;
console.log(`lifecycle simulator on ${options.engine}: ${options.runs} sequences, seed ${seed}`);
try {
  const counters = await simulate(simulation, {
    runs: options.runs,
    seed,
    path: options.path,
    minSteps: options.minSteps,
    maxSteps: options.maxSteps,
    shrinkSeconds: options.shrinkSeconds,
    onProgress: (c) => {
      if (!process.stderr.isTTY && c.sequences % 10 !== 0 && c.sequences !== options.runs) return;
      if (Date.now() - lastPrinted < 200 && c.sequences !== options.runs) return;
      lastPrinted = Date.now();
      const seconds = (Date.now() - started) / 1000;
      line(
        `${c.sequences}/${options.runs} sequences, ${c.steps} steps, ${c.checks} checks, ${(c.steps / seconds).toFixed(1)} steps/s`,
      );
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(
    `passed: ${counters.sequences} sequences, ${counters.steps} steps, ${counters.checks} invariant checks, at least ${counters.fewestSteps} steps a sequence, in ${seconds} s (seed ${seed})`,
  );
  console.log(
    `time: steps ${(timing.step / 1000).toFixed(1)} s, database checks ${(timing.database / 1000).toFixed(1)} s, event checks ${(timing.events / 1000).toFixed(1)} s`,
  );
  const done = Object.entries(counters.done).sort(([, a], [, b]) => b - a);
  console.log(`steps by what they did: ${done.map(([verb, n]) => `${verb} ${n}`).join(', ')}`);
} catch (error) {
  if (process.stderr.isTTY) process.stderr.write('\n');
  console.error(error instanceof Error ? error.message : String(error));
  const cause = (error as { cause?: unknown }).cause;
  if (cause) console.error(`\nCaused by: ${cause instanceof Error ? cause.message : String(cause)}`);
  console.error(
    `replay: npm run simulate -- --engine ${options.engine} --seed ${seed} --runs ${options.runs} (add --path from above to go straight to the failure)`,
  );
  process.exitCode = 1;
} finally {
  await simulation.close();
}
