import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build:console` writes the console (git-ignored; built on `npm start`). */
const consoleDistDir = fileURLToPath(new URL('../../console/dist/', import.meta.url));

export const consoleIsBuilt = (distDir: string = consoleDistDir) => fs.existsSync(path.join(distDir, 'index.html'));

/**
 * The console's sections (the first path segment of its pages, see console/src/app.tsx): their
 * paths load the app; any other path is an unknown one and answers 404, so `/metrics` on a server
 * without it, or a mistyped API path, never gets the console's HTML with a 200.
 */
export const CONSOLE_SECTIONS = [
  'orders',
  'customers',
  'inventory',
  'queue',
  'returns',
  'routing',
  'automations',
  'notifications',
  'dashboards',
  'connectors',
  'settings',
  'api-keys',
  'users',
  // Where a one-time sign-in link lands: the page that sets a password.
  'set-password',
] as const;

const CONSOLE_PATHS = new RegExp(`^/(?:${CONSOLE_SECTIONS.join('|')})(?:[/?#]|$)`);

const NOT_BUILT_PAGE = `<!doctype html><meta charset="utf-8"><title>Consign</title>
<p>The Consign console is not built yet. Run <code>npm run build:console</code> (or <code>npm start</code>,
which builds it) and reload. The API is served under <a href="/docs">/docs</a>.</p>`;

/**
 * Serves the back-office console at `/`: the built files, and `index.html` for a GET of any of its
 * sections so that client-side routes (`/orders/ord_…`) load the app.
 * Returns the not-found fallback for the error handler.
 */
export async function registerConsole(
  app: FastifyInstance,
  distDir: string = consoleDistDir,
): Promise<(request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined> {
  const indexFile = path.join(distDir, 'index.html');
  const built = consoleIsBuilt(distDir);
  if (built) {
    await app.register(fastifyStatic, {
      root: distDir,
      prefix: '/',
      index: false,
      // The build writes .br and .gz copies of its files (scripts/build-console.ts).
      preCompressed: true,
      decorateReply: false,
      schemaHide: true,
      setHeaders: (response, filePath) => {
        const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
        response.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  const sendIndex = (reply: FastifyReply) =>
    built
      ? reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(fs.createReadStream(indexFile))
      : reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
  app.get('/', { schema: { hide: true } }, async (_request, reply) => sendIndex(reply));
  return (request, reply) => {
    const wantsPage = request.method === 'GET' || request.method === 'HEAD';
    if (!wantsPage || !CONSOLE_PATHS.test(request.url)) return undefined;
    return sendIndex(reply);
  };
}
