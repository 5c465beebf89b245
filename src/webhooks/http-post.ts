/**
 * One webhook POST over node:http(s) with keep-alive agents: a burst reuses a few hundred open
 * connections instead of opening one per delivery, and skips the per-request cost of `fetch`
 * (streams, signal composition) that bounded how many deliveries a process could send per second.
 */
import http from 'node:http';
import https from 'node:https';

/** Connections per receiver (host:port) at most; further requests wait in the agent's queue. */
const MAX_SOCKETS_PER_HOST = 64;
const KEEP_ALIVE_MS = 4_000;
/** The failure text keeps at most this many bytes of an error response's body. */
const ERROR_SNIPPET_BYTES = 300;

const agents = {
  'http:': new http.Agent({ keepAlive: true, keepAliveMsecs: KEEP_ALIVE_MS, maxSockets: MAX_SOCKETS_PER_HOST }),
  'https:': new https.Agent({ keepAlive: true, keepAliveMsecs: KEEP_ALIVE_MS, maxSockets: MAX_SOCKETS_PER_HOST }),
};

type PostOutcome =
  | { kind: 'answered'; status: number; snippet: string }
  | { kind: 'failed'; error: string }
  | { kind: 'timed out' }
  | { kind: 'interrupted' };

interface PostOptions {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Aborts the request (shutdown): `interrupted`, whatever else happened. */
  signal?: AbortSignal | undefined;
}

/**
 * POSTs `body` to `url` and resolves how it went; never rejects. A 2xx answer counts at its
 * status line, its body discarded unread; any other answer's first bytes are kept for the delivery's `last_error`.
 * Redirects are not followed (a 3xx is an answer like any other).
 */
export function postJson(url: URL, options: PostOptions): Promise<PostOutcome> {
  if (options.signal?.aborted) return Promise.resolve({ kind: 'interrupted' });
  return new Promise((resolve) => {
    const transport = url.protocol === 'https:' ? https : http;
    const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
    let settled = false;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      resolve(options.signal?.aborted ? { kind: 'interrupted' } : outcome);
    };
    const request = transport.request(url, {
      method: 'POST',
      agent,
      headers: { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) },
    });
    const timer = setTimeout(() => {
      finish({ kind: 'timed out' });
      request.destroy();
    }, options.timeoutMs);
    const onAbort = () => {
      finish({ kind: 'interrupted' });
      request.destroy();
    };
    // The timer also bounds a 2xx answer's body, read after the outcome is known; it stops once
    // the exchange is over (the socket goes back to the agent or is closed).
    request.on('close', () => clearTimeout(timer));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (error) => finish({ kind: 'failed', error: describeError(error) }));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) {
        finish({ kind: 'answered', status, snippet: '' });
        response.on('error', () => {}).resume();
        return;
      }
      readSnippet(response).then((snippet) => finish({ kind: 'answered', status, snippet }));
    });
    request.end(options.body);
  });
}

/** The first ERROR_SNIPPET_BYTES of an answer, whitespace folded; what arrived if the body broke off. */
function readSnippet(response: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      response.removeAllListeners('data');
      resolve(Buffer.concat(chunks).subarray(0, ERROR_SNIPPET_BYTES).toString('utf8').replace(/\s+/g, ' ').trim());
    };
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= ERROR_SNIPPET_BYTES) {
        done();
        response.destroy();
      }
    });
    response.on('end', done);
    response.on('error', done);
  });
}

function describeError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${message}: ${code}` : message;
}
