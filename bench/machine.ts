import os from 'node:os';
import { postgresInfo, type PostgresInfo } from './setup.ts';

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  os: string;
  node: string;
  postgres: PostgresInfo | undefined;
  /** CONSIGN_DB_POOL_SIZE as the server under test sees it (Consign's default is 16). */
  serverPoolSize: string;
  /** 1-minute load average when the run started and ended: other work on the machine skews results. */
  loadAtStart: number;
  loadAtEnd: number | undefined;
}

/** What the numbers depend on; no host names, users or paths. */
export async function describeMachine(postgresServerUrl: string | undefined): Promise<Machine> {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown CPU',
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: postgresServerUrl ? await postgresInfo(postgresServerUrl) : undefined,
    serverPoolSize: process.env.CONSIGN_DB_POOL_SIZE || '16 (default)',
    loadAtStart: os.loadavg()[0]!,
    loadAtEnd: undefined,
  };
}
