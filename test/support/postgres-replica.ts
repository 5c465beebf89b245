import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A PostgreSQL primary and its streaming replica of the test's own, started from the machine's
 * PostgreSQL binaries (initdb, pg_basebackup -R, pg_ctl) in a temporary directory, listening on
 * 127.0.0.1 only. The machine's own server does not allow replication connections, hence these.
 * PostgreSQL refuses to run as root: as root, every command runs as the `postgres` OS user.
 */
export interface PostgresPair {
  primaryUrl: string;
  replicaUrl: string;
  /** The replica's postmaster process ID (from its postmaster.pid). */
  replicaPid(): number;
  /** Starts the replica again on its port (after it was killed), once its old processes are gone. */
  startReplica(): Promise<void>;
  /** Stops both servers at once and deletes their directories. */
  destroy(): void;
}

const FALLBACK_BINDIR = '/usr/lib/postgresql/15/bin';
const TOOLS = ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres'];

/** The directory with initdb, pg_ctl, pg_basebackup and postgres, or undefined when they are not installed. */
export function postgresBinaries(): string | undefined {
  const candidates = [FALLBACK_BINDIR];
  try {
    candidates.unshift(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // no pg_config on the PATH: the usual Debian location only
  }
  return candidates.find((dir) => TOOLS.every((tool) => fs.existsSync(path.join(dir, tool))));
}

/** As root, the command runs as `postgres` (PostgreSQL refuses root); otherwise as this user. */
function runAs(bindir: string, tool: string, args: string[]): { command: string; args: string[] } {
  const binary = path.join(bindir, tool);
  if (process.getuid?.() !== 0) return { command: binary, args };
  return { command: 'runuser', args: ['-u', 'postgres', '--', binary, ...args] };
}

function run(bindir: string, tool: string, args: string[]): string {
  const { command, args: full } = runAs(bindir, tool, args);
  const result = spawnSync(command, full, { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0)
    throw new Error(
      `${tool} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr}${result.stdout}`,
    );
  return result.stdout;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function ownedByPostgres(dir: string): void {
  if (process.getuid?.() !== 0) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
  fs.chownSync(dir, uid, gid);
}

function postmasterPid(dataDir: string): number {
  return Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

export async function startPostgresPair(bindir: string): Promise<PostgresPair> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'consign-replica-'));
  fs.chmodSync(base, 0o700);
  ownedByPostgres(base);
  const primaryDir = path.join(base, 'primary');
  const replicaDir = path.join(base, 'replica');
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const pgCtl = (dir: string, args: string[]) => run(bindir, 'pg_ctl', ['-D', dir, ...args]);
  const destroy = () => {
    process.off('exit', destroy);
    for (const dir of [replicaDir, primaryDir]) {
      if (fs.existsSync(path.join(dir, 'postmaster.pid'))) {
        try {
          pgCtl(dir, ['-m', 'immediate', '-w', 'stop']);
        } catch {
          // already gone
        }
      }
    }
    fs.rmSync(base, { recursive: true, force: true });
  };
  process.once('exit', destroy); // the test worker dying must not leave the servers running
  try {
    run(bindir, 'initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '--no-sync']);
    fs.appendFileSync(
      path.join(primaryDir, 'postgresql.conf'),
      [
        `listen_addresses = '127.0.0.1'`,
        `port = ${primaryPort}`,
        `unix_socket_directories = '${base}'`,
        'wal_level = replica',
        'max_wal_senders = 5',
        'hot_standby = on',
        'fsync = off',
        'full_page_writes = off',
        `wal_keep_size = '256MB'`,
        '',
      ].join('\n'),
    );
    fs.appendFileSync(path.join(primaryDir, 'pg_hba.conf'), 'host replication postgres 127.0.0.1/32 trust\n');
    pgCtl(primaryDir, ['-l', path.join(base, 'primary.log'), '-w', 'start']);
    run(bindir, 'pg_basebackup', [
      '-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', replicaDir, '-R', '-X', 'stream', '--no-sync',
    ]); // prettier-ignore
    fs.appendFileSync(path.join(replicaDir, 'postgresql.conf'), `port = ${replicaPort}\n`);
    const startReplica = () => pgCtl(replicaDir, ['-l', path.join(base, 'replica.log'), '-w', 'start']);
    startReplica();
    return {
      primaryUrl: `postgres://postgres@127.0.0.1:${primaryPort}/postgres`,
      replicaUrl: `postgres://postgres@127.0.0.1:${replicaPort}/postgres`,
      replicaPid: () => postmasterPid(replicaDir),
      startReplica: async () => {
        // A killed postmaster's children leave on their own; until they have, its shared memory is in use.
        for (let attempt = 1; ; attempt++) {
          try {
            startReplica();
            return;
          } catch (error) {
            if (attempt >= 20) throw error;
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
        }
      },
      destroy,
    };
  } catch (error) {
    destroy();
    throw error;
  }
}
