import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { afterAll } from 'vitest';
import { waitFor } from './wait.ts';

const HOST = '127.0.0.1';
const CANDIDATES = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];
/** Where the kernel is asked to kill a server whose parent (the test worker) died, however it died. */
const SETPRIV = '/usr/bin/setpriv';
const OUTPUT_TAIL_CHARS = 8_000;
/**
 * Forming the cluster (routes, a meta leader, every peer known) takes a few seconds when the
 * machine is idle, and was seen to take more than 30 s while the rest of the suite loads it.
 */
const READY_TIMEOUT_MS = 90_000;

/** The installed `nats-server` (Debian's package), or undefined. */
export function natsServerBinary(): string | undefined {
  return CANDIDATES.find((candidate) => existsSync(candidate));
}

export interface ClusterNode {
  /** The server's name (`n1`…), as JetStream reports a stream's leader and replicas. */
  name: string;
  url: string;
  /** SIGKILL, and resolves once it has exited. Its store stays for `restart`. */
  kill(): Promise<void>;
  /** Starts it again on the same ports and store; resolves once it accepts connections. */
  restart(): Promise<void>;
  output(): string;
}

export interface NatsCluster {
  nodes: ClusterNode[];
  /** Every node's client URL, comma-separated: what `NATS_URL` would say. */
  url: string;
  node(name: string): ClusterNode;
  /** Kills every node and removes their stores. */
  stop(): Promise<void>;
}

interface Live {
  child: ChildProcess;
  exited: Promise<void>;
}

/** Every node not yet stopped: killed after the file's tests and when the worker exits. */
const running = new Set<ChildProcess>();
const stores = new Set<string>();

function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
  for (const dir of stores) rmSync(dir, { recursive: true, force: true });
}

afterAll(async () => {
  const exits = [...running].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  killAll();
  await Promise.all(exits);
});
process.once('exit', killAll);

/** A port nothing listens on right now (the OS picks it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, HOST, resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Starts `size` `nats-server` processes with JetStream on free loopback ports, each with a store
 * of its own, routed to one another as one cluster, and resolves once the cluster has a meta
 * leader and can place a stream on every node. The nodes die with the test worker.
 */
export async function startNatsCluster(size = 3): Promise<NatsCluster> {
  const binary = natsServerBinary();
  if (!binary) throw new Error('nats-server is not installed (apt-get install nats-server)');
  const clusterName = `consign_test_${process.pid}`;
  const root = mkdtempSync(path.join(tmpdir(), 'consign-nats-cluster-'));
  stores.add(root);
  const specs = [];
  for (let i = 1; i <= size; i++) {
    specs.push({ name: `n${i}`, port: await freePort(), routePort: await freePort(), store: path.join(root, `n${i}`) });
  }
  const routes = specs.map((spec) => `nats://${HOST}:${spec.routePort}`).join(',');

  const nodes = specs.map((spec): ClusterNode => {
    const args = [
      ...['-a', HOST, '-p', String(spec.port), '-n', spec.name, '-js', '-sd', spec.store],
      ...['--cluster_name', clusterName, '--cluster', `nats://${HOST}:${spec.routePort}`, '--routes', routes],
    ];
    let output = '';
    let live: Live | undefined;
    const start = () => {
      const child = existsSync(SETPRIV)
        ? spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', binary, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      running.add(child);
      const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS));
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      const exited = new Promise<void>((resolve) =>
        child.once('exit', () => {
          running.delete(child);
          resolve();
        }),
      );
      live = { child, exited };
    };
    const node: ClusterNode = {
      name: spec.name,
      url: `nats://${HOST}:${spec.port}`,
      kill: async () => {
        const current = live;
        live = undefined;
        if (!current) return;
        current.child.kill('SIGKILL');
        await current.exited;
      },
      restart: async () => {
        if (live) throw new Error(`${spec.name} is running`);
        start();
        await waitFor('the restarted node to accept connections', () => accepts(node.url), {
          timeoutMs: READY_TIMEOUT_MS,
          describe: () => node.output(),
        });
      },
      output: () => output,
    };
    start();
    return node;
  });

  const cluster: NatsCluster = {
    nodes,
    url: nodes.map((node) => node.url).join(','),
    node: (name) => {
      const found = nodes.find((node) => node.name === name);
      if (!found) throw new Error(`no node ${name} in the cluster`);
      return found;
    },
    stop: async () => {
      for (const node of nodes) await node.kill();
      rmSync(root, { recursive: true, force: true });
      stores.delete(root);
    },
  };
  try {
    await waitUntilPlaceable(cluster, size);
  } catch (error) {
    const outputs = nodes.map((node) => `--- ${node.name}\n${node.output()}`).join('\n');
    await cluster.stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${outputs}`, { cause: error });
  }
  return cluster;
}

async function accepts(url: string): Promise<boolean> {
  const nc = await connect({ servers: url, reconnect: false, timeout: 1_000 }).catch(() => undefined);
  if (!nc) return false;
  await nc.close();
  return true;
}

/**
 * Waits until the cluster has elected a meta leader and knows all its peers: a probe stream with
 * one copy per node can then be created (and is deleted again).
 */
async function waitUntilPlaceable(cluster: NatsCluster, size: number): Promise<void> {
  let nc: NatsConnection | undefined;
  let last = 'no connection yet';
  try {
    await waitFor(
      'the NATS cluster to elect a meta leader and place a stream on every node',
      async () => {
        try {
          nc ??= await connect({ servers: cluster.nodes.map((node) => node.url), timeout: 1_000 });
          const jsm = await nc.jetstreamManager({ timeout: 1_000 });
          const probe = `READY_PROBE_${process.pid}`;
          await jsm.streams.add({ name: probe, subjects: [`ready_probe_${process.pid}`], num_replicas: size });
          await jsm.streams.delete(probe);
          return true;
        } catch (error) {
          last = error instanceof Error ? error.message : String(error);
          return false;
        }
      },
      { timeoutMs: READY_TIMEOUT_MS, describe: () => last },
    );
  } finally {
    await nc?.close();
  }
}
