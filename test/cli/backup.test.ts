import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentsOf, rowCount, type Contents } from '../support/contents.ts';
import { testEngine } from '../support/db.ts';
import { createCliTarget, killChildren, runConsign, type CliTarget, CLI_TEST_TIMEOUT_MS } from './cli-process.ts';

let source: CliTarget;
let sourceContents: Contents;
const targets: CliTarget[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consign-backup-test-'));
const backupFile = path.join(dir, 'demo.jsonl.gz');

async function freshTarget(): Promise<CliTarget> {
  const target = await createCliTarget();
  targets.push(target);
  return target;
}

function expectOneLineError(result: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(result.code, result.stderr).toBe(1);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
}

beforeAll(async () => {
  source = await createCliTarget();
  expect((await runConsign(['seed', '--demo'], source.env, 170_000)).code).toBe(0);
  expect((await runConsign(['keys', 'create', '--role', 'admin'], source.env)).code).toBe(0);
  const backup = await runConsign(['backup', backupFile], source.env);
  expect(backup.code, backup.stderr).toBe(0);
  sourceContents = await contentsOf(source);
}, CLI_TEST_TIMEOUT_MS);
afterAll(async () => {
  killChildren();
  for (const target of [source, ...targets]) await target?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('consign backup → consign restore', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('brings back every row of every table and every sequence', async () => {
    expect(rowCount(sourceContents)).toBeGreaterThan(1_000); // the demo network, its orders and events
    expect(Object.values(sourceContents.tables).filter((rows) => rows.length > 0).length).toBeGreaterThan(15);
    const restored = await freshTarget();
    const result = await runConsign(['restore', backupFile], restored.env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Restored \d+ tables, [\d,]+ rows, from .* into /);
    expect(await contentsOf(restored)).toEqual(sourceContents);
    // The restored database is complete: its migration history too.
    expect((await runConsign(['migrate'], restored.env)).stdout).toContain('up to date');
  });

  it('refuses a database that holds data, and replaces it with --force', async () => {
    const target = await freshTarget();
    expect((await runConsign(['seed', '--demo'], target.env, 170_000)).code).toBe(0);
    expect((await runConsign(['keys', 'create', '--role', 'agent', '--name', 'extra'], target.env)).code).toBe(0);
    const before = await contentsOf(target);
    expectOneLineError(await runConsign(['restore', backupFile], target.env), /already holds data .*--force/);
    expect(await contentsOf(target)).toEqual(before);
    const forced = await runConsign(['restore', '--force', backupFile], target.env);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await contentsOf(target)).toEqual(sourceContents);
  });

  it('restores nothing from a file cut short, or one that is not a backup', async () => {
    const target = await freshTarget();
    const plain = path.join(dir, 'plain.jsonl');
    expect((await runConsign(['backup', plain], source.env)).code).toBe(0);
    const lines = fs.readFileSync(plain, 'utf8').trimEnd().split('\n');
    const cut = path.join(dir, 'cut.jsonl');
    fs.writeFileSync(cut, `${lines.slice(0, -40).join('\n')}\n`);
    expectOneLineError(await runConsign(['restore', cut], target.env), /is incomplete: .*Nothing was restored/);
    const other = path.join(dir, 'other.json');
    fs.writeFileSync(other, '["not", "a backup"]\n');
    expectOneLineError(await runConsign(['restore', other], target.env), /is not a Consign backup/);
    expectOneLineError(await runConsign(['restore', path.join(dir, 'missing.jsonl')], target.env), /^error: No file /);
    expect(rowCount(await contentsOf(target))).toBe(0);
  });

  it.runIf(testEngine() === 'postgres')('restores a PostgreSQL backup into the embedded engine', async () => {
    const embedded = fs.mkdtempSync(path.join(dir, 'embedded-'));
    const result = await runConsign(['restore', backupFile], { CONSIGN_DATA_DIR: embedded });
    expect(result.code, result.stderr).toBe(0);
    expect(await contentsOf({ env: { CONSIGN_DATA_DIR: embedded } })).toEqual(sourceContents);
  });
});
