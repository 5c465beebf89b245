import { Command, Option } from 'commander';
import type { UserRole, UserSummary } from '../auth/index.ts';
import { loadConfig, type Config } from '../config.ts';
import type { Executor } from '../db/index.ts';
import { withDatabase } from './database.ts';
import { CliError } from './errors.ts';
import { formatTable } from './keys-list.ts';

/** The roles a person may hold (`userRoles` in src/auth); listed here so `--help` loads no database code. */
const personRoles = ['admin', 'agent', 'fulfillment', 'read-only'] as const satisfies readonly UserRole[];

/** Where the sign-in links point: CONSIGN_PUBLIC_URL, else this machine's server. */
const baseUrl = (config: Config) => config.publicUrl ?? `http://localhost:${config.port}`;

/** A new one-time sign-in link for a person; mailed to them too when mail is configured (CONSIGN_SMTP_URL). */
async function issueLink(config: Config, executor: Executor, user: UserSummary): Promise<void> {
  const { createSignInLink, signInLinkUrl, SIGN_IN_LINK_HOURS } = await import('../auth/index.ts');
  const link = await createSignInLink(executor, user.id);
  const url = signInLinkUrl(baseUrl(config), link.token);
  console.log(`One-time sign-in link for ${user.email} (works once, for ${SIGN_IN_LINK_HOURS} hours):\n`);
  console.log(`  ${url}\n`);
  if (!config.notifications) return;
  const { sendEmail } = await import('../notifications/index.ts');
  const text = `Hello ${user.name},\n\nOpen this link to choose your Consign password and sign in:\n\n${url}\n\nIt works once, for ${SIGN_IN_LINK_HOURS} hours.\n`;
  await sendEmail(config.notifications.smtpUrl, {
    from: config.notifications.from,
    to: user.email,
    parts: { subject: 'Your Consign sign-in link', text, html: null },
  });
  console.log(`Mailed it to ${user.email}.`);
}

async function findPerson(executor: Executor, ref: string) {
  const { findUser, listUsers } = await import('../auth/index.ts');
  const row = await findUser(executor, ref);
  const user = row && (await listUsers(executor)).find((u) => u.id === row.id);
  if (!user) throw new CliError(`No person ${ref}. \`consign users list\` shows everyone.`);
  return user;
}

function addCommand(): Command {
  return new Command('add')
    .description('Invite a person to the console and print their one-time sign-in link.')
    .argument('<email>', 'their e-mail address (they sign in with it)')
    .addOption(new Option('--role <role>', 'what they may do').choices(personRoles).makeOptionMandatory())
    .option('--name <text>', 'their name, shown on what they do (default: the e-mail address)')
    .option(
      '--location <id>',
      'a location (ID or code) a fulfillment person works at; repeat for several',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .addHelpText(
      'after',
      `
Roles: admin (everything), agent (customer service), fulfillment (their locations' queues and
stock), read-only (reads what an agent reads, changes nothing).

Examples:
  $ consign users add ada@example.com --name "Ada Lovelace" --role agent
  $ consign users add sam@example.com --role fulfillment --location NYC-SOHO`,
    )
    .action(async (email: string, options: { role: UserRole; name?: string; location?: string[] }) => {
      const config = loadConfig();
      await withDatabase(
        config,
        async ({ db }) => {
          const { createUser } = await import('../auth/index.ts');
          const { findLocation } = await import('../network/index.ts');
          const refs = options.location ?? [];
          const locations = await Promise.all(refs.map((ref) => findLocation(db, ref)));
          const missing = refs.filter((_ref, i) => !locations[i]);
          if (missing.length > 0) throw new CliError(`Unknown location(s): ${missing.join(', ')}.`);
          const user = await createUser(db, {
            email,
            name: options.name,
            role: options.role,
            locationIds: locations.map((l) => l!.id),
          });
          if (!user.ok) throw new CliError(user.problem.detail);
          console.log(`Added ${user.value.role} ${user.value.email} (${user.value.id}).`);
          await issueLink(config, db, user.value);
        },
        { requireSchema: true },
      );
    });
}

function listCommand(): Command {
  return new Command('list')
    .description('List the people who sign in to the console.')
    .option('--json', 'print them as JSON')
    .action(async (options: { json?: boolean }) => {
      const { listUsers } = await import('../auth/index.ts');
      const users = await withDatabase(loadConfig(), ({ db }) => listUsers(db), { requireSchema: true });
      if (options.json) return console.log(JSON.stringify(users, null, 2));
      if (users.length === 0)
        return console.log('Nobody yet: `consign users add <email> --role admin` invites someone.');
      const status = (u: UserSummary) =>
        u.disabled
          ? 'disabled'
          : u.locked_until
            ? `locked until ${u.locked_until}`
            : u.has_password || u.sso
              ? 'active'
              : 'invited';
      const rows = users.map((u) => [u.id, u.email, u.name, u.role, u.location_ids.join(',') || '-', status(u)]);
      console.log(formatTable(['ID', 'E-MAIL', 'NAME', 'ROLE', 'LOCATIONS', 'STATUS'], rows));
    });
}

function resetLinkCommand(): Command {
  return new Command('reset-link')
    .description('Print a new one-time sign-in link that sets the person’s password (mailed too when mail is set up).')
    .argument('<email-or-id>', 'the person')
    .addHelpText('after', '\nExample:\n  $ consign users reset-link admin@localhost')
    .action(async (ref: string) => {
      const config = loadConfig();
      await withDatabase(config, async ({ db }) => issueLink(config, db, await findPerson(db, ref)), {
        requireSchema: true,
      });
    });
}

function disableCommand(): Command {
  return new Command('disable')
    .description('Stop a person signing in and end their sessions.')
    .argument('<email-or-id>', 'the person')
    .addHelpText('after', '\nExample:\n  $ consign users disable ada@example.com')
    .action(async (ref: string) => {
      await withDatabase(
        loadConfig(),
        async ({ db }) => {
          const { updateUser } = await import('../auth/index.ts');
          const person = await findPerson(db, ref);
          const updated = await updateUser(db, person.id, { disabled: true });
          if (!updated.ok) throw new CliError(updated.problem.detail);
          console.log(`Disabled ${person.email}: they can no longer sign in, and their sessions have ended.`);
        },
        { requireSchema: true },
      );
    });
}

export function usersCommand(): Command {
  return new Command('users')
    .description('Invite, list and disable the people who sign in to the console; print sign-in links.')
    .addCommand(addCommand())
    .addCommand(listCommand())
    .addCommand(resetLinkCommand())
    .addCommand(disableCommand());
}
