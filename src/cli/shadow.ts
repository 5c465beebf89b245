import fs from 'node:fs';
import { Command } from 'commander';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/index.ts';
import type { Problem } from '../shared/problem.ts';
import type { Result } from '../shared/result.ts';
import { withDatabase } from './database.ts';
import { CliError } from './errors.ts';
import { formatTable } from './keys-list.ts';

function readFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
}

/** The shadow channel an option names, or a CLI error saying why there is none. */
async function shadowChannel(db: Db, idOrCode: string) {
  const { findChannel } = await import('../network/index.ts');
  const channel = await findChannel(db, idOrCode);
  if (!channel) throw new CliError(`No channel ${idOrCode}: see GET /v1/channels for the IDs and codes.`);
  return channel;
}

function refusal(problem: Problem): CliError {
  const errors = (problem.errors as { pointer: string; message: string }[] | undefined) ?? [];
  const listed =
    errors.length > 0
      ? `\n${formatTable(
          ['record', 'problem'],
          errors.map((e) => [e.pointer, e.message]),
        )}`
      : '';
  return new CliError(`${problem.detail}${listed}\nNothing was written.`);
}

/** `consign shadow outcomes|stock FILE`: a file of records taken all or none in one transaction. */
function feedCommand(
  name: string,
  description: string,
  help: string,
  ingest: (db: Db, text: string, channel: string | undefined) => Promise<Result<{ records: number; stored?: number }>>,
  channelRequired: boolean,
): Command {
  const command = new Command(name).description(description).argument('<file>', 'a JSON array or JSON lines');
  if (channelRequired) command.requiredOption('--channel <id>', 'the shadow channel (ID or code)');
  return command.addHelpText('after', help).action(async (file: string, options: { channel?: string }) => {
    const text = readFile(file);
    process.stderr.write(`Reading ${file}…\n`);
    const result = await withDatabase(loadConfig(), ({ db }) => ingest(db, text, options.channel), {
      requireSchema: true,
    });
    if (!result.ok) throw refusal(result.problem);
    const { records, stored } = result.value;
    console.log(`${records} record(s) taken${stored === undefined ? '' : `, ${stored} new`}.`);
  });
}

const OUTCOMES_HELP = `
One record per line (or a JSON array), each with external_id and kind:
  allocation, shipment  sku, location (ID or code), quantity
  cancellation          sku and quantity, or neither for the whole order
  status                status (created … delivered, allocated, backordered, rejected, cancelled)
  money                 total, captured, refunded as { "amount": 1999, "currency": "USD" }
and optionally placed_at (the legacy placement) and at (when it happened). Any bad record refuses
the whole file; a record sent again is kept once.

Example:
  $ consign shadow outcomes legacy-2026-12-01.jsonl --channel web`;

const STOCK_HELP = `
One record per line (or a JSON array): sku, location (ID or code), on_hand and as_of (ISO 8601).
Any bad record refuses the whole file; a count of the same SKU, location and moment replaces the first.

Example:
  $ consign shadow stock legacy-stock-2026-12-01.jsonl`;

interface ReconcileOptions {
  channel: string;
  from: string;
  to: string;
  days?: boolean;
  csv?: boolean;
  json?: boolean;
  out?: string;
}

function reconcileCommand(): Command {
  return new Command('reconcile')
    .description("A shadow channel's reconciliation with the legacy system over a window.")
    .requiredOption('--channel <id>', 'the shadow channel (ID or code)')
    .requiredOption('--from <date>', 'inclusive: a date (2026-12-01) or an ISO 8601 date and time')
    .requiredOption('--to <date>', 'exclusive; a date includes that whole day (UTC)')
    .option('--days', 'drift over time: the count of each kind of difference per day')
    .option('--csv', 'print CSV')
    .option('--json', 'print the whole report as JSON')
    .option('--out <file>', 'write the CSV or JSON to a file instead')
    .addHelpText(
      'after',
      `
Kinds of difference: only_in_consign, only_in_legacy, status, allocation (with Consign's
explanation), money (total, captured, refunded, to the cent) and stock (per SKU and location).
The table shows every difference (or, with --days, the counts per day).

Example:
  $ consign shadow reconcile --channel web --from 2026-12-01 --to 2026-12-07 --csv --out recon.csv`,
    )
    .action(async (options: ReconcileOptions) => {
      const report = await withDatabase(
        loadConfig(),
        async ({ db }) => {
          const { reconciliationReport, reportWindow } = await import('../shadow/index.ts');
          const channel = await shadowChannel(db, options.channel);
          const window = reportWindow(channel.id, options.from, options.to);
          if (!window.ok) throw new CliError(window.problem.detail);
          return reconciliationReport(db, window.value);
        },
        { requireSchema: true },
      );
      const { daysCsv, reportCsv } = await import('../shadow/index.ts');
      const text = options.json
        ? JSON.stringify(report, null, 2)
        : options.csv
          ? options.days
            ? daysCsv(report)
            : reportCsv(report)
          : undefined;
      if (text !== undefined) {
        if (options.out) fs.writeFileSync(options.out, text);
        else process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
        return;
      }
      printReport(report, options.days ?? false);
    });
}

type Report = Awaited<ReturnType<(typeof import('../shadow/index.ts'))['reconciliationReport']>>;

function printReport(report: Report, days: boolean): void {
  const value = (v: Report['differences'][number]['consign']) =>
    v === null ? '-' : Array.isArray(v) ? v.map((p) => `${p.location_id}:${p.quantity}`).join(' ') : String(v);
  if (days) {
    const kinds = Object.keys(report.summary);
    console.log(
      formatTable(
        ['day', ...kinds, 'total'],
        report.days.map((d) => [d.day, ...kinds.map((k) => String(d[k as keyof typeof d])), String(d.total)]),
      ),
    );
  } else if (report.differences.length > 0) {
    console.log(
      formatTable(
        ['day', 'kind', 'order', 'sku', 'location', 'field', 'consign', 'legacy'],
        report.differences.map((d) => [
          d.day,
          d.kind,
          d.external_id ?? '-',
          d.sku ?? '-',
          d.location_id ?? '-',
          d.field ?? '-',
          value(d.consign),
          value(d.legacy),
        ]),
      ),
    );
  }
  const counts = Object.entries(report.summary).map(([kind, n]) => `${n} ${kind}`);
  console.log(
    `${report.orders.consign} order(s) in Consign, ${report.orders.legacy} in the legacy system: ${counts.join(', ')}.`,
  );
}

export function shadowCommand(): Command {
  return new Command('shadow')
    .description('Shadow mode: feed the legacy system’s outcomes and stock, and reconcile (docs/shadow-mode.md).')
    .addCommand(
      feedCommand(
        'outcomes',
        "Take the legacy system's outcomes (allocations, shipments, cancellations, statuses, money) for a shadow channel.",
        OUTCOMES_HELP,
        async (db, text, idOrCode) => {
          const { inTransaction } = await import('../db/index.ts');
          const { ingestOutcomes } = await import('../shadow/index.ts');
          const channel = await shadowChannel(db, idOrCode!);
          if (channel.mode !== 'shadow') throw new CliError(`Channel ${idOrCode} is not in shadow mode.`);
          return inTransaction(db, (tx) => ingestOutcomes(tx, channel, text));
        },
        true,
      ),
    )
    .addCommand(
      feedCommand(
        'stock',
        "Take the legacy system's stock counts (sku, location, on_hand, as_of).",
        STOCK_HELP,
        async (db, text) => {
          const { inTransaction } = await import('../db/index.ts');
          const { ingestStock } = await import('../shadow/index.ts');
          return inTransaction(db, (tx) => ingestStock(tx, text));
        },
        false,
      ),
    )
    .addCommand(reconcileCommand());
}
