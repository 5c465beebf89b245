import { sql } from 'drizzle-orm';
import { ProblemError } from '../shared/problem.ts';
import { countRead, countReadFallback, setReplicaGauges, type ReadFallbackReason } from '../telemetry/index.ts';
import { query } from './sql.ts';
import type { Database, Db } from './types.ts';

/**
 * Where the reads that may be stale by a moment (availability, order search, reports, the
 * customer 360) run: on the streaming replica of DATABASE_READ_URL when it is up, caught up
 * within the lag bound, and has replayed what the client asks to see; otherwise on the primary.
 * Everything else, writes and the reads inside them, uses the primary's `db` directly.
 * See docs/scaling.md ("A read replica") and ADR 0039.
 */
export interface ReadRouter {
  /** A replica is configured (the primary then reports its WAL position after writes). */
  readonly replicated: boolean;
  /**
   * Runs `work` on the replica or the primary. `after` is a WAL position the answer must include
   * (from the client's header); the position of the principal's own last write is added. A
   * replica that fails while running it is marked down and `work` runs again on the primary.
   */
  read<T>(client: ReadClient, work: (db: Db) => Promise<T>): Promise<T>;
  /**
   * The primary's WAL position now (after a write committed), remembered for `principal`; its
   * text (`16/B374D848`) for the response header. Undefined without a replica.
   */
  noteWrite(principal: string | undefined): Promise<string | undefined>;
  stop(): void;
}

export interface ReadClient {
  /** The API key or user; its own writes are waited for. */
  principal?: string | undefined;
  /** A WAL position the client has seen (the `Consign-Read-After` header). */
  after?: bigint | undefined;
}

export interface ReadRoutingOptions {
  /** How long a read waits for the replica to replay the position it needs before it goes to the primary. */
  readAfterWaitMs: number;
  /** Reads go to the primary while the replica is further behind than this. */
  maxLagMs: number;
  /** How often the replica's position is read (and a replica marked down is tried again). */
  probeIntervalMs: number;
  /** Called when the replica goes down or comes back, for the log. */
  onChange?: (up: boolean, detail: string) => void;
}

/** `16/B374D848` → a number that orders like the WAL; undefined when the text is no LSN. */
export function parseLsn(text: string): bigint | undefined {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text);
  if (!match) return undefined;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** Principals whose last write is remembered at most; the oldest are forgotten first. */
const MAX_REMEMBERED = 100_000;
/** Primary positions kept for measuring the lag; beyond it the newest one is moved forward. */
const MAX_SAMPLES = 10_000;
/** Pause between two looks at the replica's position while a read waits for it. */
const REPLAY_POLL_MS = 5;
/** SQLSTATE classes of a lost or refused connection: connection exception, operator intervention, resources. */
const CONNECTION_SQLSTATE = /^(08|57P|53)/;

function errorCode(error: unknown): unknown {
  const direct = (error as { code?: unknown } | null)?.code;
  return direct ?? (error as { cause?: { code?: unknown } } | null)?.cause?.code;
}

/** A refused or lost connection (the replica is down), as opposed to a statement the replica refused. */
function isConnectionError(error: unknown): boolean {
  const code = errorCode(error);
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true; // ECONNREFUSED, terminated…
  return CONNECTION_SQLSTATE.test(code);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads on the primary only: the embedded engine, or PostgreSQL without DATABASE_READ_URL. */
function primaryOnly(db: Db): ReadRouter {
  return {
    replicated: false,
    read: (_client, work) => {
      countRead('primary');
      return work(db);
    },
    noteWrite: async () => undefined,
    stop: () => {},
  };
}

/**
 * The read router of `database`. With a replica it reads the replica's position once before
 * returning: a DATABASE_READ_URL that reaches a server which is not a standby is refused; one
 * that cannot be reached starts as down and is tried again every probe interval.
 */
export async function startReadRouting(database: Database, options: ReadRoutingOptions): Promise<ReadRouter> {
  const replica = database.replica;
  if (!replica) return primaryOnly(database.db);
  const router = new ReplicaRouter(database.db, replica.db, options);
  await router.probe({ refuseNonStandby: replica.describe });
  router.startProbing();
  return router;
}

class ReplicaRouter implements ReadRouter {
  readonly replicated = true;
  private up = false;
  private downDetail = 'not probed yet';
  /** The highest position the replica was seen to have replayed. */
  private replayed = 0n;
  /** The highest position the primary was seen at. */
  private primaryAt = 0n;
  /** Primary positions the replica had not replayed when seen, oldest first, with when they were seen. */
  private samples: { lsn: bigint; at: number }[] = [];
  private readonly lastWrite = new Map<string, bigint>();
  private polling: Promise<bigint> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly primary: Db,
    private readonly replica: Db,
    private readonly options: ReadRoutingOptions,
  ) {}

  async read<T>(client: ReadClient, work: (db: Db) => Promise<T>): Promise<T> {
    const remembered = client.principal === undefined ? undefined : this.lastWrite.get(client.principal);
    const after = [client.after, remembered].reduce<bigint>(
      (max, lsn) => (lsn !== undefined && lsn > max ? lsn : max),
      0n,
    );
    const refusal = await this.refusal(after);
    if (refusal) return this.onPrimary(refusal, work);
    try {
      const result = await work(this.replica);
      countRead('replica');
      return result;
    } catch (error) {
      if (error instanceof ProblemError) throw error; // an answer, which the primary would give too
      if (isConnectionError(error)) this.markDown(error);
      return this.onPrimary('replica_error', work);
    }
  }

  async noteWrite(principal: string | undefined): Promise<string | undefined> {
    const [row] = await query<{ lsn: string }>(this.primary, sql`select pg_current_wal_lsn()::text as lsn`);
    const lsn = row ? parseLsn(row.lsn) : undefined;
    if (lsn === undefined) return undefined;
    this.seePrimary(lsn);
    if (principal !== undefined && lsn > this.replayed) {
      this.lastWrite.delete(principal); // re-inserted last: the map forgets the longest-idle first
      this.lastWrite.set(principal, lsn);
      if (this.lastWrite.size > MAX_REMEMBERED) this.lastWrite.delete(this.lastWrite.keys().next().value!);
    }
    return formatLsn(lsn);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  startProbing(): void {
    const tick = async () => {
      await this.probe().catch(() => {});
      if (this.timer) this.timer = setTimeout(() => void tick(), this.options.probeIntervalMs);
    };
    this.timer = setTimeout(() => void tick(), this.options.probeIntervalMs);
  }

  /** Reads both positions: measures the lag, and marks the replica up or down. */
  async probe(options: { refuseNonStandby?: string } = {}): Promise<void> {
    const [row] = await query<{ lsn: string }>(this.primary, sql`select pg_current_wal_lsn()::text as lsn`);
    const primaryLsn = row ? parseLsn(row.lsn) : undefined;
    if (primaryLsn !== undefined) this.seePrimary(primaryLsn);
    try {
      await this.pollReplay();
      this.forgetReplayedWrites();
      if (!this.up) {
        this.up = true;
        this.options.onChange?.(true, 'the replica answers; reads go to it again');
      }
    } catch (error) {
      if (error instanceof NotStandbyError && options.refuseNonStandby)
        throw new Error(
          `DATABASE_READ_URL (${options.refuseNonStandby}) is not a streaming replica (pg_is_in_recovery() is false); point it at a standby of DATABASE_URL.`,
        );
      this.markDown(error);
    }
    setReplicaGauges({
      up: this.up,
      lagSeconds: this.lagMs() / 1000,
      lagBytes: Number(this.primaryAt > this.replayed ? this.primaryAt - this.replayed : 0n),
    });
  }

  /** Why this read cannot be served by the replica, or undefined when it can. */
  private async refusal(after: bigint): Promise<ReadFallbackReason | undefined> {
    if (!this.up) return 'replica_down';
    if (this.lagMs() > this.options.maxLagMs) return 'replica_lagging';
    if (after <= this.replayed) return undefined;
    const deadline = Date.now() + this.options.readAfterWaitMs;
    try {
      for (;;) {
        if ((await this.pollReplay()) >= after) return undefined;
        if (Date.now() >= deadline) return 'read_after_timeout';
        await sleep(REPLAY_POLL_MS);
      }
    } catch (error) {
      this.markDown(error);
      return 'replica_error';
    }
  }

  private async onPrimary<T>(reason: ReadFallbackReason, work: (db: Db) => Promise<T>): Promise<T> {
    countReadFallback(reason);
    const result = await work(this.primary);
    countRead('primary');
    return result;
  }

  /** The replica's replay position; reads waiting at the same time share one query. */
  private pollReplay(): Promise<bigint> {
    this.polling ??= (async () => {
      try {
        const [row] = await query<{ lsn: string | null }>(
          this.replica,
          sql`select pg_last_wal_replay_lsn()::text as lsn`,
        );
        const lsn = row?.lsn ? parseLsn(row.lsn) : undefined;
        if (lsn === undefined) throw new NotStandbyError();
        this.seeReplay(lsn);
        return lsn;
      } finally {
        this.polling = undefined;
      }
    })();
    return this.polling;
  }

  private seePrimary(lsn: bigint): void {
    if (lsn > this.primaryAt) this.primaryAt = lsn;
    if (lsn <= this.replayed) return;
    const last = this.samples.at(-1);
    if (last && lsn <= last.lsn) return;
    if (last && this.samples.length >= MAX_SAMPLES) last.lsn = lsn;
    else this.samples.push({ lsn, at: Date.now() });
  }

  private seeReplay(lsn: bigint): void {
    if (lsn <= this.replayed) return;
    this.replayed = lsn;
    const waiting = this.samples.findIndex((sample) => sample.lsn > lsn);
    this.samples = waiting < 0 ? [] : this.samples.slice(waiting);
  }

  /** Forgets the writes the replica has replayed (once per probe, not on every poll of a waiting read). */
  private forgetReplayedWrites(): void {
    for (const [principal, written] of this.lastWrite) if (written <= this.replayed) this.lastWrite.delete(principal);
  }

  /**
   * How long ago the primary was first seen at a position the replica has not replayed yet: 0
   * when the replica has replayed everything seen, however long the primary has been idle.
   */
  private lagMs(): number {
    const oldest = this.samples[0];
    return oldest ? Date.now() - oldest.at : 0;
  }

  private markDown(error: unknown): void {
    const detail = error instanceof NotStandbyError ? error.message : (error as Error)?.message || String(error);
    if (this.up || this.downDetail !== detail)
      this.options.onChange?.(false, `reads go to the primary until the replica answers again: ${detail}`);
    this.up = false;
    this.downDetail = detail;
    setReplicaGauges({ up: false });
  }
}

class NotStandbyError extends Error {
  constructor() {
    super('the replica is not in recovery (pg_last_wal_replay_lsn() is null)');
  }
}
