import { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { withDatabase } from './database.ts';

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('Apply pending database migrations (safe to run from several processes at once).')
    .addHelpText('after', '\n`consign serve` migrates on start as well; run this before a rolling upgrade.')
    .action(async () => {
      await withDatabase(loadConfig(), async (database) => {
        const { migrate } = await import('../db/index.ts');
        const { applied } = await migrate(database.db);
        console.log(
          applied === 0
            ? `The database (${database.describe}) is up to date: no migrations to apply.`
            : `Applied ${applied} migration${applied === 1 ? '' : 's'} to ${database.describe}.`,
        );
      });
    });
}
