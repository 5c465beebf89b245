import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { query } from './sql.ts';
import type { Db, Executor } from './types.ts';

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Any 64-bit number, fixed: serializes concurrent migrators on one PostgreSQL server. */
const MIGRATION_LOCK_ID = 7_341_009_112;

/** Every migration's ID (drizzle's `folderMillis`), oldest first. */
export function migrationIds(): number[] {
  return readMigrationFiles({ migrationsFolder }).map((migration) => migration.folderMillis);
}

/**
 * Applies drizzle-kit's migrations in one transaction under an advisory lock, so several
 * Consign processes starting together on one server migrate exactly once. Bookkeeping uses
 * drizzle's own table, so `drizzle-kit migrate` sees the same history. `upTo` stops after that
 * migration (a restore builds the schema its backup was taken at, loads it, then migrates on).
 */
export async function migrate(db: Executor, options: { upTo?: number } = {}): Promise<{ applied: number }> {
  const migrations = readMigrationFiles({ migrationsFolder }).filter(
    (migration) => options.upTo === undefined || migration.folderMillis <= options.upTo,
  );
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`);
    await tx.execute(sql`create schema if not exists drizzle`);
    await tx.execute(
      sql`create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`,
    );
    const done = await query<{ created_at: number }>(
      tx,
      sql`select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`,
    );
    const lastApplied = done[0]?.created_at ?? 0;
    let applied = 0;
    for (const migration of migrations) {
      if (migration.folderMillis <= lastApplied) continue;
      for (const statement of migration.sql) {
        if (statement.trim()) await tx.execute(sql.raw(statement));
      }
      await tx.execute(
        sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${migration.hash}, ${migration.folderMillis})`,
      );
      applied++;
    }
    return { applied };
  });
}

/** True when every migration in the folder has been applied (used by `/ready`). */
export async function isMigrated(db: Db): Promise<boolean> {
  const migrations = readMigrationFiles({ migrationsFolder });
  const latest = migrations.at(-1)?.folderMillis ?? 0;
  const rows = await query<{ created_at: number | null }>(
    db,
    sql`select max(created_at) as created_at from drizzle.__drizzle_migrations`,
  ).catch(() => []);
  return (rows[0]?.created_at ?? 0) >= latest;
}
