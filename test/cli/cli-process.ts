import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import { openDatabase, type Database } from '../../src/db/index.ts';
import { createPostgresDatabase, testEngine } from '../support/db.ts';

/** Runs `consign` as users do: `node bin/consign.js …` in a child process. */
export const CONSIGN_BIN = fileURLToPath(new URL('../../bin/consign.js', import.meta.url));

/** Child processes compete for the CPU with the other test files: allow them time. */
export const CLI_TEST_TIMEOUT_MS = 180_000;

const children = new Set<ChildProcess>();

/** Kills every child still running; call it from `afterAll`. */
export function killChildren(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
}

export interface CliTarget {
  /** Environment that points a child process at this target's database. */
  env: Record<string, string>;
  /** The PostgreSQL database, for direct checks; undefined on PGlite (the child owns it). */
  database: Database | undefined;
  close(): Promise<void>;
}

/**
 * A fresh, empty (not migrated) database for child processes on the engine under test: a
 * temporary data directory for the embedded database, or a database of its own on the
 * PostgreSQL server.
 */
export async function createCliTarget(): Promise<CliTarget> {
  if (testEngine() === 'pglite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'consign-cli-'));
    return {
      env: { CONSIGN_DATA_DIR: dataDir },
      database: undefined,
      close: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const { url, drop } = await createPostgresDatabase();
  const database = await openDatabase({ databaseUrl: url, poolSize: 2 });
  return {
    env: { DATABASE_URL: url },
    database,
    close: async () => {
      await database.close();
      await drop();
    },
  };
}

/** The parent's environment without anything that would point a child elsewhere. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const name of [
    'DATABASE_URL',
    'CONSIGN_DATA_DIR',
    'PORT',
    'HOST',
    'CONSIGN_BOOTSTRAP_ADMIN_KEY',
    'CONSIGN_DEMO',
  ]) {
    delete base[name];
  }
  return { ...base, LOG_LEVEL: 'warn', HOST: '127.0.0.1', CONSIGN_TEST_GATEWAY: '1', ...env };
}

export function spawnConsign(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [CONSIGN_BIN, ...args], {
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one command to completion. */
export function runConsign(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliResult> {
  const child = spawnConsign(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`consign ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Resolves with the exit code and signal once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `consign serve` on an ephemeral port and waits for its "listening" line. */
export function startServeProcess(env: Record<string, string>, timeoutMs = 90_000): Promise<ServerProcess> {
  const child = spawnConsign(['serve'], { PORT: '0', ...env });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`consign serve did not start in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^Consign listening on (http:\/\/\S+) /m.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`consign serve exited with ${code} before listening:\n${output}`));
    });
  });
}

/** The admin key a first start prints, on its own indented line. */
export function printedAdminKey(output: string): string | undefined {
  return /^ {2}(csk_\S+)$/m.exec(output)?.[1];
}

/**
 * For a test file: a target seeded with the demo data (`consign seed --demo`) and a temporary
 * directory holding `files`, set up before its tests and removed after them.
 */
export function seededDemoWithFiles(files: Record<string, string>): { target: CliTarget; dir: string } {
  const state = {} as { target: CliTarget; dir: string };
  beforeAll(async () => {
    state.target = await createCliTarget();
    state.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consign-files-'));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(state.dir, name), text);
    const seeded = await runConsign(['seed', '--demo'], state.target.env, 120_000);
    expect(seeded.code, seeded.stderr).toBe(0);
  }, CLI_TEST_TIMEOUT_MS);
  afterAll(async () => {
    killChildren();
    if (state.dir) fs.rmSync(state.dir, { recursive: true, force: true });
    await state.target?.close();
  });
  return state;
}
