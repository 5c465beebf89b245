/**
 * How fast each console page is ready on the demo data: a server on an in-memory database seeded
 * with `consign seed --demo`, Debian's chromium signed in with an admin key, and for each page the
 * time from asking for it to its heading showing with nothing left loading. Prints one row per
 * page against the 1 s target (docs/benchmarks.md). A measurement, not a test: it never fails on
 * a slow page, it reports it.
 *
 * Usage: `npx tsx scripts/console-timings.ts [--runs N]` (the median of N visits, 3 by default)
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { inTransaction, migrate, openDatabase, query } from '../src/db/index.ts';
import { seedDemo } from '../src/demo/index.ts';
import { buildApp } from '../src/http/app.ts';
import { sql } from 'drizzle-orm';
import { ensureConsoleBuilt } from './build-console.ts';

const TARGET_MS = 1000;
const ADMIN_KEY = 'csk_console_timings_admin_key_0001';
const PAGES = [
  '/orders',
  '/orders?needs_attention=true',
  '/orders/:order',
  '/customers',
  '/inventory',
  '/queue',
  '/returns',
  '/routing',
  '/automations',
  '/notifications',
  '/dashboards',
  '/connectors',
  '/settings',
];

function chromiumPath(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'chromium');
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  throw new Error("Debian's chromium is not on PATH (apt-get install chromium).");
}

/** Milliseconds from asking for `url` to its heading showing with no "Loading…" left. */
async function timeToHeading(page: Page, url: string): Promise<number> {
  const started = performance.now();
  await page.goto(url);
  await page.locator('main h1').first().waitFor({ timeout: 30_000 });
  await page.locator('main').getByText('Loading…').first().waitFor({ state: 'detached', timeout: 30_000 });
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main() {
  const runsFlag = process.argv.indexOf('--runs');
  const runs = runsFlag > 0 ? Math.max(1, Number(process.argv[runsFlag + 1])) : 3;
  ensureConsoleBuilt();
  const database = await openDatabase({});
  await migrate(database.db);
  const seeded = await inTransaction(database.db, (tx) => seedDemo(tx));
  if (!seeded.ok) throw new Error(seeded.problem.detail);
  const [order] = await query<{ id: string }>(database.db, sql`select id from orders order by id limit 1`);
  const app = await buildApp({ database, bootstrapAdminKey: ADMIN_KEY, logLevel: 'silent' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  const url = `http://127.0.0.1:${address.port}`;
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--headless', '--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.getByLabel('API key').fill(ADMIN_KEY);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    console.log(`Console pages on the demo data (median of ${runs} visits; target ${TARGET_MS} ms)`);
    console.log('| page | ready (ms) | within target |');
    console.log('| --- | ---: | --- |');
    let over = 0;
    for (const pattern of PAGES) {
      const target = url + pattern.replace(':order', order?.id ?? '');
      const times: number[] = [];
      // The key lives in the tab's session storage: a reload keeps it, as a person's does.
      for (let i = 0; i < runs; i++) times.push(await timeToHeading(page, target));
      const ms = median(times);
      if (ms > TARGET_MS) over += 1;
      console.log(`| ${pattern} | ${ms.toFixed(0)} | ${ms <= TARGET_MS ? 'yes' : 'NO'} |`);
    }
    console.log(over ? `${over} page(s) over ${TARGET_MS} ms` : `Every page within ${TARGET_MS} ms`);
  } finally {
    await browser.close();
    await app.close();
    await database.close();
  }
}

await main();
