import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, query } from '../../src/db/index.ts';
import { CLI_TEST_TIMEOUT_MS, createCliTarget, killChildren, runConsign, type CliTarget } from './cli-process.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/geonames-postal.txt', import.meta.url));

let target: CliTarget;
let dir: string;

/** Every stored centroid as "DE 10115 Berlin", read once the command has exited. */
async function storedCodes(): Promise<string[]> {
  const read = sql`select country || ' ' || postal_key || ' ' || place_name as code from postal_centroids order by 1`;
  if (target.database) return (await query<{ code: string }>(target.database.db, read)).map((r) => r.code).sort();
  const database = await openDatabase({ dataDir: target.env.CONSIGN_DATA_DIR });
  try {
    return (await query<{ code: string }>(database.db, read)).map((r) => r.code).sort();
  } finally {
    await database.close();
  }
}

const everyCode = [
  'BR 01310 São Paulo',
  'BR 69005 Manaus',
  'DE 10115 Berlin',
  'DE 80331 München',
  'GB EC1A London',
  'GB SW1A London',
  'US 94105 San Francisco',
];

beforeAll(async () => {
  target = await createCliTarget();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consign-geo-'));
  const migrated = await runConsign(['migrate'], target.env, 120_000);
  expect(migrated.code, migrated.stderr).toBe(0);
}, CLI_TEST_TIMEOUT_MS);
afterAll(async () => {
  killChildren();
  fs.rmSync(dir, { recursive: true, force: true });
  await target?.close();
});

describe('consign geo import', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('is listed, and --help explains the file and the options', async () => {
    const top = await runConsign(['--help']);
    expect(top.stdout).toMatch(/^ {2}geo\b/m);
    const help = await runConsign(['geo', 'import', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: consign geo import [options] <file>');
    for (const text of ['--skip-invalid', '--json', 'GeoNames', 'CC BY 4.0']) expect(help.stdout).toContain(text);
  });

  it('refuses a file with a bad row, naming its line, and stores nothing', async () => {
    const refused = await runConsign(['geo', 'import', FIXTURE], target.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('1 line(s)');
    expect(refused.stderr).toContain('line 4: latitude "north" is not a number between -90 and 90');
    expect(refused.stderr).toContain('--skip-invalid');
    expect(await storedCodes()).toEqual([]);
  });

  it('with --skip-invalid stores one centroid per code and reports rows, codes per country and skipped', async () => {
    const imported = await runConsign(['geo', 'import', FIXTURE, '--skip-invalid', '--json'], target.env);
    expect(imported.code, imported.stderr).toBe(0);
    const report = JSON.parse(imported.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      rows_read: 10,
      skipped: 1,
      countries: { BR: 2, DE: 2, GB: 2, US: 1 },
      invalid: [{ line: 4 }],
    });
    expect(await storedCodes()).toEqual(everyCode);
  });

  it('replaces only the countries in the file, and a refused file leaves the previous centroids', async () => {
    const dresden = path.join(dir, 'DE.txt');
    fs.writeFileSync(
      dresden,
      ['DE', '01067', 'Dresden', 'Sachsen', 'SN', '', '00', 'Dresden, Stadt', '14612', '51.0493', '13.7381', '4'].join(
        '\t',
      ) + '\r\n\r\n',
    );
    const replaced = await runConsign(['geo', 'import', dresden], target.env);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout.trim()).toBe('1 row(s) read; postal codes stored: DE 1; 0 bad row(s) skipped.');
    const afterDresden = everyCode
      .filter((code) => !code.startsWith('DE '))
      .concat('DE 01067 Dresden')
      .sort();
    expect(await storedCodes()).toEqual(afterDresden);

    const broken = path.join(dir, 'broken.txt');
    fs.writeFileSync(broken, ['GB', 'N1', 'London', '', '', '', '', '', '', '51.53', '-0.1'].join('\t') + '\n');
    const refused = await runConsign(['geo', 'import', broken], target.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('line 1: expected 12 tab-separated columns, found 11');
    expect(await storedCodes()).toEqual(afterDresden);
  });

  it('says so when the file does not exist', async () => {
    const missing = await runConsign(['geo', 'import', path.join(dir, 'nope.txt')], target.env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file');
  });
});
