import fs from 'node:fs';
import { Command } from 'commander';
import type { RestoreProblem } from '../backup/index.ts';
import { loadConfig } from '../config.ts';
import { createBackupProgress } from './backup-progress.ts';
import { withDatabase } from './database.ts';
import { CliError } from './errors.ts';

async function* observed(lines: AsyncIterable<string>, observe: (line: string) => void): AsyncGenerator<string> {
  for await (const line of lines) {
    observe(line);
    yield line;
  }
}

function explain(problem: RestoreProblem, file: string, target: string): string {
  switch (problem.code) {
    case 'not_empty':
      return `${target} already holds data (table ${problem.table} has rows). Restore into a new, empty database (createdb, or another CONSIGN_DATA_DIR), or add --force to replace everything in it.`;
    case 'not_a_backup':
      return `${file} is not a Consign backup: ${problem.detail}`;
    case 'incomplete_backup':
      return `${file} is incomplete: ${problem.detail} Nothing was restored; take the backup again.`;
    case 'unknown_schema':
      return `${problem.detail} Nothing was restored.`;
  }
}

export function restoreCommand(): Command {
  return new Command('restore')
    .description('Restore a backup made by `consign backup` into an empty database, then migrate it.')
    .argument('<file>', 'a backup file (.gz or not)')
    .option('--force', 'replace everything in a database that is not empty (drops its public schema)')
    .addHelpText(
      'after',
      `
The restore runs in one transaction: it builds the schema the backup was taken at, loads every
table, checks the foreign keys, then applies the migrations that came later. If anything fails the
database is left as it was. A backup from either engine restores into either. Stop the servers of
the target database first (the embedded database admits one process anyway).

Examples:
  $ CONSIGN_DATA_DIR=./restored consign restore consign-2026-11-27.jsonl.gz
  $ DATABASE_URL=postgres://consign@db.internal/consign_new consign restore nightly.jsonl.gz`,
    )
    .action(async (file: string, options: { force?: boolean }) => {
      if (!fs.existsSync(file))
        throw new CliError(`No file ${file}: give the path of a backup made by \`consign backup\`.`);
      const { readBackupLines, restoreSnapshot } = await import('../backup/index.ts');
      const progress = createBackupProgress(process.stderr, 'Restoring');
      await withDatabase(loadConfig(), async (database) => {
        const outcome = await restoreSnapshot(database, observed(readBackupLines(file), progress.observe), {
          force: options.force ?? false,
        }).finally(() => progress.finish());
        if (!outcome.ok) throw new CliError(explain(outcome.problem, file, database.describe));
        const { header, migrated } = outcome;
        console.log(
          `Restored ${header.tables.length} tables, ${progress.rows().toLocaleString('en-US')} rows, from ${file} ` +
            `(taken ${header.created_at} on ${header.engine}) into ${database.describe}` +
            (migrated > 0 ? `; applied ${migrated} later migration${migrated === 1 ? '' : 's'}.` : '.'),
        );
      });
    });
}
