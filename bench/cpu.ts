import fs from 'node:fs';

/**
 * CPU time (user + system) that processes on this machine have used, read from /proc: where the
 * time of an operation goes between the server under test, PostgreSQL and the bench itself.
 * Linux only; elsewhere `cpuMeter` returns undefined and the bench shows no CPU figures.
 */
export interface CpuReading {
  /** The server(s) under test (their processes only); 0 when there is none. */
  serverMs: number;
  /** Every PostgreSQL process of the local server: backends, WAL writer, checkpointer. */
  postgresMs: number;
  /** The bench process: the load generator, or the floor's client. */
  benchMs: number;
}

/** Reads the CPU used so far. */
export type CpuMeter = () => CpuReading;

/** Linux's USER_HZ: /proc counts CPU time in ticks of 1/100 s on every architecture Node runs on. */
const TICK_MS = 10;
const PROC = '/proc';

/** The fields of a /proc/<pid>/stat line after the command name (which may contain spaces). */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** utime + stime, in ms. */
function ownCpuMs(fields: string[]): number {
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** cutime + cstime: the CPU of children that have exited and been waited for, in ms. */
function reapedChildrenCpuMs(fields: string[]): number {
  return (Number(fields[13]) + Number(fields[14])) * TICK_MS;
}

function commandOf(stat: string): string {
  return stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
}

function readStat(pid: string): string | undefined {
  try {
    return fs.readFileSync(`${PROC}/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // the process has exited since the directory was listed
  }
}

/**
 * CPU ms of PostgreSQL: every postgres process alive now, plus what the postmaster's exited
 * children (backends of closed connections) used, which it collects when it reaps them.
 */
function postgresCpuMs(): number {
  const processes = new Map<string, string[]>();
  for (const entry of fs.readdirSync(PROC)) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat !== undefined && commandOf(stat).startsWith('postgres')) processes.set(entry, statFields(stat));
  }
  let total = 0;
  for (const fields of processes.values()) {
    total += ownCpuMs(fields);
    const isPostmaster = !processes.has(fields[1]!); // its parent is not a postgres process
    if (isPostmaster) total += reapedChildrenCpuMs(fields);
  }
  return total;
}

function benchCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * A reader of the CPU used so far by the servers `serverPids` (none or several), PostgreSQL and
 * this process, or undefined where /proc cannot be read. Subtract two readings to get what
 * happened between them.
 */
export function cpuMeter(...serverPids: number[]): CpuMeter | undefined {
  if (process.platform !== 'linux' || !fs.existsSync(`${PROC}/self/stat`)) return undefined;
  const serverMs = (pid: number) => {
    const stat = readStat(String(pid));
    return stat === undefined ? 0 : ownCpuMs(statFields(stat));
  };
  return () => ({
    serverMs: serverPids.reduce((total, pid) => total + serverMs(pid), 0),
    postgresMs: postgresCpuMs(),
    benchMs: benchCpuMs(),
  });
}

/** What each of `operations` cost between two readings, in ms of CPU. */
export function cpuPerOperation(before: CpuReading, after: CpuReading, operations: number): CpuReading {
  const per = (a: number, b: number) => (operations > 0 ? (b - a) / operations : Number.NaN);
  return {
    serverMs: per(before.serverMs, after.serverMs),
    postgresMs: per(before.postgresMs, after.postgresMs),
    benchMs: per(before.benchMs, after.benchMs),
  };
}

/** Runs `measure` between two readings and divides their difference by the operations it ran. */
export async function withCpu<T extends { operations: number }>(
  meter: CpuMeter | undefined,
  measure: () => Promise<T>,
): Promise<{ result: T; cpu: CpuReading | undefined }> {
  const before = meter?.();
  const result = await measure();
  const cpu = meter && before ? cpuPerOperation(before, meter(), result.operations) : undefined;
  return { result, cpu };
}

/** Whether a PostgreSQL URL names a server on this machine, whose processes /proc can see. */
export function isLocalPostgres(databaseUrl: string | undefined): boolean {
  if (databaseUrl === undefined) return false;
  const host = new URL(databaseUrl).hostname;
  return host === '' || host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}
