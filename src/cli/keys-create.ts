import { Command, Option } from 'commander';
import type { CreatedKey, Role } from '../auth/index.ts';
import { loadConfig } from '../config.ts';
import type { Executor } from '../db/index.ts';
import { withDatabase } from './database.ts';
import { CliError } from './errors.ts';

/** The roles of API.md (`roles` in src/auth); listed here so `--help` loads no database code. */
export const keyRoles = ['admin', 'agent', 'fulfillment', 'channel', 'read-only'] as const satisfies readonly Role[];

interface CreateOptions {
  role: Role;
  location?: string[];
  channel?: string;
  name?: string;
  json?: boolean;
}

/** The flags each role needs, checked before the database is opened. */
function checkScope(options: CreateOptions & { location: string[] }): void {
  if (options.role === 'fulfillment' && options.location.length === 0) {
    throw new CliError(
      'A fulfillment key needs at least one --location <id or code>: the locations whose queues and stock it may touch.',
    );
  }
  if (options.role !== 'fulfillment' && options.location.length > 0) {
    throw new CliError(`--location applies to fulfillment keys only; a ${options.role} key is not tied to locations.`);
  }
  if (options.role === 'channel' && !options.channel) {
    throw new CliError('A channel key needs --channel <id or code>: the one channel it acts for.');
  }
  if (options.role !== 'channel' && options.channel) {
    throw new CliError(`--channel applies to channel keys only; a ${options.role} key is not tied to a channel.`);
  }
}

/** Resolves IDs or codes to IDs, naming every one that does not exist. */
async function resolveScope(executor: Executor, options: CreateOptions & { location: string[] }) {
  const { findChannel, findLocation } = await import('../network/index.ts');
  const locations = await Promise.all(options.location.map((ref) => findLocation(executor, ref)));
  const missing = options.location.filter((_ref, i) => !locations[i]);
  if (missing.length > 0) {
    throw new CliError(
      `Unknown location(s): ${missing.join(', ')}. GET /v1/locations lists the locations and their codes.`,
    );
  }
  const channel = options.channel ? await findChannel(executor, options.channel) : undefined;
  if (options.channel && !channel) {
    throw new CliError(`Unknown channel: ${options.channel}. GET /v1/channels lists the channels and their codes.`);
  }
  return { locationIds: [...new Set(locations.map((l) => l!.id))], channelId: channel?.id };
}

function printKey(key: CreatedKey): void {
  const scope =
    key.location_ids.length > 0
      ? ` for ${key.location_ids.join(', ')}`
      : key.channel_id
        ? ` for ${key.channel_id}`
        : '';
  console.log(`Created ${key.role} key ${key.id} ("${key.name}")${scope}.`);
  console.log('The secret is shown only this once; store it now:\n');
  console.log(`  ${key.secret}\n`);
  console.log('Send it as "Authorization: Bearer <secret>"; `consign keys revoke <id>` withdraws it.');
}

export function keysCreateCommand(): Command {
  return new Command('create')
    .description('Create an API key and print its secret once.')
    .addOption(new Option('--role <role>', 'what the key may do').choices(keyRoles).makeOptionMandatory())
    .option(
      '--location <id>',
      'a location (ID or code) a fulfillment key works for; repeat for several',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option('--channel <id>', 'the channel (ID or code) a channel key acts for')
    .option('--name <text>', 'a label to recognise the key by (default: "<role> key")')
    .option('--json', 'print the key as JSON')
    .addHelpText(
      'after',
      `
Roles: admin (everything), agent (customer service), fulfillment (its locations' queues and
stock), channel (one channel's orders, reservations and availability).

Examples:
  $ consign keys create --role admin --name "ops laptop"
  $ consign keys create --role fulfillment --location NYC-SOHO --location BOS-NEWBURY
  $ consign keys create --role channel --channel web --json`,
    )
    .action(async (flags: CreateOptions) => {
      const options = { ...flags, location: flags.location ?? [] };
      checkScope(options);
      const key = await withDatabase(
        loadConfig(),
        async ({ db }) => {
          const { createApiKey } = await import('../auth/index.ts');
          const scope = await resolveScope(db, options);
          return createApiKey(db, { role: options.role, name: options.name, ...scope });
        },
        { requireSchema: true },
      );
      if (options.json) console.log(JSON.stringify(key, null, 2));
      else printKey(key);
    });
}
