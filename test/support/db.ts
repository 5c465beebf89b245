import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrate, migrationsFolder, openDatabase, type Database, type Engine } from '../../src/db/index.ts';

/** The engine this test run targets: `CONSIGN_TEST_ENGINE` is set per vitest project. */
export function testEngine(): Engine {
  return process.env.CONSIGN_TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite';
}

export interface TestDatabase extends Database {
  /** For PostgreSQL: the URL of this test's own database (for child server processes). */
  url: string | undefined;
}

function serverUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('CONSIGN_TEST_ENGINE=postgres needs DATABASE_URL');
  return url;
}

/** A fresh PostgreSQL database on the server, for one test file; dropped on close. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(serverUrl());
  const name = `consign_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: base.toString() });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/**
 * A migrated, empty database on the engine under test: in-memory PGlite, or a database of its
 * own on the PostgreSQL server of `DATABASE_URL` (created here, dropped on close).
 */
export async function createTestDatabase(options: { poolSize?: number } = {}): Promise<TestDatabase> {
  if (testEngine() === 'pglite') {
    const database = await openDatabase({ loadDataDir: await migratedImage() });
    await migrate(database.db); // a no-op on the image; keeps the contract obvious
    return { ...database, url: undefined };
  }
  const { url, drop } = await createPostgresDatabase();
  const database = await openDatabase({ databaseUrl: url, poolSize: options.poolSize ?? 10 });
  await migrate(database.db);
  return {
    ...database,
    url,
    close: async () => {
      await database.close();
      await drop();
    },
  };
}

/**
 * A migrated, empty PGlite data directory as a tarball, made once per set of migrations and
 * shared by every test file: loading it takes a fraction of initdb + migrate.
 */
async function migratedImage(): Promise<Blob> {
  const hash = createHash('sha256');
  for (const file of fs
    .readdirSync(migrationsFolder)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    hash.update(file).update(fs.readFileSync(path.join(migrationsFolder, file)));
  }
  const imagePath = path.join(os.tmpdir(), `consign-test-pglite-${hash.digest('hex').slice(0, 16)}.tar`);
  if (!fs.existsSync(imagePath)) {
    const database = await openDatabase({});
    await migrate(database.db);
    const image = await database.pglite!.dumpDataDir('none');
    await database.close();
    const temporary = `${imagePath}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(temporary, Buffer.from(await image.arrayBuffer()));
    fs.renameSync(temporary, imagePath); // atomic: concurrent workers never read a half-written image
  }
  return new Blob([fs.readFileSync(imagePath)]);
}
