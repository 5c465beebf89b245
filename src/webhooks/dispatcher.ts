import { setMaxListeners } from 'node:events';
import type { Db } from '../db/index.ts';
import { startIntervalWorker } from '../shared/interval-worker.ts';
import { createOutboxFollower, type OutboxWorker } from '../streaming/index.ts';
import { fanOutEvents, type FanOutResult } from './fan-out.ts';
import { sendDueDeliveries, type SendOptions, type SendResult } from './send.ts';

interface WebhookDispatcherOptions extends Omit<SendOptions, 'batchSize' | 'maxBatches' | 'signal'> {
  intervalMs: number;
  /** Outbox events enqueued per transaction. */
  fanOutBatchSize?: number;
  /** Deliveries claimed and sent together (default 200). */
  sendBatchSize?: number;
  /** Transactions (fan-out) and claims (send) per tick at most, so one tick never runs unbounded. */
  maxBatchesPerTick?: number;
  /** See streaming/settle.ts: 0 on the embedded engine. `now` (SendOptions) is its clock too. */
  gapGraceMs?: number;
  onError?: (error: unknown) => void;
  /** Called after a tick that did something. */
  onTick?: (result: TickResult) => void;
}

type TickResult = FanOutResult & SendResult;

export interface WebhookDispatcher {
  /** Step A: outbox → pending deliveries. */
  fanOut: () => Promise<FanOutResult>;
  /** Step B: due deliveries → signed POSTs. */
  send: () => Promise<SendResult>;
  /** Both, in that order; `backlog` when either stopped at its cap with more to do. */
  tick: () => Promise<TickResult>;
  /** Aborts requests in flight; later ticks do nothing. */
  abort: () => void;
}

/** The dispatcher's steps with their state (the outbox follower), for the timer below and for tests. */
export function createWebhookDispatcher(
  db: Db,
  options: Omit<WebhookDispatcherOptions, 'intervalMs'>,
): WebhookDispatcher {
  const follower = createOutboxFollower('webhooks', { gapGraceMs: options.gapGraceMs, now: options.now });
  const controller = new AbortController();
  // Every request in flight listens for the stop: hundreds in a burst, not a leak.
  setMaxListeners(0, controller.signal);
  const maxBatches = options.maxBatchesPerTick ?? 10;
  const fanOut = () =>
    fanOutEvents(db, follower, { batchSize: options.fanOutBatchSize, maxBatches, signal: controller.signal });
  const send = () =>
    sendDueDeliveries(db, { ...options, batchSize: options.sendBatchSize, maxBatches, signal: controller.signal });
  return {
    fanOut,
    send,
    tick: async () => {
      const fanned = await fanOut();
      const sent = await send();
      return { ...fanned, ...sent, backlog: fanned.backlog || sent.backlog };
    },
    abort: () => controller.abort(),
  };
}

/**
 * Delivers webhooks every `intervalMs`, and at once on `wake()` (events committed), until
 * stopped; ticks never overlap, and a tick that stopped at its cap is followed at once by the
 * next, so a burst drains without waiting out the interval. Stopping aborts requests in flight
 * (their deliveries go back to pending, untouched) and waits for the tick.
 */
export function startWebhookDispatcher(db: Db, options: WebhookDispatcherOptions): OutboxWorker {
  const dispatcher = createWebhookDispatcher(db, options);
  const worker = startIntervalWorker(
    options.intervalMs,
    async () => {
      const result = await dispatcher.tick();
      if (result.events > 0 || result.attempted > 0) options.onTick?.(result);
      return result.backlog;
    },
    (error) => options.onError?.(error),
  );
  return {
    wake: worker.wake,
    stop: () => {
      dispatcher.abort();
      return worker.stop();
    },
  };
}
