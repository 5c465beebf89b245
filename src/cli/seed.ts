import { Command } from 'commander';
import { loadConfig } from '../config.ts';
import type { DemoSummary } from '../demo/index.ts';
import { withDatabase } from './database.ts';
import { CliError } from './errors.ts';
import { createProgressDisplay } from './progress.ts';

function describeSummary(summary: DemoSummary): string {
  return (
    `Loaded the demo network: ${summary.distributionCenters} distribution centres, ${summary.stores} stores, ` +
    `${summary.locationGroups} location groups, ${summary.channels} channels, ${summary.products} products, ` +
    `${summary.stockLevels} stock levels (${summary.units.toLocaleString('en-US')} units), ${summary.orders} orders of the last 30 days.`
  );
}

export function seedCommand(): Command {
  return new Command('seed')
    .description('Load sample data into the database.')
    .option('--demo', 'the demo network: distribution centres, stores, channels, products, stock and 30 days of orders')
    .addHelpText(
      'after',
      `
The demo network loads once: running it again does nothing. It only goes into a database without
locations or products of its own. \`consign serve\` loads it on first start unless CONSIGN_DEMO=0.

Example:
  $ consign seed --demo`,
    )
    .action(async (options: { demo?: boolean }) => {
      if (!options.demo) throw new CliError('Nothing to seed: `consign seed --demo` loads the demo network.');
      await withDatabase(loadConfig(), async (database) => {
        const { inTransaction, migrate } = await import('../db/index.ts');
        const { demoSize, seedDemo } = await import('../demo/index.ts');
        const { applied } = await migrate(database.db);
        if (applied > 0) process.stderr.write(`Applied ${applied} migration(s) to ${database.describe}.\n`);
        const progress = createProgressDisplay(process.stderr, demoSize(), 'Seeding demo network');
        const result = await inTransaction(database.db, (tx) => seedDemo(tx, { onProgress: progress.update }));
        progress.finish();
        if (!result.ok) throw new CliError(`Could not load the demo network: ${result.problem.detail}`);
        const outcome = result.value;
        if (outcome.status === 'not_empty') {
          throw new CliError(
            `${database.describe} already has locations or products of its own; the demo network only goes into an empty database (use another CONSIGN_DATA_DIR or DATABASE_URL).`,
          );
        }
        console.log(
          outcome.status === 'seeded'
            ? describeSummary(outcome.summary)
            : `The demo network is already loaded (since ${outcome.seededAt}): nothing to do.`,
        );
      });
    });
}
