import type { FastifyReply } from 'fastify';
import type { Result } from '../shared/result.ts';
import { problem } from '../shared/problem.ts';
import { sendProblem } from './errors.ts';
import type { Created } from './idempotency.ts';

/** Sends a Result: the value as JSON, or its problem as problem+json. */
export function respond<T>(reply: FastifyReply, result: Result<T>, status = 200): FastifyReply {
  return result.ok ? reply.code(status).send(result.value) : sendProblem(reply, result.problem);
}

export function found<T>(reply: FastifyReply, value: T | undefined, what: string): FastifyReply {
  return value === undefined ? sendProblem(reply, problem('not_found', `No ${what}.`)) : reply.send(value);
}

/** Maps a creating use case's Result into the `{status, body}` that idempotency stores. */
export async function created<T>(pending: Promise<Result<T>>, status = 201): Promise<Result<Created>> {
  const result = await pending;
  return result.ok ? { ok: true, value: { status, body: result.value } } : result;
}
