/**
 * The console's only way to Consign: the HTTP API, as a signed-in person (the session cookie,
 * and the session's CSRF token on every request that changes something) or with an API key.
 */

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  [extra: string]: unknown;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
  get status(): number {
    return this.problem.status;
  }
}

export type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export interface Api {
  get<T>(path: string, query?: Query): Promise<T>;
  post<T>(path: string, body?: unknown, options?: { idempotent?: boolean }): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  /** A text body in another format than JSON (a CSV upload). */
  postText<T>(path: string, text: string, contentType: string): Promise<T>;
  delete(path: string): Promise<void>;
  blob(path: string): Promise<Blob>;
}

/** How requests authenticate: the browser's session cookie with its CSRF token, or an API key. */
export type Credentials = { kind: 'session'; csrfToken: string } | { kind: 'key'; key: string };

function authHeaders(credentials: Credentials, method: string): Record<string, string> {
  if (credentials.kind === 'key') return { authorization: `Bearer ${credentials.key}` };
  return method === 'GET' ? {} : { 'x-csrf-token': credentials.csrfToken };
}

export function createApi(credentials: Credentials, onUnauthorized: () => void): Api {
  async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const raw = typeof body === 'string';
    const response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        ...authHeaders(credentials, method),
        ...(body === undefined || raw ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
    });
    if (response.ok) return response;
    const problem = (await response.json().catch(() => ({}))) as Partial<Problem>;
    if (response.status === 401) onUnauthorized();
    throw new ApiError({ ...problem, status: response.status });
  }
  const json = async <T>(response: Response) => (await response.json()) as T;
  return {
    get: async (path, query) => json(await send('GET', withQuery(path, query))),
    post: async (path, body = {}, options = {}) =>
      json(await send('POST', path, body, options.idempotent ? { 'idempotency-key': crypto.randomUUID() } : {})),
    put: async (path, body) => json(await send('PUT', path, body)),
    patch: async (path, body) => json(await send('PATCH', path, body)),
    postText: async (path, text, contentType) => json(await send('POST', path, text, { 'content-type': contentType })),
    delete: async (path) => {
      await send('DELETE', path);
    },
    blob: async (path) => (await send('GET', path)).blob(),
  };
}
