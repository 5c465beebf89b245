import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from '../../src/webhooks/index.ts';

/** What a handler answers: a status and a JSON body (text, so big integers stay exact). */
export interface PeerAnswer {
  status: number;
  text: string;
}

export type PeerHandler = (method: string, path: string, text: string) => PeerAnswer;

/**
 * A connector's endpoint relaying platform API calls, as a real HTTP server on 127.0.0.1: it
 * checks each request's Standard Webhooks signature (a refused one is answered 401 and counted),
 * keeps the one-way messages posted to its own URL, and hands a platform API call (its path
 * after the endpoint's) to the platform's handler.
 */
export class PlatformApiPeer {
  readonly refused: string[] = [];
  /** The one-way messages (shipments, availability) posted to the endpoint itself. */
  readonly messages: string[] = [];
  url = '';
  private readonly server: Server;

  constructor(
    private readonly secret: string,
    private readonly prefix: string,
    private readonly handle: PeerHandler,
  ) {
    this.server = createServer((request, response) => this.serve(request, response));
  }

  private serve(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const checked = verify(this.secret, request.headers as Record<string, string>, text);
      const url = request.url ?? '';
      if (!checked.valid || !url.startsWith(this.prefix)) {
        this.refused.push(checked.valid ? `path ${url}` : checked.reason);
        response.writeHead(401).end();
        return;
      }
      if (url === this.prefix && request.method === 'POST') {
        this.messages.push(text);
        response.writeHead(200).end();
        return;
      }
      const answer = this.handle(request.method ?? 'GET', url.slice(this.prefix.length), text);
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.text);
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${this.prefix}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
