import type { Database } from '../db/index.ts';
import type { Config } from '../config.ts';
import { CliError } from './errors.ts';

/**
 * Opens the configured database for one command and always closes it (which also releases the
 * embedded database's lock). With `requireSchema`, a database without the current migrations
 * is refused with the command that fixes it.
 */
export async function withDatabase<T>(
  config: Config,
  work: (database: Database) => Promise<T>,
  options: { requireSchema?: boolean } = {},
): Promise<T> {
  const { isMigrated, openDatabase, query } = await import('../db/index.ts');
  const { sql } = await import('drizzle-orm');
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    fsync: config.embeddedFsync,
    poolSize: 2,
  });
  try {
    await query(database.db, sql`select 1`); // surfaces an unreachable server or a wrong URL first
    if (options.requireSchema && !(await isMigrated(database.db))) {
      throw new CliError(
        `The database (${database.describe}) is not migrated: run \`consign migrate\` (or \`consign serve\`, which migrates) first.`,
      );
    }
    return await work(database);
  } finally {
    await database.close();
  }
}
