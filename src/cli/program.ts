import fs from 'node:fs';
import { Command } from 'commander';
import { backupCommand } from './backup.ts';
import { exportCommand } from './export.ts';
import { geoCommand } from './geo.ts';
import { importCommand } from './import.ts';
import { inventoryCommand } from './inventory.ts';
import { keysCommand } from './keys.ts';
import { usersCommand } from './users.ts';
import { migrateCommand } from './migrate.ts';
import { restoreCommand } from './restore.ts';
import { secretsCommand } from './secrets.ts';
import { seedCommand } from './seed.ts';
import { serveCommand } from './serve.ts';
import { simulateCommand } from './simulate.ts';
import { shadowCommand } from './shadow.ts';

function packageVersion(): string {
  const text = fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

const environmentHelp = `
Configuration (environment variables):
  PORT                         port of the API server (default 3000)
  HOST                         address to bind (default 0.0.0.0)
  DATABASE_URL                 postgres://… for a PostgreSQL server; unset: the embedded database
  CONSIGN_DATA_DIR             where the embedded database lives (default ./data)
  CONSIGN_EMBEDDED_FSYNC=off   embedded database: do not wait for the disk on commit (faster;
                               a power loss can then lose the last commits)
  CONSIGN_BOOTSTRAP_ADMIN_KEY  a secret the server accepts as an admin key
  CONSIGN_DEMO=0               do not load the demo network on first start
  LOG_LEVEL                    fatal, error, warn, info (default), debug, trace or silent
  CONSIGN_SWEEP_INTERVAL_MS    how often expired cart holds are released (default 1000)
  CONSIGN_DB_POOL_SIZE         PostgreSQL connections per process (default 16)
  CONSIGN_SECRET_KEY           base64 of 32 random bytes: seals webhook and connector secrets
                               (required with DATABASE_URL; embedded: a key file in the data
                               directory is made on first start when unset)
  CONSIGN_SECRET_KEY_PREVIOUS  older keys, comma-separated, while \`consign secrets rotate\` runs
  CONSIGN_RATE_LIMIT_PER_SECOND  requests per second per API key and process (default 200; 0: off)
  CONSIGN_RATE_LIMIT_BURST     requests a key may send at once above that (default 1000)
  CONSIGN_WEBHOOK_ALLOW_HOSTS  hosts or addresses webhooks may reach although they are internal
                               (loopback, private, link-local), comma-separated

Getting started:
  $ consign serve                          start on http://localhost:3000 (API docs at /docs)
  $ consign keys create --role admin       another admin key
  $ consign <command> --help               a command's options`;

/** The `consign` command line: one file per command, wired here. */
export function createProgram(): Command {
  return new Command('consign')
    .description('Consign: an open-source order management system.')
    .version(packageVersion(), '-v, --version')
    .showSuggestionAfterError()
    .addHelpText('after', environmentHelp)
    .addCommand(serveCommand())
    .addCommand(migrateCommand())
    .addCommand(seedCommand())
    .addCommand(keysCommand())
    .addCommand(usersCommand())
    .addCommand(secretsCommand())
    .addCommand(importCommand())
    .addCommand(exportCommand())
    .addCommand(inventoryCommand())
    .addCommand(geoCommand())
    .addCommand(simulateCommand())
    .addCommand(shadowCommand())
    .addCommand(backupCommand())
    .addCommand(restoreCommand());
}
