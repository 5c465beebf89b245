import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { loadConfig } from '../config.ts';
import type { SnapshotFormat, SnapshotRow } from '../exports/index.ts';
import { withDatabase } from './database.ts';
import { CliError } from './errors.ts';
import { formatTable } from './keys-list.ts';
import { adminKey, callServer, refusal } from './server-api.ts';

interface ReconcileOptions {
  format?: SnapshotFormat;
  apply?: boolean;
  reference?: string;
  reason?: string;
  json?: boolean;
  server?: string;
}

interface Report {
  reference: string;
  applied: boolean;
  summary: { rows: number; match: number; difference: number; missing_in_consign: number; missing_in_snapshot: number };
  lines: {
    location_id: string;
    sku: string;
    status: string;
    snapshot_on_hand: number | null;
    consign_on_hand: number | null;
    difference: number;
  }[];
}

async function readSnapshot(file: string, format: SnapshotFormat): Promise<SnapshotRow[]> {
  const { parseSnapshot } = await import('../exports/index.ts');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const { rows, errors } = parseSnapshot(text, format);
  if (errors.length > 0) {
    const listed = errors
      .slice(0, 5)
      .map((e) => `line ${e.line}: ${e.message}`)
      .join('; ');
    throw new CliError(
      `${file} has ${errors.length} bad row(s) (${listed}${errors.length > 5 ? '; …' : ''}): nothing was compared.`,
    );
  }
  return rows;
}

async function reconcileInDatabase(rows: SnapshotRow[], options: ReconcileOptions): Promise<Report> {
  return withDatabase(
    loadConfig(),
    async ({ db }) => {
      const { inTransaction } = await import('../db/index.ts');
      const { reconcileSnapshot } = await import('../exports/index.ts');
      const result = await inTransaction(db, (tx) =>
        reconcileSnapshot(tx, {
          rows,
          apply: options.apply ?? false,
          reference: options.reference,
          reason: options.reason,
          actor: 'cli',
        }),
      );
      if (!result.ok) throw new CliError(`${result.problem.detail} Nothing was applied.`);
      return result.value;
    },
    { requireSchema: true },
  );
}

async function reconcileThroughServer(server: string, rows: SnapshotRow[], options: ReconcileOptions): Promise<Report> {
  const response = await callServer(server, '/v1/inventory/reconciliations', {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey(loadConfig())}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      rows,
      apply: options.apply ?? false,
      ...(options.reference ? { reference: options.reference } : {}),
      ...(options.reason ? { reason: options.reason } : {}),
    }),
  });
  if (!response.ok) {
    throw new CliError(`The server refused the snapshot (${response.status}: ${await refusal(response)}).`);
  }
  return (await response.json()) as Report;
}

function reconcileCommand(): Command {
  return new Command('reconcile')
    .description("Compare an ERP/WMS stock snapshot with Consign's levels; --apply sets Consign's to the snapshot's.")
    .argument('<file>', 'the snapshot: CSV with a header row, or JSON Lines')
    .addOption(new Option('--format <format>', 'csv or jsonl (default: from the file name)').choices(['csv', 'jsonl']))
    .option('--apply', "set Consign's on hand to the snapshot's: stock counts with ledger rows, all or none")
    .option('--reference <text>', "the snapshot's document, kept on every ledger row (default: a new rec_ ID)")
    .option('--reason <text>', 'the ledger rows’ reason (default: stock reconciliation)')
    .option('--json', 'print the whole report as JSON')
    .option('--server <url>', "go through a running server's API (needed for a running embedded database)")
    .addHelpText(
      'after',
      `
The snapshot names location_id (or location: an ID or code), sku and on_hand (or quantity) per
row. It is compared, per SKU and location at the snapshot's locations, with Consign's on hand:
match, difference, missing_in_consign (no stock level in Consign) or missing_in_snapshot (a level
holding stock that the snapshot leaves out). Any bad row refuses the whole file.

With --apply, each differing level is set to the snapshot's count (zero where the snapshot leaves
it out) as a \`count\` ledger row with the reason and reference; if any cannot be (unknown SKU,
below reserved) none is.

Examples:
  $ consign inventory reconcile wms-2026-11-30.csv
  $ consign inventory reconcile erp-stock.jsonl --apply --reference "ERP count 2026-11"`,
    )
    .action(async (file: string, options: ReconcileOptions) => {
      const format = options.format ?? (/\.(jsonl|ndjson|json)$/i.test(path.extname(file)) ? 'jsonl' : 'csv');
      const rows = await readSnapshot(file, format);
      const report = options.server
        ? await reconcileThroughServer(options.server, rows, options)
        : await reconcileInDatabase(rows, options);
      if (options.json) {
        console.log(JSON.stringify(report, null, 2));
        return;
      }
      const open = report.lines.filter((l) => l.status !== 'match');
      if (open.length > 0) {
        const cell = (n: number | null) => (n === null ? '-' : String(n));
        console.log(
          formatTable(
            ['location', 'sku', 'status', 'snapshot', 'consign', 'difference'],
            open.map((l) => [
              l.location_id,
              l.sku,
              l.status,
              cell(l.snapshot_on_hand),
              cell(l.consign_on_hand),
              String(l.difference),
            ]),
          ),
        );
      }
      const s = report.summary;
      console.log(
        `${s.rows} snapshot row(s): ${s.match} match, ${s.difference} differ, ${s.missing_in_consign} missing in Consign, ${s.missing_in_snapshot} missing in the snapshot.` +
          (report.applied ? ` Applied as ${report.reference}.` : ''),
      );
    });
}

export function inventoryCommand(): Command {
  return new Command('inventory').description('Stock: reconcile with an ERP or WMS.').addCommand(reconcileCommand());
}
