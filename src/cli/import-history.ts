import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { loadConfig } from '../config.ts';
import type { HistoryImportResult, HistoryRow } from '../history/index.ts';
import { withDatabase } from './database.ts';
import { CliError } from './errors.ts';
import { formatTable } from './keys-list.ts';
import { drawBar } from './progress.ts';

interface HistoryOptions {
  channel: string;
  format: 'consign' | 'olist';
  managedOpen?: boolean;
  batchSize?: string;
  json?: boolean;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
}

/** The Olist folder: its files by their names in the Kaggle dataset or in its 10k subset. */
function readOlistFolder(folder: string) {
  const pick = (...names: string[]) => names.map((n) => path.join(folder, n)).find((f) => fs.existsSync(f));
  const need = (...names: string[]) => {
    const file = pick(...names);
    if (!file) throw new CliError(`${folder} has no ${names.join(' or ')}: point --format olist at the Olist folder.`);
    return readText(file);
  };
  const maybe = (...names: string[]) => {
    const file = pick(...names);
    return file ? readText(file) : undefined;
  };
  return {
    orders: need('orders.csv', 'olist_orders_dataset.csv'),
    items: need('order_items.csv', 'olist_order_items_dataset.csv'),
    customers: need('customers.csv', 'olist_customers_dataset.csv'),
    products: maybe('products.csv', 'olist_products_dataset.csv'),
    categories: maybe('product_category_name_translation.csv'),
  };
}

async function readRows(file: string, format: HistoryOptions['format']) {
  const { parseJsonLines, readOlist } = await import('../history/index.ts');
  if (format === 'olist') return readOlist(readOlistFolder(file));
  return { rows: parseJsonLines(readText(file)) as HistoryRow[], products: undefined };
}

function printResult(result: HistoryImportResult, json: boolean | undefined): void {
  if (json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  if (result.report.length > 0)
    console.log(
      formatTable(
        ['row', 'field', 'problem'],
        result.report.map((e) => [String(e.row), e.field, e.problem]),
      ),
    );
  console.log(
    `${result.rows} order(s): ${result.imported} imported, ${result.placed} placed as managed, ` +
      `${result.duplicates} already imported, ${result.rejected} rejected.`,
  );
}

export function importHistoryCommand(): Command {
  return new Command('history')
    .description("Import a previous system's orders as they were (unmanaged), with a validation report.")
    .argument('<file>', "a JSON-lines file in Consign's history format, or the Olist folder with --format olist")
    .requiredOption('--channel <id>', 'the channel the orders belong to (ID or code)')
    .addOption(
      new Option('--format <format>', 'consign (JSON lines) or olist (a folder of Olist CSV files)')
        .choices(['consign', 'olist'])
        .default('consign'),
    )
    .option('--managed-open', 'place open orders with nothing shipped as managed orders that Consign routes')
    .option('--batch-size <n>', 'orders written per transaction', '1000')
    .option('--json', 'print the result and the validation report as JSON')
    .addHelpText(
      'after',
      `
Each line of the file is one order with its lines, payments, shipments, returns and refunds,
money in integer minor units (docs/migration.md). Every order is checked on its own: a
rejected order writes nothing and is listed in the validation report (row, field, problem).
Accepted orders are written in batches, unmanaged: Consign reports on them and shows them,
but never routes, captures, cancels or changes them. Orders already imported (same channel
and ID, same content) are skipped, so the command can run again on the same file.

--format olist reads the Olist marketplace dataset (orders.csv, order_items.csv,
customers.csv, products.csv) and adds the products it names to the catalog.

Examples:
  $ consign import history legacy-orders.jsonl --channel web
  $ consign import history ./olist --format olist --channel olist --json`,
    )
    .action(async (file: string, options: HistoryOptions) => {
      const { rows, products } = await readRows(file, options.format);
      const batchSize = Number(options.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new CliError('--batch-size must be a positive integer.');
      const started = Date.now();
      const result = await withDatabase(
        loadConfig(),
        async ({ db }) => {
          const { findChannel } = await import('../network/index.ts');
          const { importHistory } = await import('../history/index.ts');
          const channel = await findChannel(db, options.channel);
          if (!channel)
            throw new CliError(`No channel ${options.channel}: see GET /v1/channels for the IDs and codes.`);
          const imported = await importHistory(db, {
            channelId: channel.id,
            rows,
            products,
            managedOpen: options.managedOpen,
            batchSize,
            actor: 'cli',
            onProgress: (done, total) =>
              drawBar(process.stderr, 'Importing history', total === 0 ? 1 : done / total, `${done}/${total}`),
          });
          if (!imported.ok) throw new CliError(imported.problem.detail);
          return imported.value;
        },
        { requireSchema: true },
      );
      process.stderr.write(`\n${Math.round((rows.length / Math.max(1, Date.now() - started)) * 1000)} orders/s\n`);
      printResult(result, options.json);
      if (result.rejected > 0)
        throw new CliError(
          `${result.rejected} order(s) rejected and not written: fix the rows reported and import again.`,
        );
    });
}
