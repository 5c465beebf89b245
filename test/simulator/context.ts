import type { Db } from '../../src/db/index.ts';
import type { Requester } from '../support/client.ts';
import type { Model } from './model.ts';
import type { World } from './world.ts';

/** A check that failed: the sequence is shrunk and printed with it. */
export class Divergence extends Error {
  override name = 'Divergence';
}

export function expectThat(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new Divergence(typeof message === 'string' ? message : message());
}

export function expectEqual<T>(actual: T, expected: T, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  expectThat(a === e, () => `${what}: expected ${e}, got ${a}`);
}

export interface Counters {
  sequences: number;
  steps: number;
  checks: number;
  /** The fewest steps a passing sequence took. */
  fewestSteps: number;
  /** What the steps did, by the first word of their report (place, ship, refund …). */
  done: Record<string, number>;
}

/** What one sequence works with: the server, the database (for in-process workers and checks), the model. */
export interface Sim {
  request: Requester;
  db: Db;
  world: World;
  model: Model;
  /** The sequence's name: prefixes its SKUs and external IDs. */
  name: string;
  /** When the sequence started (ISO 8601): every order it places is placed after it. */
  startedAt: string;
  /** The newest outbox event already checked. */
  eventCursor: number;
  counters: Counters;
  /** What each step did, for the report of a failing sequence. */
  trace: string[];
  serial: number;
}

export interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- API bodies are checked field by field
  body: any;
}

/** An API call whose answer must be one of `expected` (a status, or a status and problem code). */
export async function call(
  sim: Sim,
  method: string,
  path: string,
  body: unknown,
  expected: (number | `${number} ${string}`)[],
): Promise<Reply> {
  const response = await sim.request(method, path, body === undefined ? {} : { body });
  const got = `${response.status}${response.body?.code ? ` ${response.body.code}` : ''}`;
  const matched = expected.some((e) =>
    typeof e === 'number' ? e === response.status : e === `${response.status} ${response.body?.code}`,
  );
  expectThat(
    matched,
    () => `${method} ${path}: expected ${expected.join(' or ')}, got ${got}: ${JSON.stringify(response.body)}`,
  );
  expectThat(response.status < 500, () => `${method} ${path}: server error ${JSON.stringify(response.body)}`);
  return { status: response.status, body: response.body };
}

export const nextId = (sim: Sim, what: string) => `${sim.name}-${what}-${++sim.serial}`;
