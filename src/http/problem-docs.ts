import type { FastifyInstance } from 'fastify';
import { problemCodes, type ProblemCode } from '../shared/problem.ts';

/** `type` URIs of problems resolve to a short description of the code. */
export function problemRoutes(app: FastifyInstance): void {
  app.get('/problems', { schema: { hide: true } }, async () =>
    Object.entries(problemCodes).map(([code, { status, title }]) => ({ code, status, title })),
  );
  app.get<{ Params: { code: string } }>('/problems/:code', { schema: { hide: true } }, async (request, reply) => {
    const entry = problemCodes[request.params.code as ProblemCode];
    if (!entry) return reply.code(404).send({ code: 'not_found', detail: 'No such problem code.' });
    return { code: request.params.code, ...entry };
  });
}
