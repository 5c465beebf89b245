import { Command } from 'commander';
import type { ApiKeySummary } from '../auth/index.ts';
import { loadConfig } from '../config.ts';
import { withDatabase } from './database.ts';

function scopeOf(key: ApiKeySummary): string {
  if (key.location_ids.length > 0) return key.location_ids.join(',');
  return key.channel_id ?? '-';
}

/** A plain text table: columns padded to their widest cell. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function keysListCommand(): Command {
  return new Command('list')
    .description('List API keys (never their secrets).')
    .option('--all', 'include revoked keys')
    .option('--json', 'print the keys as JSON')
    .action(async (options: { all?: boolean; json?: boolean }) => {
      const { listApiKeys } = await import('../auth/index.ts');
      const keys = await withDatabase(loadConfig(), ({ db }) => listApiKeys(db, { includeRevoked: options.all }), {
        requireSchema: true,
      });
      if (options.json) {
        console.log(JSON.stringify(keys, null, 2));
        return;
      }
      if (keys.length === 0) {
        console.log('No API keys yet: `consign keys create --role admin` makes one.');
        return;
      }
      const rows = keys.map((key) => [
        key.id,
        key.role,
        key.name,
        `${key.prefix}…`,
        scopeOf(key),
        key.created_at ?? '',
        key.revoked_at ? `revoked ${key.revoked_at}` : 'active',
      ]);
      console.log(formatTable(['ID', 'ROLE', 'NAME', 'PREFIX', 'SCOPE', 'CREATED', 'STATUS'], rows));
    });
}
