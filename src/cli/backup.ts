import { Readable } from 'node:stream';
import { Command } from 'commander';
import { loadConfig, type Config } from '../config.ts';
import { createBackupProgress, type BackupProgress } from './backup-progress.ts';
import { withDatabase } from './database.ts';
import { CliError } from './errors.ts';
import { adminKey, callServer, refusal } from './server-api.ts';

type LineSink = (line: string) => Promise<void>;

/** Directly from the database: PostgreSQL while servers run, the embedded one while none does. */
async function backupFromDatabase(config: Config, file: string, write: LineSink): Promise<void> {
  const { DataDirInUseError } = await import('../db/index.ts');
  const { exportSnapshot } = await import('../backup/index.ts');
  try {
    await withDatabase(config, (database) => exportSnapshot(database, write), { requireSchema: true });
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    throw new CliError(
      `The embedded database in ${error.dataDir} is open in a running server (pid ${error.pid}). Back it up through that server: ` +
        `\`CONSIGN_API_KEY=<admin key> consign backup ${file} --server http://localhost:<port>\`, or stop the server first.`,
    );
  }
}

/** Through a running server's `POST /v1/admin/backup`: the way to back up a running embedded database. */
async function backupFromServer(server: string, key: string, write: LineSink): Promise<void> {
  const { streamLines } = await import('../backup/index.ts');
  const response = await callServer(server, '/v1/admin/backup', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
  });
  if (response.status === 401 || response.status === 403) {
    throw new CliError(
      `The server refused the key (${response.status}: ${await refusal(response)}). A backup needs an admin key in CONSIGN_API_KEY.`,
    );
  }
  if (!response.ok || !response.body) {
    throw new CliError(`The server could not take the backup (${response.status}: ${await refusal(response)}).`);
  }
  for await (const line of streamLines(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream))) {
    await write(line);
  }
}

async function takeBackup(file: string, options: { server?: string }, progress: BackupProgress): Promise<void> {
  const config = loadConfig();
  const { createBackupWriter } = await import('../backup/index.ts');
  const writer = createBackupWriter(file);
  const write: LineSink = async (line) => {
    progress.observe(line);
    await writer.write(line);
  };
  try {
    if (options.server) await backupFromServer(options.server, adminKey(config), write);
    else await backupFromDatabase(config, file, write);
    if (!progress.ended())
      throw new CliError('The backup stream ended early (the server stopped?): nothing was written. Try again.');
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  } finally {
    progress.finish();
  }
}

export function backupCommand(): Command {
  return new Command('backup')
    .description('Write a consistent backup of the whole database to a file (safe while servers run).')
    .argument('<file>', 'where to write the backup; a name ending in .gz is compressed')
    .option('--server <url>', "take it through a running server's API (needed for a running embedded database)")
    .addHelpText(
      'after',
      `
The backup is every table as of one instant, in one file that \`consign restore\` reads on either
engine. PostgreSQL: run it any time, servers may keep serving. Embedded database: while no server
runs it opens the data directory itself; while one runs, pass --server with that server's URL and
an admin key in CONSIGN_API_KEY (the server pauses other requests while it reads the snapshot).
The file holds every secret of the installation and is written owner-only.

Examples:
  $ consign backup consign-2026-11-27.jsonl.gz
  $ CONSIGN_API_KEY=csk_… consign backup nightly.jsonl.gz --server http://localhost:3000`,
    )
    .action(async (file: string, options: { server?: string }) => {
      const progress = createBackupProgress(process.stderr, 'Backing up');
      await takeBackup(file, options, progress);
      console.log(`Wrote a backup of ${progress.rows().toLocaleString('en-US')} rows to ${file}.`);
    });
}
