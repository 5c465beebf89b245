import { connect, DeliverPolicy, type ConsumerMessages, type NatsConnection } from 'nats';

/** The NATS server the webhooks scenario publishes to, when one answers (JetStream on). */
export const BENCH_NATS_URL = 'nats://127.0.0.1:4222';

/** When one event arrived and when it was created, in ms since the epoch. */
export interface Receipt {
  receivedAtMs: number;
  createdAtMs: number;
}

/** Where deliveries arrive: receipts by event ID (`12`, not `evt_12`), and repeats of an ID. */
export interface ReceiptLog {
  readonly received: Map<string, Receipt>;
  duplicates: number;
}

/**
 * A JetStream consumer of the server's stream, as a subscriber runs one: an ordered pull
 * consumer on `<prefix>.<event type>` from the messages stored after it started, keeping the
 * receipt time and the event's `created_at` (the body's) per event ID.
 */
export class JetStreamReceiver implements ReceiptLog {
  readonly received = new Map<string, Receipt>();
  duplicates = 0;
  private connection: NatsConnection | undefined;
  private messages: ConsumerMessages | undefined;
  private reading: Promise<void> | undefined;

  async start(url: string, stream: string, subject: string): Promise<this> {
    this.connection = await connect({ servers: url, name: 'consign-bench-consumer' });
    const consumer = await this.connection
      .jetstream()
      .consumers.get(stream, { filterSubjects: subject, deliver_policy: DeliverPolicy.New });
    this.messages = await consumer.consume();
    this.reading = this.read(this.messages);
    return this;
  }

  private async read(messages: ConsumerMessages): Promise<void> {
    for await (const message of messages) {
      const receivedAtMs = Date.now();
      const body = message.json<{ id: string; created_at: string }>();
      if (this.received.has(body.id)) this.duplicates++;
      else this.received.set(body.id, { receivedAtMs, createdAtMs: Date.parse(body.created_at) });
    }
  }

  async stop(): Promise<void> {
    this.messages?.stop();
    await this.reading?.catch(() => {});
    await this.connection?.close();
  }
}

/** Whether a NATS server answers at `url`. */
export async function natsReachable(url: string): Promise<boolean> {
  try {
    const connection = await connect({ servers: url, timeout: 1_000, reconnect: false });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

/** Removes the bench's own stream from the server (it is created by the server under test). */
export async function deleteStream(url: string, stream: string): Promise<void> {
  const connection = await connect({ servers: url, timeout: 1_000, reconnect: false });
  try {
    const manager = await connection.jetstreamManager();
    await manager.streams.delete(stream).catch(() => false);
  } finally {
    await connection.close();
  }
}
