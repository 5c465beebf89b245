import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, query, type Db } from '../../src/db/index.ts';
import { parseCsv } from '../../src/shared/csv.ts';
import {
  createCliTarget,
  killChildren,
  runConsign,
  spawnConsign,
  type CliTarget,
  CLI_TEST_TIMEOUT_MS,
} from './cli-process.ts';

let target: CliTarget;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consign-export-test-'));
const ROWS = 4_000;

/** Runs `work` on the target's database: the embedded one is opened only while no child has it. */
async function onDatabase<T>(work: (db: Db) => Promise<T>): Promise<T> {
  if (target.database) return work(target.database.db);
  const database = await openDatabase({ dataDir: target.env.CONSIGN_DATA_DIR, fsync: false });
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

/** `count` receipts of one unit each, written straight into the ledger (test data, not stock). */
const addMovements = (db: Db, count: number) =>
  db.execute(sql`insert into inventory_ledger (location_id, sku, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, reason)
    select 'loc_wh', 'SKU-1', 'receipt', 1, 0, g, 0, 'receipt ' || g from generate_series(1, ${count}) g`);

const ledgerIds = (db: Db) =>
  query<{ id: number }>(db, sql`select id from inventory_ledger where on_hand_delta <> 0 order by id`).then((rows) =>
    rows.map((r) => Number(r.id)),
  );

beforeAll(async () => {
  target = await createCliTarget();
  const migrated = await runConsign(['migrate'], target.env, 170_000);
  expect(migrated.code, migrated.stderr).toBe(0);
  await onDatabase(async (db) => {
    await db.execute(sql`insert into locations (id, code, type, name, address, timezone, capabilities)
      values ('loc_wh', 'WH', 'warehouse', 'Warehouse', '{"line1": "1 Main St", "city": "Albany", "country": "US"}', 'UTC', '{ship}')`);
    await db.execute(
      sql`insert into products (sku, name) select 'SKU-' || g, 'Product ' || g from generate_series(1, 4) g`,
    );
    await addMovements(db, ROWS);
  });
}, CLI_TEST_TIMEOUT_MS);
afterAll(async () => {
  killChildren();
  await target?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('consign export', { timeout: 2 * CLI_TEST_TIMEOUT_MS }, () => {
  it('killed mid-export and run again with writes in between, writes every row exactly once', async () => {
    const out = path.join(dir, 'movements.csv');
    const args = ['export', 'stock_movements', '--format', 'csv', '--out', out, '--limit', '25'];
    const child = spawnConsign(args, target.env);
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    // Kill it as soon as its first pages are on disk.
    while (!fs.existsSync(`${out}.cursor`) && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const cut = parseCsv(fs.readFileSync(out, 'utf8'));
    expect(cut.length - 1).toBeLessThan(ROWS);
    // A page written past the recorded position when the process died: the next run drops it.
    fs.appendFileSync(out, `${cut.at(-1)!.join(',')}\r\nx1.torn,12`);

    await onDatabase((db) => addMovements(db, 300));
    const resumed = await runConsign(args, target.env, 170_000);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/Exported [\d,]+ stock_movements row\(s\) to /);

    const table = parseCsv(fs.readFileSync(out, 'utf8'));
    expect(table[0]!.join(',')).toBe(
      'cursor,id,location_id,sku,kind,on_hand_delta,on_hand_after,reason,reference_type,reference_id,actor,occurred_at',
    );
    const ids = table.slice(1).map((cells) => Number(cells[1]));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(await onDatabase(ledgerIds));
    expect(ids).toHaveLength(ROWS + 300);

    // Later runs append only what is new.
    await onDatabase((db) => addMovements(db, 5));
    const again = await runConsign(args, target.env);
    expect(again.stderr).toContain('Exported 5 stock_movements row(s)');
    expect(parseCsv(fs.readFileSync(out, 'utf8'))).toHaveLength(ROWS + 305 + 1);
  });

  it('goes on from a cursor given as --since, and refuses a file it did not write', async () => {
    const first = await runConsign(['export', 'stock_movements', '--limit', '5000'], target.env);
    expect(first.code, first.stderr).toBe(0);
    const rows = first.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: number; cursor: string });
    const from = rows[99]!;
    const rest = await runConsign(['export', 'stock_movements', '--since', from.cursor, '--limit', '5000'], target.env);
    expect(rest.code, rest.stderr).toBe(0);
    const restIds = rest.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { id: number }).id);
    expect(restIds).toEqual(rows.slice(100).map((r) => r.id));

    const foreign = path.join(dir, 'foreign.jsonl');
    fs.writeFileSync(foreign, '{"not":"an export"}\n');
    const refused = await runConsign(['export', 'orders', '--out', foreign], target.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('not an export this command can resume');
    fs.writeFileSync(
      `${foreign}.cursor`,
      JSON.stringify({ kind: 'orders', format: 'jsonl', cursor: 'x1.e30', bytes: 4096 }),
    );
    const shorter = await runConsign(['export', 'orders', '--out', foreign], target.env);
    expect(shorter.code).toBe(1);
    expect(shorter.stderr).toContain('is shorter than');
    expect(fs.readFileSync(foreign, 'utf8')).toBe('{"not":"an export"}\n');
    const bad = await runConsign(['export', 'orders', '--since', 'last tuesday'], target.env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('since must be a date');
  });
});

describe('consign inventory reconcile', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('has help on export, inventory and inventory reconcile', async () => {
    for (const command of [['export'], ['inventory'], ['inventory', 'reconcile']]) {
      const result = await runConsign([...command, '--help']);
      expect(result.code, command.join(' ')).toBe(0);
      expect(result.stdout).toContain(`Usage: consign ${command.join(' ')}`);
    }
  });

  it('reports planted differences, applies them with --apply, and refuses a file with bad rows', async () => {
    await onDatabase((db) =>
      db.execute(sql`insert into stock_levels (location_id, sku, on_hand) values
        ('loc_wh', 'SKU-2', 10), ('loc_wh', 'SKU-3', 4)`),
    );
    const snapshot = path.join(dir, 'wms.csv');
    fs.writeFileSync(snapshot, 'location,sku,quantity\nWH,SKU-2,10\nWH,SKU-4,6\n');
    const report = await runConsign(['inventory', 'reconcile', snapshot, '--json'], target.env);
    expect(report.code, report.stderr).toBe(0);
    const body = JSON.parse(report.stdout) as {
      summary: Record<string, number>;
      lines: { sku: string; status: string }[];
    };
    expect(body.summary).toEqual({ rows: 2, match: 1, difference: 0, missing_in_consign: 1, missing_in_snapshot: 1 });
    expect(body.lines.map((l) => `${l.sku}:${l.status}`)).toEqual([
      'SKU-2:match',
      'SKU-3:missing_in_snapshot',
      'SKU-4:missing_in_consign',
    ]);

    const bad = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(
      bad,
      '{"location_id":"WH","sku":"SKU-2","on_hand":3}\n{"location_id":"WH","sku":"SKU-3","on_hand":-2}\n',
    );
    const refused = await runConsign(['inventory', 'reconcile', bad, '--apply'], target.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('line 2: on_hand must be a whole number');

    const applied = await runConsign(
      ['inventory', 'reconcile', snapshot, '--apply', '--reference', 'WMS-7'],
      target.env,
    );
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Applied as WMS-7.');
    const levels = await onDatabase((db) =>
      query<{ sku: string; on_hand: number }>(
        db,
        sql`select sku, on_hand from stock_levels where location_id = 'loc_wh' order by sku`,
      ),
    );
    expect(levels).toEqual([
      { sku: 'SKU-2', on_hand: 10 },
      { sku: 'SKU-3', on_hand: 0 },
      { sku: 'SKU-4', on_hand: 6 },
    ]);
  });
});
