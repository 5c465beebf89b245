import type { Db } from '../db/index.ts';
import { startIntervalWorker } from '../shared/interval-worker.ts';
import { createOutboxFollower, type OutboxWorker } from '../streaming/index.ts';
import { enqueueMessages, NOTIFICATIONS_FOLLOWER, type EnqueueResult } from './enqueue.ts';
import { pruneSentMessages } from './messages.ts';
import { sendDueMessages, type SendOptions, type SendResult } from './send.ts';
import type { NotificationSettings } from './settings.ts';

interface NotifierOptions extends Omit<SendOptions, 'signal'> {
  /** Absent: notifications are off; the follower passes events and queues nothing. */
  settings: NotificationSettings | undefined;
  /** See streaming/settle.ts: 0 on the embedded engine. */
  gapGraceMs?: number;
  /** Sent messages older than this many days are deleted (CONSIGN_NOTIFY_RETENTION_DAYS); 0: kept. Default 90. */
  retentionDays?: number;
  /** Messages deleted per statement, and statements per run (defaults 500 and 4). */
  pruneBatchSize?: number;
  pruneMaxBatches?: number;
}

type TickResult = EnqueueResult & SendResult & { pruned: number };

export interface Notifier {
  /** Step A: outbox → queued messages. */
  enqueue: () => Promise<EnqueueResult>;
  /** Step B: due messages → SMTP and the webhook. */
  send: () => Promise<SendResult>;
  /** Step C: sent messages past their retention → deleted, in bounded batches. */
  prune: () => Promise<number>;
  /** All three, in that order. */
  tick: () => Promise<TickResult>;
  abort: () => void;
}

const nothingSent: SendResult = { attempted: 0, sent: 0, failed: 0, dead: 0 };

/** The notifier's steps with their state (the outbox follower), for the timer below and for tests. */
export function createNotifier(db: Db, options: NotifierOptions): Notifier {
  const follower = createOutboxFollower(NOTIFICATIONS_FOLLOWER, { gapGraceMs: options.gapGraceMs });
  const controller = new AbortController();
  const { settings } = options;
  const enqueue = () => enqueueMessages(db, follower, settings, { signal: controller.signal });
  const send = async () =>
    settings ? sendDueMessages(db, settings, { ...options, signal: controller.signal }) : nothingSent;
  const retentionDays = options.retentionDays ?? 90;
  const prune = async () =>
    retentionDays > 0
      ? pruneSentMessages(db, {
          retentionDays,
          batchSize: options.pruneBatchSize,
          maxBatches: options.pruneMaxBatches,
        })
      : 0;
  return {
    enqueue,
    send,
    prune,
    tick: async () => ({ ...(await enqueue()), ...(await send()), pruned: await prune() }),
    abort: () => controller.abort(),
  };
}

/**
 * Queues and sends customer notifications every `intervalMs`, and at once on `wake()` (events
 * committed), until stopped; runs never overlap. Stopping waits for the run in progress.
 */
export function startNotifier(
  db: Db,
  options: NotifierOptions & {
    intervalMs: number;
    onError?: (error: unknown) => void;
    onTick?: (result: TickResult) => void;
  },
): OutboxWorker {
  const notifier = createNotifier(db, options);
  const worker = startIntervalWorker(
    options.intervalMs,
    async () => {
      const result = await notifier.tick();
      if (result.messages > 0 || result.attempted > 0 || result.pruned > 0) options.onTick?.(result);
    },
    (error) => options.onError?.(error),
  );
  return {
    wake: worker.wake,
    stop: () => {
      notifier.abort();
      return worker.stop();
    },
  };
}
