import { sql } from 'drizzle-orm';
import { query, type Db } from '../db/index.ts';
import { startIntervalWorker } from '../shared/interval-worker.ts';
import { createOutboxFollower, type OutboxWorker } from '../streaming/index.ts';
import { CONNECTOR_FOLLOWER, translateOutbound } from './outbound/worker.ts';
import { recordConnectorError } from './health/health.ts';
import { pollChannel } from './polling.ts';

export interface ConnectorWorkerOptions {
  /** The coalescing window of availability pushes, and how often due polls are checked. */
  intervalMs: number;
  gapGraceMs?: number;
  onError?: (error: unknown) => void;
}

/** Channels whose polling interval has passed since their last poll. */
async function duePolls(db: Db): Promise<string[]> {
  const rows = await query<{ channel_id: string }>(
    db,
    sql`select channel_id from channel_connectors
        where polling is not null
          and (polled_at is null or polled_at + make_interval(secs => coalesce((polling ->> 'interval_ms')::int, 60000) / 1000.0) <= now())`,
  );
  return rows.map((r) => r.channel_id);
}

/**
 * The connectors' background work, every `intervalMs` until stopped (ticks never overlap):
 * outbound messages from new events, then the polls that are due.
 */
export function startConnectorWorkers(db: Db, options: ConnectorWorkerOptions): OutboxWorker {
  const follower = createOutboxFollower(CONNECTOR_FOLLOWER, { gapGraceMs: options.gapGraceMs });
  const onError = (error: unknown) => options.onError?.(error);
  let stopped = false;
  const worker = startIntervalWorker(
    options.intervalMs,
    async () => {
      await translateOutbound(db, follower);
      for (const channelId of await duePolls(db)) {
        if (stopped) return;
        await pollChannel(db, channelId).catch(async (error: unknown) => {
          onError(error);
          const detail = `Polling failed: ${error instanceof Error ? error.message : String(error)}`;
          await recordConnectorError(db, channelId, 'polling', { code: 'internal_error', detail });
        });
      }
    },
    onError,
  );
  return {
    wake: worker.wake,
    stop: () => {
      stopped = true;
      return worker.stop();
    },
  };
}
