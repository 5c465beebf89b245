import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { TEST_ADMIN_KEY } from './server.ts';

/** What one request came to: an HTTP status, or the socket error that ended it first. */
export interface Outcome {
  status?: number;
  error?: string;
  /** Sent before the server was signalled (it must be answered, not cut). */
  beforeSignal: boolean;
}

export interface RequestSpec {
  method: string;
  path: string;
  body?: unknown;
  /**
   * Ask for `100 Continue`, then send the body in two halves this far apart: the request is in
   * flight that long. `onContinue` is told when the server has read the request's head.
   */
  trickle?: { ms: number; onContinue: () => void };
}

/** One request on `agent` (keep-alive), resolving with its outcome instead of throwing. */
export function send(url: string, agent: http.Agent, spec: RequestSpec, beforeSignal: boolean): Promise<Outcome> {
  const payload = spec.body === undefined ? undefined : Buffer.from(JSON.stringify(spec.body));
  return new Promise((resolve) => {
    const request = http.request(url + spec.path, {
      method: spec.method,
      agent,
      headers: {
        authorization: `Bearer ${TEST_ADMIN_KEY}`,
        ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
        ...(spec.trickle ? { expect: '100-continue' } : {}),
      },
    });
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode, beforeSignal }));
      response.on('error', (error) => resolve({ error: error.message, beforeSignal }));
    });
    request.on('error', (error) =>
      resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message, beforeSignal }),
    );
    if (!payload) return void request.end();
    if (!spec.trickle) return void request.end(payload);
    const { ms, onContinue } = spec.trickle;
    request.on('continue', () => {
      onContinue();
      const half = Math.floor(payload.length / 2);
      request.write(payload.subarray(0, half));
      void sleep(ms).then(() => request.end(payload.subarray(half)));
    });
  });
}

export interface LoadOptions {
  url: string;
  clients: number;
  /** The requests each client cycles through. */
  requests: (client: number, i: number) => RequestSpec;
  /** Resolves when the server has been signalled. */
  signalled: () => boolean;
  /** How long after the signal a client goes on sending (a load balancer takes a while to notice). */
  stopAfterSignalMs: (client: number) => number;
}

/**
 * Keep-alive clients, one socket each, sending back to back. After the signal each goes on for a
 * while, then stops sending but keeps its pooled socket open, as load balancers and HTTP client
 * pools do: the server must close it, not wait for the client.
 */
export function keepAliveLoad(options: LoadOptions): { outcomes: Outcome[]; done: Promise<void>; close(): void } {
  const outcomes: Outcome[] = [];
  const agents = Array.from({ length: options.clients }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  const client = async (c: number) => {
    let stopAt = Infinity;
    for (let i = 0; Date.now() < stopAt; i++) {
      const beforeSignal = !options.signalled();
      if (!beforeSignal && stopAt === Infinity) stopAt = Date.now() + options.stopAfterSignalMs(c);
      const outcome = await send(options.url, agents[c]!, options.requests(c, i), beforeSignal);
      outcomes.push(outcome);
      if (outcome.error && !beforeSignal) await sleep(20); // refused: the server is going away
    }
  };
  return {
    outcomes,
    done: Promise.all(agents.map((_, c) => client(c))).then(() => {}),
    close: () => agents.forEach((agent) => agent.destroy()),
  };
}
