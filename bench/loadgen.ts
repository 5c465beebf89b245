import http from 'node:http';
import { drive, type DriveOptions, type DriveResult } from './drive.ts';

export interface HttpCall {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  headers?: Record<string, string>;
  /** JSON text, serialized before the clock starts. */
  body?: string;
}

export interface HttpResponse {
  status: number;
  body: Buffer;
}

/** A request longer than this is a failure, not a data point: no call waits forever. */
const REQUEST_TIMEOUT_MS = 60_000;

/**
 * A keep-alive HTTP client for one Consign server: `maxSockets` connections at most, reused
 * across requests, the API key sent on every call.
 */
export class ApiClient {
  private readonly agent: http.Agent;
  private readonly origin: URL;

  constructor(
    baseUrl: string,
    private readonly apiKey: string,
    maxSockets: number,
  ) {
    this.origin = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'fifo' });
  }

  send(call: HttpCall): Promise<HttpResponse> {
    const headers: Record<string, string | number> = { authorization: `Bearer ${this.apiKey}`, ...call.headers };
    if (call.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(call.body);
    }
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: this.origin.hostname,
          port: this.origin.port,
          method: call.method,
          path: call.path,
          headers,
          agent: this.agent,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
          response.on('error', reject);
        },
      );
      request.setTimeout(REQUEST_TIMEOUT_MS, () =>
        request.destroy(new Error(`${call.method} ${call.path}: no answer in ${REQUEST_TIMEOUT_MS} ms`)),
      );
      request.on('error', reject);
      request.end(call.body);
    });
  }

  /** Sends a call and fails unless the status is one of `expected`. */
  async expect(call: HttpCall, expected: readonly number[]): Promise<HttpResponse> {
    const response = await this.send(call);
    if (!expected.includes(response.status)) {
      throw new Error(
        `${call.method} ${call.path} → ${response.status} ${response.body.toString('utf8').slice(0, 300)}`,
      );
    }
    return response;
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * Closed-loop load: `concurrency` workers, each sending the next call as soon as its previous
 * one is answered, over a connection pool of the same size. Each call's latency is the time from
 * writing the request to reading the whole response.
 */
export async function generateLoad(
  baseUrl: string,
  apiKey: string,
  options: DriveOptions,
  nextCall: (worker: number) => HttpCall,
  expected: readonly number[],
): Promise<DriveResult> {
  const client = new ApiClient(baseUrl, apiKey, options.concurrency);
  try {
    return await drive(options, async (worker) => {
      await client.expect(nextCall(worker), expected);
    });
  } finally {
    client.close();
  }
}
