import fs from 'node:fs';
import { Command, Option } from 'commander';
import { loadConfig } from '../config.ts';
import type { ExportFormat, ExportKind } from '../exports/index.ts';
import { parseCsv, csvLine } from '../shared/csv.ts';
import { withDatabase } from './database.ts';
import { CliError } from './errors.ts';
import { drawBar } from './progress.ts';
import { adminKey, callServer, refusal } from './server-api.ts';

const KINDS = ['orders', 'invoices', 'credit_memos', 'payments', 'stock_movements'];

interface ExportOptions {
  since?: string;
  format: ExportFormat;
  out?: string;
  limit: string;
  server?: string;
}

/** Where an export stands: the cursor, and how many bytes of the file hold the rows before it. */
interface Progress {
  kind: string;
  format: ExportFormat;
  cursor: string;
  bytes: number;
}

interface Start {
  after?: string | undefined;
  since?: string | undefined;
}

interface PageLines {
  /** Each row as a line, without its line break. */
  lines: string[];
  next: string;
  remaining: number;
}

type PageSource = (start: Start, limit: number) => Promise<PageLines>;

const stateFile = (out: string) => `${out}.cursor`;

function readProgress(out: string, kind: string, format: ExportFormat): Progress | undefined {
  let text: string;
  try {
    text = fs.readFileSync(stateFile(out), 'utf8');
  } catch {
    if (fs.existsSync(out) && fs.statSync(out).size > 0) {
      throw new CliError(
        `${out} exists but has no ${stateFile(out)}: it is not an export this command can resume. Choose another --out, or remove the file.`,
      );
    }
    return undefined;
  }
  const progress = JSON.parse(text) as Progress;
  if (progress.kind !== kind || progress.format !== format) {
    throw new CliError(`${out} is a ${progress.format} export of ${progress.kind}, not a ${format} export of ${kind}.`);
  }
  return progress;
}

/** Writes the position after the rows just made durable: a crash before it re-fetches them. */
function writeProgress(out: string, progress: Progress): void {
  const temporary = `${stateFile(out)}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(progress)}\n`);
  fs.renameSync(temporary, stateFile(out));
}

/** Runs `work` with pages read from the configured database directly. */
async function withDatabaseSource<T>(
  kind: ExportKind,
  format: ExportFormat,
  work: (source: PageSource) => Promise<T>,
): Promise<T> {
  const { readExportPage, formatRow } = await import('../exports/index.ts');
  const { DataDirInUseError } = await import('../db/index.ts');
  try {
    return await withDatabase(
      loadConfig(),
      ({ db }) =>
        work(async (start, limit) => {
          const page = await readExportPage(db, { kind, ...start, limit });
          if (!page.ok) throw new CliError(page.problem.detail);
          return {
            lines: page.value.rows.map((row) => formatRow(kind, row, format)),
            next: page.value.nextCursor,
            remaining: page.value.remaining,
          };
        }),
      { requireSchema: true },
    );
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    throw new CliError(
      `The embedded database in ${error.dataDir} is open in a running server (pid ${error.pid}): export through it with --server http://localhost:<port> and an admin key in CONSIGN_API_KEY.`,
    );
  }
}

function serverSource(server: string, kind: string, format: ExportFormat): PageSource {
  const key = adminKey(loadConfig());
  return async (start, limit) => {
    const params = new URLSearchParams({ format, limit: String(limit) });
    if (start.after) params.set('after', start.after);
    if (start.since) params.set('since', start.since);
    const response = await callServer(server, `/v1/exports/${kind}?${params}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    if (!response.ok)
      throw new CliError(`The server refused the export (${response.status}: ${await refusal(response)}).`);
    const text = await response.text();
    const lines =
      format === 'csv'
        ? parseCsv(text)
            .slice(1)
            .map((cells) => csvLine(cells))
        : text.split('\n').filter((line) => line !== '');
    return {
      lines,
      next: response.headers.get('consign-next-cursor') ?? start.after ?? '',
      remaining: Number(response.headers.get('consign-remaining') ?? 0),
    };
  };
}

/** Fetches pages until none is left, handing each to `write`; draws a progress bar on a terminal. */
async function drain(
  kind: string,
  source: PageSource,
  start: Start,
  limit: number,
  write: (lines: string[], next: string) => void,
): Promise<number> {
  let done = 0;
  let position = start;
  const bar = process.stderr.isTTY;
  for (;;) {
    const page = await source(position, limit);
    write(page.lines, page.next);
    done += page.lines.length;
    if (bar) drawBar(process.stderr, `Exporting ${kind}`, done / (done + page.remaining || 1), `${done} rows`);
    if (page.remaining === 0 || page.lines.length === 0) break;
    position = { after: page.next };
  }
  if (bar) process.stderr.write('\n');
  return done;
}

async function runExport(kind: ExportKind, options: ExportOptions): Promise<void> {
  const { csvHeader, isExportCursor } = await import('../exports/index.ts');
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new CliError('--limit must be a whole number from 1 to 10000.');
  const format = options.format;
  const given: Start =
    options.since === undefined
      ? {}
      : isExportCursor(options.since)
        ? { after: options.since }
        : { since: options.since };
  const out = options.out;
  const resumed = out ? readProgress(out, kind, format) : undefined;
  const start: Start = resumed ? { after: resumed.cursor } : given;
  if (resumed && options.since !== undefined) {
    process.stderr.write(`Resuming ${out} from its last row; --since applies only to a new file.\n`);
  }

  let fd: number | undefined;
  let bytes = 0;
  if (out) {
    const size = fs.existsSync(out) ? fs.statSync(out).size : 0;
    if (resumed && size < resumed.bytes) {
      throw new CliError(
        `${out} is shorter than ${stateFile(out)} records (${size} of ${resumed.bytes} bytes): it was changed since. Remove both to export again from the start.`,
      );
    }
    fd = fs.openSync(out, fs.existsSync(out) ? 'r+' : 'w');
    bytes = resumed?.bytes ?? 0;
    fs.ftruncateSync(fd, bytes); // rows written after the last recorded position are fetched again
    if (!resumed && format === 'csv') bytes += fs.writeSync(fd, `${csvHeader(kind)}\r\n`, bytes);
  }
  const eol = format === 'csv' ? '\r\n' : '\n';
  if (fd === undefined && format === 'csv') process.stdout.write(`${csvHeader(kind)}\r\n`);
  let last = start.after ?? '';
  const write = (lines: string[], next: string) => {
    last = next;
    const text = lines.map((line) => line + eol).join('');
    if (fd === undefined) {
      process.stdout.write(text);
      return;
    }
    bytes += fs.writeSync(fd, text, bytes);
    fs.fsyncSync(fd);
    writeProgress(out!, { kind, format, cursor: next, bytes });
  };
  try {
    const rows = options.server
      ? await drain(kind, serverSource(options.server, kind, format), start, limit, write)
      : await withDatabaseSource(kind, format, (source) => drain(kind, source, start, limit, write));
    process.stderr.write(
      `Exported ${rows.toLocaleString('en-US')} ${kind} row(s)${out ? ` to ${out}` : ''}. Next cursor: ${last || '(none yet)'}\n`,
    );
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export function exportCommand(): Command {
  return new Command('export')
    .description('Export orders, invoices, credit memos, payments or stock movements for an ERP (JSON Lines or CSV).')
    .addHelpText(
      'after',
      `
Kinds: ${KINDS.join(', ')}. Columns: docs/exports.md.

Every row carries its cursor (the first column). With --out, the file's position is kept in
FILE.cursor after each page is on disk: run the same command again to go on where it stopped
(after a crash too), with no row skipped or written twice. Without --out, rows go to stdout.

Examples:
  $ consign export orders --since 2026-11-01 --out orders.jsonl
  $ consign export stock_movements --format csv --out movements.csv     (again later: only new rows)
  $ consign export payments --since x1.WyJwYXltZW50cyIsNDIsbnVsbF0 > payments.jsonl
  $ CONSIGN_API_KEY=csk_… consign export invoices --out invoices.jsonl --server http://localhost:3000`,
    )
    .addArgument(new Command().createArgument('<kind>', 'what to export').choices(KINDS))
    .option('--since <date|cursor>', 'start at this date (2026-11-01) or after this cursor (for a new file)')
    .addOption(new Option('--format <format>', 'jsonl or csv').choices(['jsonl', 'csv']).default('jsonl'))
    .option('--out <file>', 'append to this file and keep its position in FILE.cursor (resumable)')
    .option('--limit <rows>', 'rows per page', '1000')
    .option('--server <url>', "export through a running server's API (needed for a running embedded database)")
    .action((kind: ExportKind, options: ExportOptions) => runExport(kind, options));
}
