import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeployment, type Deployment } from '../support/deployment.ts';
import { keepAliveLoad, send, type RequestSpec } from '../support/keep-alive-load.ts';
import { orderBody } from '../support/orders.ts';
import { createWarehouseChannel } from '../support/warehouse.ts';

/** `CONSIGN_SHUTDOWN_ROUNDS=20` for the long run; the suite's default stays fast. */
const ROUNDS = Number(process.env.CONSIGN_SHUTDOWN_ROUNDS ?? 5);
const CLIENTS = 6;
const SLOW_CLIENTS = 2;
/** Well inside the server's own 10 s limit: a drain that needs it has waited on a socket. */
const DRAIN_LIMIT_MS = 5_000;
const SKUS = ['SD-1', 'SD-2'];
/** Answers the load has had before the signal. */
const MIN_ANSWERED = 12;
const answered = (outcomes: readonly { status?: number }[]) => outcomes.filter((o) => o.status !== undefined).length;

let deployment: Deployment;

beforeAll(async () => {
  deployment = await createDeployment({ serverCount: 1 });
  await createWarehouseChannel(deployment.servers[0]!.request, {
    code: 'SD-1',
    name: 'Shutdown warehouse',
    skus: SKUS.map((sku) => ({ sku })),
    onHand: 1_000_000,
  });
}, 240_000);
afterAll(async () => {
  await deployment?.close();
});

const order = (id: string): RequestSpec => ({
  method: 'POST',
  path: '/v1/orders',
  body: orderBody(id, [{ sku: SKUS[0]!, quantity: 1 }]),
});

/** Reads and writes alternating, so at any moment some sockets are busy and some idle. */
const requests =
  (round: number) =>
  (client: number, i: number): RequestSpec =>
    i % 3 === 0 ? order(`SD-${round}-${client}-${i}`) : { method: 'GET', path: '/v1/inventory/levels?limit=50' };

async function shutdownRound(round: number) {
  if (round > 0) await deployment.restart();
  const server = deployment.servers[0]!;
  let signalled = false;
  const load = keepAliveLoad({
    url: server.url,
    clients: CLIENTS,
    requests: requests(round),
    signalled: () => signalled,
    stopAfterSignalMs: () => Math.random() * 400,
  });
  // The signal comes once the load is under way, however slow the machine: a random moment after
  // enough answers that some sockets are busy and some idle.
  while (answered(load.outcomes) < MIN_ANSWERED) await sleep(10);
  await sleep(Math.random() * 500);
  // Requests whose bodies are still arriving when the signal comes: in flight through the drain.
  const slowAgents = Array.from({ length: SLOW_CLIENTS }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  let accepted = 0;
  const trickle = { ms: 600, onContinue: () => void accepted++ };
  const slow = slowAgents.map((agent, c) =>
    send(server.url, agent, { ...order(`SD-${round}-slow-${c}`), trickle }, true),
  );
  while (accepted < SLOW_CLIENTS) await sleep(10);
  await sleep(100);
  const signalledAt = Date.now();
  signalled = true;
  const exit = await server.kill('SIGTERM');
  const drainMs = Date.now() - signalledAt;
  const slowOutcomes = await Promise.all(slow);
  await load.done;
  load.close();
  slowAgents.forEach((agent) => agent.destroy());
  return { exit, drainMs, slowOutcomes, outcomes: load.outcomes, output: server.output() };
}

describe('SIGTERM under keep-alive load', () => {
  it(
    `drains and exits 0 within ${DRAIN_LIMIT_MS} ms, ${ROUNDS} rounds`,
    async () => {
      const figures: { exit: number | null; drainMs: number }[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const result = await shutdownRound(round);
        figures.push({ exit: result.exit.code, drainMs: result.drainMs });
        const context = `round ${round}: ${JSON.stringify(figures.at(-1))}\n${result.output}`;
        expect(result.exit, context).toEqual({ code: 0, signal: null });
        expect(result.drainMs, context).toBeLessThan(DRAIN_LIMIT_MS);
        // A request still arriving when the signal came is finished, not cut.
        for (const outcome of result.slowOutcomes) expect(outcome, context).toMatchObject({ status: 201 });
        // Requests sent before the signal are answered; none gets a server error.
        expect(
          result.outcomes.filter((o) => o.beforeSignal && o.status === undefined),
          context,
        ).toEqual([]);
        expect(result.outcomes.filter((o) => (o.status ?? 0) >= 500 && !(o.status === 503 && !o.beforeSignal))).toEqual(
          [],
        );
        expect(answered(result.outcomes.filter((o) => o.beforeSignal))).toBeGreaterThanOrEqual(MIN_ANSWERED);
      }
      console.log(`graceful shutdown (${deployment.engine}): ${JSON.stringify(figures)}`);
    },
    ROUNDS * 60_000,
  );
});
