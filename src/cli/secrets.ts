import { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { withDatabase } from './database.ts';
import { CliError } from './errors.ts';

const PROGRESS_EVERY = 100;

const rotationHelp = `
Rotating the key (see docs/security.md):
  1. Make a new key:       openssl rand -base64 32
  2. On every process set  CONSIGN_SECRET_KEY=<new key>  CONSIGN_SECRET_KEY_PREVIOUS=<old key>
     and restart them: they seal with the new key and open secrets sealed with either.
  3. Run                   consign secrets rotate
     (same environment): every secret sealed with an older key is sealed again with the new one.
  4. Remove CONSIGN_SECRET_KEY_PREVIOUS and restart.
Embedded installations without CONSIGN_SECRET_KEY keep their key in <data dir>/secret.key; set
CONSIGN_SECRET_KEY and run this command to move to a key of your own (the file's key stays
readable until then). Safe to run again, and while servers run.`;

function rotateCommand(): Command {
  return new Command('rotate')
    .description('Seal every stored secret (webhook and connector secrets) with the current key, CONSIGN_SECRET_KEY.')
    .addHelpText('after', rotationHelp)
    .action(async () => {
      const config = loadConfig();
      const { resolveKeyring } = await import('../secrets/index.ts');
      const { resealStoredSecrets } = await import('../reseal-secrets.ts');
      let resolved;
      try {
        resolved = resolveKeyring(config);
      } catch (error) {
        throw new CliError((error as Error).message);
      }
      const { keyring } = resolved;
      const byKind = new Map<string, number>();
      const { sealed } = await withDatabase(
        config,
        (database) =>
          resealStoredSecrets(database.db, keyring, {
            only: 'not-current',
            onProgress: (done, kind) => {
              byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
              if (done % PROGRESS_EVERY === 0) console.log(`… ${done} secrets sealed again`);
            },
          }),
        { requireSchema: true },
      );
      for (const [kind, count] of byKind) console.log(`${kind}: ${count}`);
      console.log(
        sealed === 0
          ? `Every stored secret is already sealed with key ${keyring.current.id}.`
          : `Sealed ${sealed} secret${sealed === 1 ? '' : 's'} with key ${keyring.current.id}. Older keys can now be removed from CONSIGN_SECRET_KEY_PREVIOUS.`,
      );
    });
}

export function secretsCommand(): Command {
  return new Command('secrets')
    .description('Manage the key that seals webhook and connector secrets at rest.')
    .addCommand(rotateCommand());
}
