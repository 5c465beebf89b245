import { sql } from 'drizzle-orm';
import { migrate, migrationIds, query, type Database, type Tx } from '../db/index.ts';
import {
  firstTableWithRows,
  listTables,
  readForeignKeys,
  tableId,
  tableRef,
  writableColumns,
  type ForeignKey,
} from './catalog.ts';
import { parseLine, type BackupHeader, type ControlLine } from './format.ts';

/** Rows per INSERT, and the most JSON text one INSERT carries. */
const BATCH_ROWS = 500;
const BATCH_CHARS = 1024 * 1024;

export type RestoreProblem =
  | { code: 'not_a_backup'; detail: string }
  | { code: 'incomplete_backup'; detail: string }
  | { code: 'unknown_schema'; detail: string }
  | { code: 'not_empty'; detail: string; table: string };

export type RestoreOutcome =
  { ok: true; header: BackupHeader; migrated: number } | { ok: false; problem: RestoreProblem };

interface RestoreOptions {
  /** Replace what the database holds (drops its `public` schema) instead of refusing. */
  force?: boolean;
}

/** Carries a problem out of the transaction, which must roll back. */
class RestoreFailure extends Error {
  constructor(readonly problem: RestoreProblem) {
    super(problem.detail);
  }
}

const fail = (problem: RestoreProblem): never => {
  throw new RestoreFailure(problem);
};

/** The backup's lines, parsed: control lines as values, rows as their JSON text. */
async function* parsed(lines: AsyncIterable<string>): AsyncGenerator<{ row: string } | { control: ControlLine }> {
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line === '') continue;
    const result = parseLine(line);
    if ('error' in result) fail({ code: 'not_a_backup', detail: `Line ${number}: ${result.error}.` });
    else yield result;
  }
}

function checkSchema(header: BackupHeader): void {
  const ids = migrationIds();
  if (header.migration > (ids.at(-1) ?? 0)) {
    fail({
      code: 'unknown_schema',
      detail:
        'The backup was taken by a newer Consign (its schema has migrations this one lacks): restore it with that version or a later one.',
    });
  }
  if (!ids.includes(header.migration)) {
    fail({
      code: 'unknown_schema',
      detail: `The backup's schema (migration ${header.migration}) is not one of this Consign's migrations.`,
    });
  }
}

/** An empty database, or with `force` one emptied: its schema dropped, so migrations build it afresh. */
async function prepareTarget(tx: Tx, force: boolean): Promise<void> {
  const table = await firstTableWithRows(tx);
  if (table === undefined) return;
  if (!force) {
    fail({
      code: 'not_empty',
      table,
      detail: `The database already holds data (table ${table} has rows). Restore into a new, empty database, or pass --force to replace everything in it.`,
    });
  }
  await tx.execute(sql`drop schema if exists drizzle cascade`);
  await tx.execute(sql`drop schema public cascade`);
  await tx.execute(sql`create schema public`);
}

async function insertBatch(tx: Tx, table: string, columns: string[], rows: string[]): Promise<void> {
  const list = sql.join(
    columns.map((column) => sql.identifier(column)),
    sql`, `,
  );
  await tx.execute(
    sql`insert into ${tableId(table)} (${list}) overriding system value
        select ${list} from json_populate_recordset(null::${tableId(table)}, ${`[${rows.join(',')}]`}::json)`,
  );
}

/** Foreign keys and user triggers are off while rows arrive in table order, and checked again after. */
async function suspendChecks(tx: Tx, tables: string[]): Promise<() => Promise<void>> {
  const keys: ForeignKey[] = await readForeignKeys(tx);
  for (const key of keys) {
    await tx.execute(sql`alter table ${tableId(key.table)} drop constraint ${sql.identifier(key.name)}`);
  }
  for (const table of tables) await tx.execute(sql`alter table ${tableId(table)} disable trigger user`);
  return async () => {
    for (const table of tables) await tx.execute(sql`alter table ${tableId(table)} enable trigger user`);
    for (const key of keys) {
      await tx.execute(
        sql`alter table ${tableId(key.table)} add constraint ${sql.identifier(key.name)} ${sql.raw(key.definition)}`,
      );
    }
  };
}

/** Loads every table's rows, checking each table's count against the header and the end line. */
async function loadRows(
  tx: Tx,
  header: BackupHeader,
  lines: AsyncGenerator<{ row: string } | { control: ControlLine }>,
): Promise<void> {
  const expected = new Map(header.tables.map((t) => [t.name, t.rows]));
  let table: { name: string; columns: string[]; done: number } | undefined;
  let batch: string[] = [];
  let batchChars = 0;
  const flush = async () => {
    if (!table || batch.length === 0) return;
    await insertBatch(tx, table.name, table.columns, batch);
    table.done += batch.length;
    [batch, batchChars] = [[], 0];
  };
  const finishTable = async () => {
    await flush();
    if (table && table.done !== expected.get(table.name)) {
      fail({
        code: 'incomplete_backup',
        detail: `Table ${table.name} has ${table.done} rows in the backup, its header says ${expected.get(table.name)}.`,
      });
    }
  };
  for await (const line of lines) {
    if ('row' in line) {
      if (!table) fail({ code: 'not_a_backup', detail: 'Rows come before any table line.' });
      batch.push(line.row);
      batchChars += line.row.length;
      if (batch.length >= BATCH_ROWS || batchChars >= BATCH_CHARS) await flush();
      continue;
    }
    await finishTable();
    const control = line.control;
    if (control.kind === 'end') return;
    if (control.kind === 'header' || !expected.has(control.name)) {
      fail({
        code: 'not_a_backup',
        detail: `Unexpected ${control.kind === 'header' ? 'second header' : `table ${control.name}`}.`,
      });
    } else {
      table = { name: control.name, columns: await writableColumns(tx, control.name), done: 0 };
    }
  }
  fail({ code: 'incomplete_backup', detail: 'The backup ends before its end line: the file is cut short.' });
}

async function restoreSequences(tx: Tx, header: BackupHeader): Promise<void> {
  for (const { name, value } of header.sequences) {
    if (value === null) continue;
    await query(tx, sql`select setval(${tableRef(name)}, ${value}, true)`);
  }
}

/**
 * Restores a backup (see format.ts) into an empty database, all in one transaction: builds the
 * schema the backup was taken at, loads every table's rows, sets the sequences, checks the
 * foreign keys again, then applies the migrations that came after. Any failure leaves the
 * database as it was.
 */
export async function restoreSnapshot(
  database: Database,
  lines: AsyncIterable<string>,
  options: RestoreOptions = {},
): Promise<RestoreOutcome> {
  const reader = parsed(lines);
  try {
    const first = await reader.next();
    if (first.done || !('control' in first.value) || first.value.control.kind !== 'header') {
      return fail({ code: 'not_a_backup', detail: 'The file does not start with a Consign backup header.' });
    }
    const header = first.value.control.header;
    checkSchema(header);
    const migrated = await database.db.transaction(async (tx) => {
      await prepareTarget(tx, options.force ?? false);
      await migrate(tx, { upTo: header.migration });
      const present = await listTables(tx);
      const missing = header.tables.find((t) => !present.includes(t.name));
      if (missing)
        fail({ code: 'unknown_schema', detail: `The backup has a table ${missing.name} that its schema lacks.` });
      // Migrations may write rows of their own (backfills): the backup holds the real ones.
      await tx.execute(sql`truncate ${sql.join(present.map(tableId), sql`, `)}`);
      const resume = await suspendChecks(tx, present);
      await loadRows(tx, header, reader);
      await restoreSequences(tx, header);
      await resume();
      return (await migrate(tx)).applied;
    });
    return { ok: true, header, migrated };
  } catch (error) {
    if (error instanceof RestoreFailure) return { ok: false, problem: error.problem };
    throw error;
  } finally {
    await reader.return(undefined);
  }
}
