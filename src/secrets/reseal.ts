import type { SQL } from 'drizzle-orm';
import { query, type Db } from '../db/index.ts';
import { isSealed, openSecret, sealedPrefix, sealSecret } from './seal.ts';
import type { Keyring } from './keyring.ts';

/** Which stored secrets a pass seals: the plaintext ones (start-up), or every one not under the current key (rotation). */
export type ResealScope = 'plaintext' | 'not-current';

export interface ResealPass {
  keyring: Keyring;
  scope: ResealScope;
  /** Called after each value is sealed anew. */
  onSealed: () => void;
}

/** One column (or JSON field) that holds secrets, as its owner describes it. */
export interface SealedColumn {
  /**
   * Up to `limit` rows after `afterId` (in id order) whose value is `not like skipLike`:
   * `{ id, value }`, `id` as text.
   */
  select: (afterId: string, skipLike: string, limit: number) => SQL;
  /** Writes `value` where the row still holds `old`. */
  update: (id: string, old: string, value: string) => SQL;
  /** The seal context of a row (see seal.ts). */
  context: (id: string) => string;
}

const BATCH = 100;

/** Seals anew the values of one column the pass is for, in batches; returns how many. */
export async function resealColumn(db: Db, column: SealedColumn, pass: ResealPass): Promise<number> {
  const skip = pass.scope === 'plaintext' ? 'csec:' : sealedPrefix(pass.keyring.current.id);
  let count = 0;
  let afterId = '';
  for (;;) {
    const rows = await query<{ id: string; value: string }>(db, column.select(afterId, `${skip}%`, BATCH));
    for (const row of rows) {
      const context = column.context(row.id);
      const plaintext = isSealed(row.value) ? openSecret(row.value, context, pass.keyring) : row.value;
      await db.execute(column.update(row.id, row.value, sealSecret(plaintext, context, pass.keyring)));
      count++;
      pass.onSealed();
    }
    if (rows.length < BATCH) return count;
    afterId = rows.at(-1)!.id;
  }
}
