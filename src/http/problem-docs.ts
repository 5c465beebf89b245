import type { FastifyInstance } from 'fastify';
import { problem, problemCodes, type ProblemCode } from '../shared/problem.ts';
import { sendProblem } from './errors.ts';

/** `type` URIs of problems resolve to a short description of the code. */
export function problemRoutes(app: FastifyInstance): void {
  app.get('/problems', { schema: { hide: true } }, async () =>
    Object.entries(problemCodes).map(([code, { status, title }]) => ({ code, status, title })),
  );
  app.get<{ Params: { code: string } }>('/problems/:code', { schema: { hide: true } }, async (request, reply) => {
    const code = request.params.code;
    if (!Object.hasOwn(problemCodes, code)) {
      return sendProblem(reply, problem('not_found', `No problem code "${code}"; GET /problems lists them.`));
    }
    return { code, ...problemCodes[code as ProblemCode] };
  });
}
