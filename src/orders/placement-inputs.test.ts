import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/db.ts';
import { inTransaction, queryOne } from '../db/index.ts';
import { ok } from '../shared/result.ts';
import { loadPlacementInputs } from './placement-inputs.ts';
import type { CreateOrder } from './schemas.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 2 });
});

afterAll(async () => {
  await database.close();
});

const order = {
  channel: 'nowhere',
  external_id: 'X-1',
  lines: [{ sku: 'NONE-1', quantity: 1 }],
} as unknown as CreateOrder;
const planMode = (tx: Parameters<Parameters<typeof inTransaction>[1]>[0]) =>
  queryOne<{ mode: string }>(tx, sql`select current_setting('plan_cache_mode') as mode`);

describe('the placement read', () => {
  it('plans generically for itself only: the transaction goes on with the default plan mode', async () => {
    const modes = await inTransaction(database.db, async (tx) => {
      const before = await planMode(tx);
      const inputs = await loadPlacementInputs(tx, order, new Date());
      const after = await planMode(tx);
      return ok({ before: before?.mode, after: after?.mode, channel: inputs.channel, products: inputs.products });
    });
    expect(modes).toEqual(ok({ before: 'auto', after: 'auto', channel: undefined, products: [] }));
  });
});
