import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from './open.ts';
import { query } from './sql.ts';

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Opens an embedded database on a fresh directory and counts the fsyncs one committed insert makes. */
async function fsyncsPerCommit(fsync: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consign-fsync-'));
  dirs.push(dir);
  const database = await openDatabase({ dataDir: dir, fsync });
  try {
    await query(database.db, sql`create table t (id int primary key)`);
    const settings = await query<{ fsync: string; method: string }>(
      database.db,
      sql`select current_setting('fsync') as fsync, current_setting('wal_sync_method') as method`,
    );
    const spy = vi.spyOn(fs, 'fsyncSync');
    await query(database.db, sql`insert into t values (1)`);
    const calls = spy.mock.calls.length;
    spy.mockRestore();
    return { settings: settings[0], calls };
  } finally {
    await database.close();
  }
}

describe('embedded commits', () => {
  it('reach the disk before they return when fsync is on', async () => {
    const durable = await fsyncsPerCommit(true);
    expect(durable.settings).toEqual({ fsync: 'on', method: 'fsync' });
    expect(durable.calls).toBeGreaterThanOrEqual(1);
  });

  it('stay in the operating system cache when fsync is off', async () => {
    const relaxed = await fsyncsPerCommit(false);
    expect(relaxed.settings?.fsync).toBe('off');
    expect(relaxed.calls).toBe(0);
  });
});
