import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ServerTarget {
  /** PostgreSQL: the bench database's URL. PGlite: the data directory. */
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  apiKey: string;
  /** More environment for the server, e.g. `CONSIGN_EMBEDDED_FSYNC`. */
  env?: Record<string, string>;
}

export interface ServerProcess {
  url: string;
  pid: number;
  /** SIGTERM, then SIGKILL if it has not exited within the grace period. */
  stop(): Promise<void>;
  /** SIGKILL at once, for a bench process that is exiting itself. */
  kill(): void;
}

const CONSIGN_BIN = fileURLToPath(new URL('../bin/consign.js', import.meta.url));
const START_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 15_000;
const LISTENING = /Consign listening on (http:\/\/\S+)/;
const KEPT_OUTPUT_LINES = 40;
const MAX_PENDING_CHARS = 64 * 1024;

/** Seals the bench database's webhook secrets when CONSIGN_SECRET_KEY is not set (the database is thrown away). */
const BENCH_SECRET_KEY = Buffer.alloc(32, 11).toString('base64');

/** Environment of the server under test: the parent's, minus any database it points at. */
function serverEnv(target: ServerTarget): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.CONSIGN_DATA_DIR;
  Object.assign(env, {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    CONSIGN_DEMO: '0',
    CONSIGN_TEST_GATEWAY: '1',
    CONSIGN_BOOTSTRAP_ADMIN_KEY: target.apiKey,
    // Throughput is what is measured: no per-key limit, and deliveries go to the receiver on 127.0.0.1.
    CONSIGN_RATE_LIMIT_PER_SECOND: '0',
    CONSIGN_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
  });
  if (target.databaseUrl) {
    env.DATABASE_URL = target.databaseUrl;
    env.CONSIGN_SECRET_KEY ??= BENCH_SECRET_KEY;
  }
  if (target.dataDir) env.CONSIGN_DATA_DIR = target.dataDir;
  return { ...env, ...target.env };
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts `consign serve` in a child process on 127.0.0.1 and an ephemeral port, so the server
 * and the load generator never share an event loop. Resolves once the server prints its URL.
 */
export async function startServerProcess(target: ServerTarget): Promise<ServerProcess> {
  const child = spawn(process.execPath, [CONSIGN_BIN, 'serve'], {
    env: serverEnv(target),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (line: string) => {
    // The first start prints an admin key; it is not kept or shown.
    if (/csk_/.test(line)) return;
    output.push(line);
    if (output.length > KEPT_OUTPUT_LINES) output.shift();
  };
  const stop = async () => {
    if (!child.kill('SIGTERM')) return;
    if (!(await waitForExit(child, STOP_GRACE_MS))) {
      child.kill('SIGKILL');
      await waitForExit(child, STOP_GRACE_MS);
    }
  };

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(`did not report listening within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`consign serve ${why}. Last output:\n${output.join('\n')}`));
    };
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = (lines.pop() ?? '').slice(-MAX_PENDING_CHARS);
      for (const line of lines) {
        keep(line);
        const match = LISTENING.exec(line);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => chunk.split('\n').filter(Boolean).forEach(keep));
    child.once('error', (error) => fail(`could not start: ${error.message}`));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? `code ${code}`})`));
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { url, pid: child.pid!, stop, kill: () => void child.kill('SIGKILL') };
}
