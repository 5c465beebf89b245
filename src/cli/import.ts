import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { loadConfig } from '../config.ts';
import { withDatabase } from './database.ts';
import { CliError } from './errors.ts';
import { importHistoryCommand } from './import-history.ts';
import { formatTable } from './keys-list.ts';

interface ImportOptions {
  channel: string;
  format?: 'csv' | 'json';
  dryRun?: boolean;
  json?: boolean;
}

function importOrdersCommand(): Command {
  return new Command('orders')
    .description('Import orders from a CSV or JSON file for a channel without a connector.')
    .argument('<file>', 'the file to import')
    .requiredOption('--channel <id>', 'the channel the orders belong to (ID or code)')
    .addOption(new Option('--format <format>', 'csv or json (default: from the file name)').choices(['csv', 'json']))
    .option('--dry-run', 'check every order and report, but write nothing')
    .option('--json', 'print the result and the validation report as JSON')
    .addHelpText(
      'after',
      `
CSV: a header row, then one row per order line; rows with the same external_id form one order.
Columns: external_id, placed_at, customer_email, customer_name, sku, quantity, unit_price, currency,
shipping, tax, discount, total, payment_gateway, payment_reference, delivery_method,
pickup_location_id, ship_name, ship_line1, ship_line2, ship_city, ship_region, ship_postal_code,
ship_country. Amounts are decimals (19.99); order fields are read from an order's first row.
JSON: an array of orders in the POST /v1/orders shape (channel may be left out), or JSON lines
(.jsonl): one such order per line.

Each order is checked and placed on its own, exactly as POST /v1/orders places it: a rejected
order writes nothing and is listed in the validation report (row, field, problem). Orders already
imported (same external_id) are skipped, so a corrected file can be imported again.

Example:
  $ consign import orders legacy-orders.csv --channel web --dry-run`,
    )
    .action(async (file: string, options: ImportOptions) => {
      const format = options.format ?? (/^\.(json|jsonl|ndjson)$/i.test(path.extname(file)) ? 'json' : 'csv');
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
      }
      const result = await withDatabase(
        loadConfig(),
        async ({ db }) => {
          const { findChannel } = await import('../network/index.ts');
          const { importOrders } = await import('../connectors/index.ts');
          const channel = await findChannel(db, options.channel);
          if (!channel)
            throw new CliError(`No channel ${options.channel}: see GET /v1/channels for the IDs and codes.`);
          return importOrders(db, {
            channelId: channel.id,
            format,
            text,
            dryRun: options.dryRun,
            onProgress: (done, total) => process.stderr.write(`\rImporting orders: ${done}/${total}`),
          });
        },
        { requireSchema: true },
      );
      process.stderr.write('\n');
      if (options.json) console.log(JSON.stringify(result, null, 2));
      else {
        if (result.report.length > 0) {
          console.log(
            formatTable(
              ['row', 'field', 'problem'],
              result.report.map((e) => [String(e.row), e.field, e.problem]),
            ),
          );
        }
        const verb = options.dryRun ? 'would be placed' : 'placed';
        console.log(
          `${result.orders} order(s): ${result.placed} ${verb}, ${result.duplicates} already imported, ${result.rejected} rejected.`,
        );
      }
      if (result.rejected > 0) {
        throw new CliError(
          `${result.rejected} order(s) rejected and not written: fix the rows reported and import the file again.`,
        );
      }
    });
}

export function importCommand(): Command {
  return new Command('import')
    .description('Import data from files.')
    .addCommand(importOrdersCommand())
    .addCommand(importHistoryCommand());
}
