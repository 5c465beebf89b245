import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from '../../src/webhooks/index.ts';

/** One message a channel's endpoint received, its signature verified, its body kept as text. */
export interface PlatformMessage {
  webhookId: string;
  text: string;
}

/**
 * A channel's outbound endpoint (the relay to the platform's API): a real HTTP server on
 * 127.0.0.1 that checks the Standard Webhooks signature and keeps the exact body text, so a
 * test can see integers beyond 2^53 as they were sent.
 */
export class PlatformReceiver {
  readonly received: PlatformMessage[] = [];
  readonly refused: string[] = [];
  url = '';
  private readonly server: Server;

  constructor(private readonly secret: string) {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const headers = Object.fromEntries(
          ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(request.headers[h] ?? '')]),
        );
        const checked = verify(this.secret, headers as never, text);
        if (checked.valid) this.received.push({ webhookId: headers['webhook-id']!, text });
        else this.refused.push(checked.reason);
        response.writeHead(checked.valid ? 200 : 401).end();
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/shopify-relay`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
