import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from '../../src/webhooks/index.ts';

/** One delivery whose signature verified, as the receiver saw it. */
export interface ReceivedWebhook {
  /** The `webhook-id` header: the same for every attempt of one event (`evt_<event id>`). */
  webhookId: string;
  type: string;
  data: Record<string, unknown>;
  receivedAtMs: number;
}

/** A delivery turned away: no secret to check it with, or a signature that does not verify. */
export interface RefusedWebhook {
  reason: string;
  webhookId: string | undefined;
}

interface Unanswered {
  webhookId: string;
  response: ServerResponse;
  timer: NodeJS.Timeout;
}

/**
 * A subscriber's endpoint: a real HTTP server on 127.0.0.1 that checks every delivery with the
 * Standard Webhooks `verify` before it counts it, and answers 204 after `delayMs` (a slow
 * receiver keeps deliveries in flight). Deliveries that fail verification get a 401.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  readonly refused: RefusedWebhook[] = [];
  url = '';
  private secret: string | undefined;
  private readonly unanswered = new Set<Unanswered>();
  private readonly server: Server;

  constructor(private readonly delayMs = 0) {
    this.server = createServer((request, response) => this.accept(request, response));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/consign-events`;
    return this;
  }

  /** The subscription's signing secret, known once the subscription exists. */
  trust(secret: string): void {
    this.secret = secret;
  }

  /** Webhook IDs received so far, with how many times each arrived. */
  counts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.received) counts.set(r.webhookId, (counts.get(r.webhookId) ?? 0) + 1);
    return counts;
  }

  /** Deliveries received whose answer has not been sent yet. */
  get inFlight(): number {
    return this.unanswered.size;
  }

  /**
   * Cuts the connections of every delivery not answered yet, without an answer (as a crashed
   * sender would never read one): their senders cannot have seen them succeed. Returns their IDs.
   */
  dropUnanswered(): string[] {
    const dropped = [...this.unanswered];
    this.unanswered.clear();
    for (const u of dropped) {
      clearTimeout(u.timer);
      u.response.destroy();
    }
    return dropped.map((u) => u.webhookId);
  }

  async stop(): Promise<void> {
    this.dropUnanswered();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private accept(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const webhookId = request.headers['webhook-id'] as string | undefined;
      const verdict = this.secret ? verify(this.secret, request.headers, body) : undefined;
      if (!verdict?.valid) {
        this.refused.push({ reason: verdict ? verdict.reason : 'no secret yet', webhookId });
        response.writeHead(401).end();
        return;
      }
      const parsed = JSON.parse(body) as { id: string; type: string; data: Record<string, unknown> };
      if (parsed.id !== verdict.id) {
        this.refused.push({ reason: `body id ${parsed.id} is not the webhook-id`, webhookId });
        response.writeHead(400).end();
        return;
      }
      this.received.push({ webhookId: verdict.id, type: parsed.type, data: parsed.data, receivedAtMs: Date.now() });
      const entry: Unanswered = {
        webhookId: verdict.id,
        response,
        timer: setTimeout(() => {
          this.unanswered.delete(entry);
          response.writeHead(204).end();
        }, this.delayMs),
      };
      this.unanswered.add(entry);
    });
  }
}

/**
 * Lets this test process deliver webhooks to receivers on 127.0.0.1, as an operator would with
 * CONSIGN_WEBHOOK_ALLOW_HOSTS; returns the undo.
 */
export function allowLocalWebhooks(): () => void {
  const before = process.env.CONSIGN_WEBHOOK_ALLOW_HOSTS;
  process.env.CONSIGN_WEBHOOK_ALLOW_HOSTS = '127.0.0.1';
  return () => {
    if (before === undefined) delete process.env.CONSIGN_WEBHOOK_ALLOW_HOSTS;
    else process.env.CONSIGN_WEBHOOK_ALLOW_HOSTS = before;
  };
}
