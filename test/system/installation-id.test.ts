import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installationId, openDatabase, readMeta, type Database } from '../../src/db/index.ts';
import { initializeOnFirstStart } from '../../src/first-start.ts';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/db.ts';

let database: TestDatabase;
let other: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  other = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
  await other?.close();
});

describe('the installation ID', () => {
  it('is made on first start, kept in consign_meta, and stays the same', async () => {
    expect(await readMeta(database.db, 'installation_id')).toBeUndefined();
    await initializeOnFirstStart(database.db, { seedDemo: false });
    const made = await readMeta(database.db, 'installation_id');
    expect(made).toMatch(/^ins_[0-9a-z]{24}$/);
    expect(await installationId(database.db)).toBe(made);
    await initializeOnFirstStart(database.db, { seedDemo: false });
    expect(await readMeta(database.db, 'installation_id')).toBe(made);
  });

  it('is one value for every process on a database, asked at the same time', async () => {
    // Separate connections pools stand for separate processes (PostgreSQL); PGlite has one process.
    const processes: Database[] =
      testEngine() === 'postgres'
        ? await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl: other.url!, poolSize: 4 })))
        : [other];
    try {
      const ids = await Promise.all(processes.flatMap(({ db }) => [1, 2, 3, 4].map(() => installationId(db))));
      expect(new Set(ids).size).toBe(1);
      expect(ids[0]).not.toBe(await installationId(database.db));
    } finally {
      if (testEngine() === 'postgres') await Promise.all(processes.map((p) => p.close()));
    }
  });
});
