/**
 * `npm run fuzz -- --runs N [--seed S] [--engine pglite|postgres]`: the schema-driven fuzzer
 * outside the test suite. Starts a real Consign server on the embedded engine (or on the
 * PostgreSQL server of DATABASE_URL), sends N malformed requests built from its OpenAPI
 * document, shows progress, and prints the totals: requests, answers by status class, 5xx
 * count and seconds. Exits 1 if any answer was a 5xx, a 4xx that is not problem+json, or a
 * rejected request that wrote to a table; each is printed with the request that caused it.
 */
import { Command, InvalidArgumentError } from 'commander';

const whole = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number`);
  return n;
};

const program = new Command('fuzz')
  .description('Send malformed requests built from the OpenAPI document to every operation; no answer may be a 5xx')
  .option('--runs <n>', 'requests to send', whole('--runs'), 5000)
  .option('--seed <n>', 'seed (a reported failure prints its seed)', whole('--seed'))
  .option('--engine <engine>', 'pglite (embedded) or postgres (needs DATABASE_URL)', 'pglite')
  .option('--show <n>', 'failures to print in full', whole('--show'), 20)
  .showHelpAfterError();

const options = program.parse().opts<{ runs: number; seed?: number; engine: string; show: number }>();

if (options.engine !== 'pglite' && options.engine !== 'postgres') {
  program.error(`--engine must be pglite or postgres, not ${options.engine}`);
}
if (options.engine === 'postgres' && !process.env.DATABASE_URL) {
  program.error('--engine postgres needs DATABASE_URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres');
}
process.env.CONSIGN_TEST_ENGINE = options.engine;

const { runFuzz, startFuzz } = await import('../test/fuzz/harness.ts');
const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
const fuzz = await startFuzz();
const line = (text: string) =>
  process.stderr.isTTY ? process.stderr.write(`\r\x1b[2K${text}`) : process.stderr.write(`${text}\n`);
let lastPrinted = 0;
console.log(
  `fuzz on ${options.engine}: ${options.runs} requests over ${fuzz.operations.length} operations, seed ${seed}`,
);
try {
  const totals = await runFuzz(fuzz, {
    runs: options.runs,
    seed,
    onProgress: (t) => {
      const every = process.stderr.isTTY ? 200 : 5000;
      if (Date.now() - lastPrinted < every && t.requests !== options.runs) return;
      lastPrinted = Date.now();
      line(
        `${t.requests}/${options.runs} requests, 4xx ${t.byClass['4xx']}, 5xx ${t.byClass['5xx']}, ${t.failures.length} failures, ${(t.requests / Math.max(t.seconds, 0.001)).toFixed(1)} requests/s`,
      );
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  for (const failure of totals.failures.slice(0, options.show)) console.error(`\n${failure}`);
  if (totals.failures.length > options.show) console.error(`\n… and ${totals.failures.length - options.show} more`);
  const c = totals.byClass;
  console.log(
    `requests ${totals.requests}: 2xx ${c['2xx']}, 3xx ${c['3xx']}, 4xx ${c['4xx']}, 5xx ${c['5xx']}; failures ${totals.failures.length}; ${totals.seconds.toFixed(0)} s (table checks ${totals.checkSeconds.toFixed(0)} s); seed ${seed}`,
  );
  if (totals.failures.length > 0) {
    console.error(`replay: npm run fuzz -- --engine ${options.engine} --runs ${options.runs} --seed ${seed}`);
    process.exitCode = 1;
  }
} finally {
  await fuzz.close();
}
