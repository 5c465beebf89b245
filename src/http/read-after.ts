import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseLsn, type Db, type ReadRouter } from '../db/index.ts';
import { problem, ProblemError } from '../shared/problem.ts';

/**
 * The header with the primary's WAL position after a write (on its response) and the position a
 * read must include (on a request). docs/scaling.md, "Reading your own writes".
 */
const READ_AFTER_HEADER = 'Consign-Read-After';

/** Runs a routed read for `request`: on the replica when it may, else on the primary. */
export type ReadOn = <T>(request: FastifyRequest, work: (db: Db) => Promise<T>) => Promise<T>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by a routed read: such a request wrote nothing, so no write position is reported. */
    routedRead: boolean;
  }
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function readAfter(request: FastifyRequest): bigint | undefined {
  const raw = request.headers[READ_AFTER_HEADER.toLowerCase()];
  if (raw === undefined) return undefined;
  const lsn = typeof raw === 'string' ? parseLsn(raw.trim()) : undefined;
  if (lsn !== undefined) return lsn;
  throw new ProblemError(
    problem(
      'validation_failed',
      `${READ_AFTER_HEADER} must be a WAL position as a write's response gave it (e.g. 16/B374D848).`,
      { errors: [{ pointer: `/headers/${READ_AFTER_HEADER.toLowerCase()}`, message: 'is not a WAL position' }] },
    ),
  );
}

/**
 * Routes the reads handlers run through the returned function, and, with a replica, answers every
 * authenticated write with the primary's WAL position in `Consign-Read-After` (remembered for its
 * principal, whose next routed reads wait for the replica to reach it).
 */
export function registerReadRouting(app: FastifyInstance, router: ReadRouter): ReadOn {
  app.decorateRequest('routedRead', false);
  app.addHook('onClose', async () => router.stop());
  if (router.replicated) {
    app.addHook('onSend', async (request, reply) => {
      if (!MUTATING.has(request.method) || request.routedRead || !request.principal) return;
      const lsn = await router.noteWrite(request.principal.keyId).catch(() => undefined);
      if (lsn) reply.header(READ_AFTER_HEADER, lsn);
    });
  }
  return (request, work) => {
    request.routedRead = true;
    return router.read({ principal: request.principal?.keyId, after: readAfter(request) }, work);
  };
}
