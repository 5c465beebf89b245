import fs from 'node:fs';
import path from 'node:path';

/** Who holds the lock: a PID, and on Linux when that process started (so a reused PID is told apart). */
interface LockOwner {
  pid: number;
  /** Clock ticks since boot at which the process started (/proc/<pid>/stat); undefined elsewhere. */
  started: string | undefined;
}

/** Another live process holds the data directory. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another Consign process (pid ${pid}). ` +
        'Stop that process first, or point CONSIGN_DATA_DIR at another directory, or use DATABASE_URL for a PostgreSQL server that many processes can share.',
    );
  }
}

/** The lock files this process holds: one naming this PID that is not among them is a previous run's. */
const heldHere = new Set<string>();

/**
 * PGlite is a single-process database: two processes opening one data directory would corrupt
 * it. A lock file naming the owner keeps the second one out with a clear message. A lock left by
 * a process that died is taken over, including when its PID now belongs to another process (or
 * to this one, as after a container restarts with the same PID): the owner's start time tells.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  const lockPath = path.resolve(dataDir, 'consign.lock');
  if (heldHere.has(lockPath)) {
    throw new Error(`The embedded database in ${dataDir} is already open in this process.`);
  }
  const self: LockOwner = { pid: process.pid, started: startTimeOf(process.pid) };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, formatOwner(self), { flag: 'wx' });
      heldHere.add(lockPath);
      return () => {
        heldHere.delete(lockPath);
        fs.rmSync(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = parseOwner(fs.readFileSync(lockPath, 'utf8'));
      if (owner && holdsLock(owner)) throw new DataDirInUseError(dataDir, owner.pid);
      fs.rmSync(lockPath, { force: true }); // stale lock from a process that died
    }
  }
  throw new Error(`Could not lock ${lockPath}`);
}

/** `<pid>` or `<pid> <start time>`: the first form is what earlier versions wrote. */
export function formatOwner(owner: LockOwner): string {
  return owner.started === undefined ? String(owner.pid) : `${owner.pid} ${owner.started}`;
}

export function parseOwner(text: string): LockOwner | undefined {
  const [pid, started] = text.trim().split(/\s+/);
  const parsed = Number(pid);
  if (!Number.isInteger(parsed) || parsed <= 0) return undefined;
  return { pid: parsed, started: started || undefined };
}

/** Whether the process that wrote the lock is still running (not this one: what it holds is in `heldHere`). */
function holdsLock(owner: LockOwner): boolean {
  if (owner.pid === process.pid || !isAlive(owner.pid)) return false;
  if (owner.started === undefined) return true;
  const started = startTimeOf(owner.pid);
  return started === undefined || started === owner.started;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/<pid>/stat (after the command name, which may contain spaces); undefined off Linux. */
export function startTimeOf(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
