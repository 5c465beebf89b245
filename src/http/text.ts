import type { FastifyInstance } from 'fastify';
import { problem, ProblemError } from '../shared/problem.ts';
import { unstorableText } from '../shared/text.ts';

/**
 * Every request's body, path parameters and query string are checked for text Consign cannot
 * store (NUL, unpaired surrogates) before validation, so no route ever passes such a string to
 * the database: 400 `invalid_text`, with a pointer to each field. Raw bodies (signed webhooks)
 * are the routes' own concern: they clean the text once the signature verifies.
 */
export function registerTextCheck(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const pointers = [
      ...unstorableText(request.params, '/params'),
      ...unstorableText(request.query, '/querystring'),
      ...(Buffer.isBuffer(request.body) ? [] : unstorableText(request.body)),
    ];
    if (pointers.length === 0) return;
    throw new ProblemError(
      problem(
        'invalid_text',
        'Some text contains NUL (\\u0000) or an unpaired UTF-16 surrogate, which Consign cannot store; remove those characters and send again.',
        { errors: pointers.map((pointer) => ({ pointer, message: 'contains NUL or an unpaired surrogate' })) },
      ),
    );
  });
}
