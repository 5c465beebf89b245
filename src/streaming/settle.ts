/**
 * Which outbox events a follower may pass (ADR 0005). Event IDs come from a sequence: a later ID
 * can commit before an earlier one, so a missing ID right after the cursor is either a
 * transaction still in flight (its event will appear) or one that rolled back (it never will).
 *
 * A run of consecutive IDs after the cursor is always safe. A gap is passed once it has been
 * seen for `graceMs`: every ID below a visible one was allocated before it, so a transaction
 * still holding a missing ID has been open at least that long. `graceMs` is therefore the
 * longest transaction we allow for; on the embedded engine every transaction runs alone, so
 * a gap seen there is final and the grace is 0.
 */
export interface GapTracker {
  readonly graceMs: number;
  /** When this process first saw each visible ID with a gap just below it. */
  readonly firstSeenMs: Map<number, number>;
}

/** PostgreSQL transactions in Consign are short; anything open this long is not ours to wait for. */
const DEFAULT_GAP_GRACE_MS = 10_000;

export function createGapTracker(graceMs: number = DEFAULT_GAP_GRACE_MS): GapTracker {
  return { graceMs, firstSeenMs: new Map() };
}

/** The grace that fits an engine: PGlite serialises every transaction, so its gaps are final. */
export function gapGraceMsFor(engine: 'pglite' | 'postgres'): number {
  return engine === 'pglite' ? 0 : DEFAULT_GAP_GRACE_MS;
}

/**
 * How many of `ids` (ascending, all above `cursor`) the follower may take now. Stops before the
 * first gap that has not been seen for the grace period; remembers when it first saw it.
 */
export function settledCount(tracker: GapTracker, cursor: number, ids: readonly number[], nowMs: number): number {
  let expected = cursor + 1;
  let taken = 0;
  for (const id of ids) {
    if (id < expected) throw new Error(`outbox IDs must ascend above the cursor: ${id} after ${expected - 1}`);
    if (id > expected && !gapSettled(tracker, id, nowMs)) break;
    expected = id + 1;
    taken++;
  }
  return taken;
}

function gapSettled(tracker: GapTracker, id: number, nowMs: number): boolean {
  if (tracker.graceMs <= 0) return true;
  const first = tracker.firstSeenMs.get(id);
  if (first === undefined) {
    tracker.firstSeenMs.set(id, nowMs);
    return false;
  }
  return nowMs - first >= tracker.graceMs;
}

/** Drops what the cursor has passed; a tracker holds at most one entry per unsettled gap. */
export function forgetPassed(tracker: GapTracker, cursor: number): void {
  for (const id of tracker.firstSeenMs.keys()) if (id <= cursor) tracker.firstSeenMs.delete(id);
}
