import { connect, Events, type NatsConnection } from 'nats';
import { installationId, type Db } from '../db/index.ts';
import { startIntervalWorker } from '../shared/interval-worker.ts';
import {
  DEFAULT_STREAM,
  DEFAULT_SUBJECT_PREFIX,
  ensureEventStream,
  publishPendingEvents,
  type DuplicatePublish,
  type PublishOptions,
} from './jetstream.ts';
import { createOutboxFollower, type OutboxWorker } from './outbox-follower.ts';

interface NatsPublisherOptions {
  /**
   * `nats://host:4222`; credentials may be part of the URL. The servers of a cluster are given
   * comma-separated: the client connects to any of them and moves to another when its server goes.
   */
  url: string;
  intervalMs?: number;
  stream?: string;
  subjectPrefix?: string;
  duplicateWindowMs?: number;
  /** Copies of the stream when it is created (3 on a three-server cluster); default 1. */
  replicas?: number;
  /** Events per transaction. */
  batchSize?: number;
  /** Transactions per tick at most. */
  maxBatchesPerTick?: number;
  publishTimeoutMs?: number;
  /** See `settle.ts`: 0 on the embedded engine. */
  gapGraceMs?: number;
  /** Pause between connection attempts before the first connection succeeds. */
  connectRetryMs?: number;
  /**
   * Pause before asking again for a stream JetStream refused (e.g. more replicas than servers):
   * the refusal is reported once per attempt, not on every tick; default 10 s.
   */
  streamRetryMs?: number;
  onError?: (error: unknown) => void;
  onPublished?: (count: number) => void;
  /** A publish JetStream acknowledged as a duplicate of a message it already had. */
  onDuplicate?: (duplicate: DuplicatePublish) => void;
  /** Connection changes: `connected`, `disconnect`, `reconnect`, `stream created`, … */
  onStatus?: (status: string, detail?: unknown) => void;
}

const REPORTED_EVENTS = new Set<string>([Events.Disconnect, Events.Reconnect, Events.LDM, Events.Error]);

/** `nats://a:4222, nats://b:4222` → both servers; a single URL → that one. */
function serverList(url: string): string[] {
  return url
    .split(',')
    .map((server) => server.trim())
    .filter(Boolean);
}

/**
 * Publishes every outbox event to JetStream (`<prefix>.<event type>` on stream `CONSIGN_EVENTS`,
 * `Nats-Msg-Id` `<installation id>:<event id>`) every `intervalMs` until stopped. Connects in the background and keeps trying until NATS is
 * there; once connected, the client reconnects by itself and ticks wait while it is away.
 * Ticks never overlap; the cursor moves only past acknowledged publishes.
 */
export function startNatsPublisher(db: Db, options: NatsPublisherOptions): OutboxWorker {
  const follower = createOutboxFollower('nats', { gapGraceMs: options.gapGraceMs });
  const target = {
    stream: options.stream ?? DEFAULT_STREAM,
    subjectPrefix: options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX,
  };
  const publishOptions: Omit<PublishOptions, 'installationId'> = {
    ...target,
    batchSize: options.batchSize,
    maxBatches: options.maxBatchesPerTick,
    publishTimeoutMs: options.publishTimeoutMs,
    onDuplicate: options.onDuplicate,
  };
  const state = {
    connection: undefined as NatsConnection | undefined,
    connected: false,
    streamReady: false,
    /** When the stream may be asked for again after a refusal (epoch ms). */
    streamRetryAt: 0,
    stopped: false,
    installationId: undefined as string | undefined,
  };
  let retryTimer: NodeJS.Timeout | undefined;

  const openConnection = async (): Promise<void> => {
    retryTimer = undefined;
    if (state.stopped) return;
    try {
      const nc = await connect({
        servers: serverList(options.url),
        name: 'consign-outbox',
        maxReconnectAttempts: -1,
        reconnectTimeWait: 1_000,
      });
      if (state.stopped) return void (await nc.close());
      Object.assign(state, { connection: nc, connected: true, streamReady: false });
      options.onStatus?.('connected', nc.getServer());
      void followStatus(nc);
    } catch (error) {
      options.onError?.(error);
      retryTimer = setTimeout(() => void openConnection(), options.connectRetryMs ?? 2_000);
      retryTimer.unref();
    }
  };

  const followStatus = async (nc: NatsConnection): Promise<void> => {
    for await (const status of nc.status()) {
      if (status.type === Events.Disconnect) state.connected = false;
      if (status.type === Events.Reconnect) Object.assign(state, { connected: true, streamReady: false });
      if (REPORTED_EVENTS.has(status.type)) options.onStatus?.(status.type, status.data);
    }
    // The iterator ends when the connection is closed for good: start over unless stopping.
    if (!state.stopped && state.connection === nc) {
      Object.assign(state, { connection: undefined, connected: false });
      options.onStatus?.('closed');
      void openConnection();
    }
  };

  /** Publishes what is pending; whether it stopped at its cap with more waiting. */
  const publish = async (nc: NatsConnection): Promise<boolean> => {
    if (!state.streamReady) {
      if (Date.now() < state.streamRetryAt) return false;
      const outcome = await ensureEventStream(await nc.jetstreamManager(), {
        ...target,
        duplicateWindowMs: options.duplicateWindowMs,
        replicas: options.replicas,
      }).catch((error: unknown) => {
        state.streamRetryAt = Date.now() + (options.streamRetryMs ?? 10_000);
        throw error;
      });
      state.streamReady = true;
      if (outcome !== 'unchanged') options.onStatus?.(`stream ${outcome}`, target.stream);
    }
    state.installationId ??= await installationId(db);
    const result = await publishPendingEvents(db, nc.jetstream(), follower, {
      ...publishOptions,
      installationId: state.installationId,
    });
    if (result.published > 0) options.onPublished?.(result.published);
    if (result.error !== undefined) {
      state.streamReady = false; // check the stream again next time: it may have been deleted
      throw result.error;
    }
    return result.backlog === true;
  };

  void openConnection();
  const worker = startIntervalWorker(
    options.intervalMs ?? 200,
    async () => {
      const nc = state.connection;
      return !state.stopped && nc !== undefined && state.connected ? publish(nc) : false;
    },
    (error) => options.onError?.(error),
  );
  return {
    wake: worker.wake,
    stop: async () => {
      state.stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      await worker.stop();
      const nc = state.connection;
      state.connection = undefined;
      if (nc && !nc.isClosed()) await nc.close();
    },
  };
}
