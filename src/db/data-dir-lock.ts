import fs from 'node:fs';
import path from 'node:path';

/**
 * PGlite is a single-process database: two processes opening one data directory would corrupt
 * it. A lock file holding the owner's PID keeps the second one out with a clear message.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'consign.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(lockPath, 'utf8'));
      if (isAlive(owner)) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by another Consign process (pid ${owner}). ` +
            'Stop that process first, or point CONSIGN_DATA_DIR at another directory, or use DATABASE_URL for a PostgreSQL server that many processes can share.',
        );
      }
      fs.rmSync(lockPath, { force: true }); // stale lock from a process that died
    }
  }
  throw new Error(`Could not lock ${lockPath}`);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
