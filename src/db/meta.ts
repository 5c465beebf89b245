import { eq, sql } from 'drizzle-orm';
import { newId } from '../shared/ids.ts';
import * as schema from './schema.ts';
import type { Executor, Tx } from './types.ts';

/**
 * `consign_meta` holds facts about the installation itself (when it was first started, whether
 * the demo network was loaded): one JSON value per key.
 */
export async function readMeta(executor: Executor, key: string): Promise<unknown> {
  const [row] = await executor.select({ value: schema.meta.value }).from(schema.meta).where(eq(schema.meta.key, key));
  return row?.value;
}

/** Records `value` under `key` unless the key is already set; true when this call set it. */
export async function writeMetaOnce(executor: Executor, key: string, value: unknown): Promise<boolean> {
  const rows = await executor
    .insert(schema.meta)
    .values({ key, value, updatedAt: sql`now()` })
    .onConflictDoNothing()
    .returning({ key: schema.meta.key });
  return rows.length > 0;
}

/** `consign_meta` key of the installation's ID. */
export const INSTALLATION_ID_KEY = 'installation_id';

/**
 * This installation's ID (`ins_…`): made by the first caller (the first start), kept in
 * `consign_meta`, and the same for every process on the database ever after. It tells this
 * installation's messages apart from another's where both meet, such as one NATS stream.
 */
export async function installationId(executor: Executor): Promise<string> {
  let value = await readMeta(executor, INSTALLATION_ID_KEY);
  if (value === undefined) {
    // Concurrent first callers: one insert wins, the others do nothing and read the winner's.
    await writeMetaOnce(executor, INSTALLATION_ID_KEY, newId('ins'));
    value = await readMeta(executor, INSTALLATION_ID_KEY);
  }
  if (typeof value !== 'string') throw new Error(`consign_meta.${INSTALLATION_ID_KEY} is not a string`);
  return value;
}

/**
 * Takes a transaction-scoped advisory lock: concurrent transactions asking for the same `lockId`
 * (in this or another process on one PostgreSQL server) run one after another.
 */
export async function lockForTransaction(tx: Tx, lockId: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${lockId})`);
}
