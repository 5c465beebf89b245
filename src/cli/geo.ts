import fs from 'node:fs';
import { Command } from 'commander';
import { loadConfig } from '../config.ts';
import type { PostalImportProgress, PostalImportReport } from '../geo/index.ts';
import { withDatabase } from './database.ts';
import { CliError } from './errors.ts';
import { drawBar } from './progress.ts';

interface ImportOptions {
  skipInvalid?: boolean;
  json?: boolean;
}

/** A progress bar on stderr when it is a terminal, redrawn at most every 200 ms. */
function progressBar(file: string): { update: (progress: PostalImportProgress) => void; finish: () => void } {
  const stream = process.stderr;
  let drawnAt = 0;
  return {
    update: ({ lines, bytesRead, totalBytes }) => {
      if (!stream.isTTY || Date.now() - drawnAt < 200) return;
      drawnAt = Date.now();
      drawBar(
        stream,
        `Reading ${file}`,
        totalBytes === 0 ? 1 : bytesRead / totalBytes,
        `${lines.toLocaleString('en-US')} lines`,
      );
    },
    finish: () => {
      if (stream.isTTY && drawnAt > 0) stream.write('\n');
    },
  };
}

function summary(report: PostalImportReport): string {
  const countries = Object.entries(report.countries).map(([country, codes]) => `${country} ${codes}`);
  return (
    `${report.rows_read} row(s) read; postal codes stored: ${countries.join(', ') || 'none'}` +
    `; ${report.skipped} bad row(s) skipped.`
  );
}

function importCommand(): Command {
  return new Command('import')
    .description('Import postal-code centroids from a GeoNames-format file, replacing those of its countries.')
    .argument('<file>', 'a GeoNames postal-code file (tab-separated, 12 columns), e.g. BR.txt or allCountries.txt')
    .option('--skip-invalid', 'import the valid rows and count the bad ones instead of refusing the file')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
Orders with a postal code and no coordinates are routed to the centroid of their postal code
(the code itself, else its longest stored prefix of at least 3 characters; US ZIP codes fall
back to a built-in list). Consign ships no postal data: download a country's file, or
allCountries.zip, from the GeoNames postal-code export (CC BY 4.0: credit GeoNames) and unzip it.

Each country in the file has its centroids replaced by the file's, in one transaction: a
failed import leaves the previous ones. Places sharing a postal code become one centroid, the
mean of their coordinates, named after the first. A row with the wrong number of columns or a
bad latitude or longitude refuses the whole file, listing the bad rows by line number, unless
--skip-invalid. With the embedded database, stop the server first.

Examples:
  $ consign geo import BR.txt
  $ consign geo import allCountries.txt --skip-invalid --json`,
    )
    .action(async (file: string, options: ImportOptions) => {
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new CliError(`Cannot read ${file}: no such file.`);
      const bar = progressBar(file);
      const result = await withDatabase(
        loadConfig(),
        async ({ db }) => {
          const { importPostalCentroids } = await import('../geo/index.ts');
          return importPostalCentroids(db, file, { skipInvalid: options.skipInvalid ?? false, onProgress: bar.update });
        },
        { requireSchema: true },
      );
      bar.finish();
      if (!result.ok) {
        const invalid = (result.problem.invalid ?? []) as { line: number; message: string }[];
        const listed = invalid
          .slice(0, 10)
          .map((bad) => `  line ${bad.line}: ${bad.message}`)
          .join('\n');
        throw new CliError(
          `${result.problem.detail}\n${listed}${invalid.length > 10 ? '\n  …' : ''}\nFix them, or import the valid rows with --skip-invalid.`,
        );
      }
      console.log(options.json ? JSON.stringify(result.value, null, 2) : summary(result.value));
    });
}

export function geoCommand(): Command {
  return new Command('geo')
    .description('Postal-code centroids for routing orders without coordinates.')
    .addCommand(importCommand());
}
