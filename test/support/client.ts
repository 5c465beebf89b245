import { TEST_ADMIN_KEY, type RequestOptions, type TestResponse } from './server.ts';

export type Requester = (method: string, path: string, options?: RequestOptions) => Promise<TestResponse>;

/** fetch against a Consign server at `url` with the admin key (or `key`), JSON in and out. */
export function createRequester(url: string): Requester {
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? TEST_ADMIN_KEY : options.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const response = await fetch(url + path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
}

/** Like the requester, but a non-2xx answer throws with the problem in the message. */
export async function must(
  request: Requester,
  method: string,
  path: string,
  body?: unknown,
): Promise<TestResponse['body']> {
  const response = await request(method, path, body === undefined ? {} : { body });
  if (response.status >= 300)
    throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}
