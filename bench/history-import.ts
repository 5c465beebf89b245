/**
 * `--scenario history-import`: a previous system's closed orders imported as they were
 * (`importHistory`, the path of `consign import history`), in orders per second from the
 * JSON-lines text to committed rows, 3 runs per engine, each into a channel of its own.
 */
import { sql } from 'drizzle-orm';
import type { Db, Engine } from '../src/db/index.ts';
import { importHistory, parseJsonLines } from '../src/history/index.ts';
import { onCleanup } from './cleanup.ts';
import { createBenchDatabase, migrateBenchDatabase } from './setup.ts';
import { spread } from './stats.ts';

const RUNS = 3;
const SKUS = 200;

/** `count` delivered orders of two lines, each captured, shipped from one location; one in ten returned. */
export function historyFile(count: number, prefix: string): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();
    const a = `HIST-${i % SKUS}`;
    const b = `HIST-${(i * 7 + 3) % SKUS}`;
    const returned = i % 10 === 0;
    lines.push(
      JSON.stringify({
        id: `${prefix}-${i}`,
        status: 'delivered',
        placed_at: at,
        customer: { email: `customer${i % 5000}@example.com`, name: `Customer ${i % 5000}` },
        lines: [
          { id: '1', sku: a, quantity: 2, unit_price_minor: 1250 },
          { id: '2', sku: b, quantity: 1, unit_price_minor: 3999 },
        ],
        shipping_minor: 499,
        total_minor: 2 * 1250 + 3999 + 499,
        payments: [{ id: `cap-${i}`, kind: 'capture', amount_minor: 6998, gateway: 'legacy', at }],
        shipments: [
          {
            id: `P-${i}`,
            location: 'HIST-DC',
            carrier: 'ups',
            status: 'delivered',
            shipped_at: at,
            delivered_at: at,
            lines: [
              { line: '1', quantity: 2 },
              { line: '2', quantity: 1 },
            ],
          },
        ],
        ...(returned && {
          returns: [
            { id: `R-${i}`, status: 'received', created_at: at, lines: [{ line: '1', quantity: 1, received: 1 }] },
          ],
        }),
      }),
    );
  }
  return lines.join('\n');
}

/** A location, its group and `SKUS` products; the channels are made per run. */
async function setUp(db: Db): Promise<string> {
  await db.execute(sql`insert into locations (id, code, name, type, address, timezone, capabilities)
    values ('loc_hist', 'HIST-DC', 'History DC', 'distribution_center', '{"line1":"1 Main St","city":"Boston","country":"US"}',
      'America/New_York', array['ship'])`);
  await db.execute(sql`insert into location_groups (id, code, name) values ('lgr_hist', 'hist', 'History')`);
  await db.execute(sql`insert into products (sku, name)
    select 'HIST-' || n, 'History product ' || n from generate_series(0, ${SKUS - 1}) as n`);
  return 'lgr_hist';
}

/** One engine: a fresh database, then `RUNS` imports of `count` orders, each into a new channel. */
async function measureEngine(engine: Engine, postgresUrl: string, count: number, log: (line: string) => void) {
  const bench = await createBenchDatabase(engine, postgresUrl);
  const drop = onCleanup({ name: `history bench database (${engine})`, run: () => bench.drop() });
  await migrateBenchDatabase(bench);
  const database = await bench.open();
  const rates: number[] = [];
  try {
    const group = await setUp(database.db);
    for (let run = 1; run <= RUNS; run++) {
      const channelId = `chn_hist_${run}`;
      await database.db.execute(sql`insert into channels (id, code, name, type, location_group_id)
        values (${channelId}, ${`hist-${run}`}, ${`History ${run}`}, 'web', ${group})`);
      const text = historyFile(count, `R${run}`);
      const started = performance.now();
      const result = await importHistory(database.db, { channelId, rows: parseJsonLines(text), actor: 'bench' });
      const seconds = (performance.now() - started) / 1000;
      if (!result.ok || result.value.imported !== count)
        throw new Error(`history import wrote ${result.ok ? result.value.imported : 0} of ${count}`);
      rates.push(count / seconds);
      log(
        `  ${engine} run ${run}: ${count} orders in ${seconds.toFixed(2)} s = ${Math.round(count / seconds)} orders/s`,
      );
    }
  } finally {
    await database.close();
    await drop();
  }
  return spread(rates);
}

export async function measureHistoryImport(
  engines: Engine[],
  options: { quick: boolean },
  postgresUrl: string,
  log: (line: string) => void,
): Promise<void> {
  const count = options.quick ? 2_000 : 20_000;
  const rows: string[] = [];
  for (const engine of engines) {
    log(`History import: ${count} delivered orders (2 lines, a capture, a parcel, 1 in 10 returned) × ${RUNS} runs`);
    const s = await measureEngine(engine, postgresUrl, count, log);
    const f = (n: number) => Math.round(n).toLocaleString('en-US');
    rows.push(`| ${engine} | ${count.toLocaleString('en-US')} | ${f(s.min)} / ${f(s.median)} / ${f(s.max)} |`);
  }
  process.stdout.write(
    `\n| engine | orders per run | orders/s (min / median / max of ${RUNS}) |\n|---|---|---|\n${rows.join('\n')}\n`,
  );
}
