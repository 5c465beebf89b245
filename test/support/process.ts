import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { createRequester, type Requester } from './client.ts';
import { TEST_ADMIN_KEY } from './server.ts';

const CLI = fileURLToPath(new URL('../../bin/consign.js', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LISTENING = /Consign listening on (http:\/\/[^\s]+)/;
const OUTPUT_TAIL_CHARS = 16_000;
const START_TIMEOUT_MS = 90_000;
const EXIT_TIMEOUT_MS = 15_000;

export interface ServerProcessOptions {
  /** A PostgreSQL URL; without one the server runs the embedded database in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** More environment, e.g. `CONSIGN_SWEEP_INTERVAL_MS`. */
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  url: string;
  pid: number;
  /** fetch against this server with the test admin key. */
  request: Requester;
  /** Sends `signal` and resolves once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<ProcessExit>;
  /**
   * SIGTERM and wait for a graceful exit with code 0; throws otherwise (after a SIGKILL when it
   * takes too long). A process that has already exited just reports how.
   */
  stop(): Promise<ProcessExit>;
  /** The last output of the process, stdout and stderr interleaved, for failure messages. */
  output(): string;
}

/** Every child not yet seen exiting: killed after the file's tests, whatever their outcome. */
const running = new Set<ChildProcess>();

function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}

afterAll(async () => {
  const exits = [...running].map((child) => exitOf(child, EXIT_TIMEOUT_MS).catch(() => undefined));
  killAll();
  await Promise.all(exits);
});
process.once('exit', killAll); // the test worker itself dying must not leave servers behind

function testSecretKey(): string {
  const key = process.env.CONSIGN_SECRET_KEY;
  if (!key) throw new Error('CONSIGN_SECRET_KEY is not set (vitest.config.ts sets it for tests)');
  return key;
}

function childEnv(options: ServerProcessOptions): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('CONSIGN_') && name !== 'DATABASE_URL'),
  );
  return {
    ...inherited,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    CONSIGN_DEMO: '0',
    CONSIGN_TEST_GATEWAY: '1',
    CONSIGN_BOOTSTRAP_ADMIN_KEY: TEST_ADMIN_KEY,
    // A server on PostgreSQL needs the key that seals secrets; the embedded one makes a key file.
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl, CONSIGN_SECRET_KEY: testSecretKey() } : {}),
    ...(options.dataDir ? { CONSIGN_DATA_DIR: options.dataDir } : {}),
    ...options.env,
  };
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function exitOf(child: ChildProcess, timeoutMs: number): Promise<ProcessExit> {
  if (hasExited(child)) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`pid ${child.pid} did not exit within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/** Resolves with the URL of the listening line; rejects with the output when the child exits or stalls. */
function listeningUrl(child: ChildProcess, output: () => string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const fail = (reason: string) => {
      cleanup();
      reject(new Error(`consign serve (pid ${child.pid}) ${reason}. Its output:\n${output()}`));
    };
    const onData = (chunk: Buffer) => {
      stdout = (stdout + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
      const match = LISTENING.exec(stdout);
      if (!match) return;
      cleanup();
      resolve(match[1]!);
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(`exited (code ${code}, signal ${signal}) before listening`);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(`printed no listening line within ${timeoutMs} ms`);
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * Starts `consign serve` as a child process on 127.0.0.1 and an ephemeral port, without demo
 * data, accepting the test admin key; resolves once it prints its listening line.
 */
export async function spawnServer(options: ServerProcessOptions): Promise<ServerProcess> {
  const child = spawn(process.execPath, [CLI, 'serve'], {
    cwd: PROJECT_ROOT,
    env: childEnv(options),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let tail = '';
  const record = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout.on('data', record); // keep draining both pipes, or a chatty child would block
  child.stderr.on('data', record);
  const output = () => tail;
  const url = await listeningUrl(child, output, options.startTimeoutMs ?? START_TIMEOUT_MS);

  const kill = async (signal: NodeJS.Signals) => {
    const exited = exitOf(child, EXIT_TIMEOUT_MS);
    child.kill(signal);
    return exited;
  };
  const stop = async () => {
    if (hasExited(child)) return { code: child.exitCode, signal: child.signalCode };
    const exited = exitOf(child, EXIT_TIMEOUT_MS);
    child.kill('SIGTERM');
    const exit = await exited.catch(async (error: Error) => {
      child.kill('SIGKILL');
      await once(child, 'exit');
      throw new Error(`${error.message} after SIGTERM; killed it. Its output:\n${tail}`);
    });
    if (exit.code !== 0)
      throw new Error(`pid ${child.pid} exited with ${JSON.stringify(exit)} on SIGTERM. Its output:\n${tail}`);
    return exit;
  };
  return { url, pid: child.pid!, request: createRequester(url), kill, stop, output };
}
