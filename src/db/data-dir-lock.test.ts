import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, formatOwner, parseOwner, startTimeOf } from './data-dir-lock.ts';

let dir: string;
let lockPath: string;
let child: ChildProcess | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consign-lock-'));
  lockPath = path.join(dir, 'consign.lock');
});
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A live process other than this one, to own a lock. */
function otherProcess(): number {
  child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  return child.pid!;
}

/** The PID of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => gone.once('exit', resolve));
  return gone.pid!;
}

const onLinux = process.platform === 'linux';

describe('the embedded data directory lock', () => {
  it('writes its owner and removes the file on release', () => {
    const release = acquireDataDirLock(dir);
    expect(parseOwner(fs.readFileSync(lockPath, 'utf8'))).toEqual({
      pid: process.pid,
      started: startTimeOf(process.pid),
    });
    release();
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  it('refuses while the owner runs, naming its PID', () => {
    const pid = otherProcess();
    fs.writeFileSync(lockPath, formatOwner({ pid, started: startTimeOf(pid) }));
    expect(() => acquireDataDirLock(dir)).toThrow(`in use by another Consign process (pid ${pid})`);
    fs.writeFileSync(lockPath, String(pid)); // as earlier versions wrote it
    expect(() => acquireDataDirLock(dir)).toThrow(`pid ${pid}`);
  });

  it('takes over a lock whose owner died', async () => {
    const pid = await deadPid();
    fs.writeFileSync(lockPath, formatOwner({ pid, started: '1' }));
    acquireDataDirLock(dir)();
  });

  it('refuses a second open of one directory within this process', () => {
    const release = acquireDataDirLock(dir);
    expect(() => acquireDataDirLock(dir)).toThrow('already open in this process');
    release();
    acquireDataDirLock(dir)();
  });

  it('takes over a lock that names this very process, as after a restart with the same PID', () => {
    fs.writeFileSync(lockPath, formatOwner({ pid: process.pid, started: '1' }));
    const release = acquireDataDirLock(dir);
    expect(parseOwner(fs.readFileSync(lockPath, 'utf8'))?.pid).toBe(process.pid);
    release();
  });

  it.runIf(onLinux)('takes over a lock whose PID now belongs to a process that started later', () => {
    const pid = otherProcess();
    const started = startTimeOf(pid)!;
    fs.writeFileSync(lockPath, formatOwner({ pid, started: String(Number(started) - 1) }));
    acquireDataDirLock(dir)();
  });

  it('reads a lock file it cannot make sense of as stale', () => {
    fs.writeFileSync(lockPath, 'not a pid');
    acquireDataDirLock(dir)();
  });
});
