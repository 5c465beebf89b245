import type { Db, Tx } from '../../src/db/index.ts';

/**
 * Runs `work` in a transaction and leaves it open: for tests of what other connections see
 * while a write is in flight (PostgreSQL; the embedded engine runs one transaction at a time).
 * Resolves once `work` is done; `commit` ends the transaction and waits for it.
 */
export async function openTransaction(
  db: Db,
  work: (tx: Tx) => Promise<void>,
): Promise<{ commit: () => Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let done!: () => void;
  const workDone = new Promise<void>((resolve) => (done = resolve));
  const transaction = db.transaction(async (tx) => {
    await work(tx);
    done();
    await released;
  });
  // A failing `work` rejects the transaction before it is done: surface that instead of waiting.
  await Promise.race([workDone, transaction]);
  return {
    commit: async () => {
      release();
      await transaction;
    },
  };
}
