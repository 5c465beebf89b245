import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine, type TestDatabase } from '../../test/support/db.ts';
import { queryOne } from './sql.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 2 });
});

afterAll(async () => {
  await database.close();
});

describe('a Consign database session', () => {
  it('reads and writes times in UTC', async () => {
    const row = await queryOne<{ zone: string }>(database.db, sql`select current_setting('TimeZone') as zone`);
    expect(row?.zone).toBe('UTC');
  });

  it.skipIf(testEngine() !== 'postgres')(
    'never JIT-compiles a statement (PostgreSQL: capture slowed sixfold at 300,000 orders of history with it)',
    async () => {
      const rows = await Promise.all(
        [1, 2, 3].map(() => queryOne<{ jit: string }>(database.db, sql`select current_setting('jit') as jit`)),
      );
      expect(rows.map((row) => row?.jit)).toEqual(['off', 'off', 'off']);
      const plan = await queryOne<{ 'QUERY PLAN': unknown }>(
        database.db,
        sql`explain (analyze, format json)
            select count(*) from generate_series(1, 200000) a cross join generate_series(1, 5) b where a + b > 3`,
      );
      expect(JSON.stringify(plan)).not.toContain('"JIT"');
    },
  );
});
