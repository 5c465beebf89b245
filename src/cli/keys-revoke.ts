import { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { withDatabase } from './database.ts';
import { CliError } from './errors.ts';

export function keysRevokeCommand(): Command {
  return new Command('revoke')
    .description('Revoke an API key: servers stop accepting it within about a second.')
    .argument('<id>', 'the key ID (key_…), as `consign keys list` shows it')
    .action(async (id: string) => {
      const { revokeApiKey } = await import('../auth/index.ts');
      const revoked = await withDatabase(loadConfig(), ({ db }) => revokeApiKey(db, id), { requireSchema: true });
      if (!revoked) {
        throw new CliError(
          `No active key ${id}: it does not exist or is already revoked (\`consign keys list --all\` shows every key).`,
        );
      }
      console.log(`Revoked ${id}. Servers stop accepting it within about a second.`);
    });
}
