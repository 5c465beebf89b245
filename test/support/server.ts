import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { createRequester } from './client.ts';
import type { Database } from '../../src/db/index.ts';
import type { ReadOn } from '../../src/http/read-after.ts';

export const TEST_ADMIN_KEY = 'csk_test_admin_key_for_consign_tests';

export interface TestServer {
  app: FastifyInstance;
  url: string;
  /** fetch against the server with the admin key (or `key`), JSON in and out. */
  request: (method: string, path: string, options?: RequestOptions) => Promise<TestResponse>;
  close: () => Promise<void>;
}

export interface RequestOptions {
  body?: unknown;
  /** Raw body text, sent as is (for malformed JSON tests). */
  rawBody?: string;
  key?: string | null;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  body: any;
}

/** A real Consign HTTP server on 127.0.0.1 with an ephemeral port. */
export async function startTestServer(
  database: Database,
  options: Pick<Parameters<typeof buildApp>[0], 'oidc'> = {},
): Promise<TestServer> {
  const app = await buildApp({ database, bootstrapAdminKey: TEST_ADMIN_KEY, logLevel: 'silent', ...options });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  const url = `http://127.0.0.1:${address.port}`;
  const request = createRequester(url);
  return { app, url, request, close: () => app.close() };
}

/** The read of an app context that routes nothing: every read on `database`'s primary. */
export function primaryReads(database: Database): ReadOn {
  return (_request, work) => work(database.db);
}
