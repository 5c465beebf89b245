import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One text or push message as an SMS or push gateway received it. */
export interface ReceivedNotification {
  idempotencyKey: string | undefined;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

/**
 * An SMS/push gateway's endpoint: a real HTTP server on 127.0.0.1 that records every JSON POST
 * and answers 202, or `failWith` while it is set.
 */
export class NotifyWebhookPeer {
  readonly received: ReceivedNotification[] = [];
  failWith: number | undefined;
  url = '';
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (this.failWith) {
        response.writeHead(this.failWith).end('gateway unavailable');
        return;
      }
      this.received.push({
        idempotencyKey: request.headers['idempotency-key'] as string | undefined,
        contentType: request.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
      });
      response.writeHead(202).end();
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/messages`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
