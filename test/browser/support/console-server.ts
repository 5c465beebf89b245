import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApiKey } from '../../../src/auth/index.ts';
import { ensureConsoleBuilt } from '../../../scripts/build-console.ts';
import { createTestDatabase, type TestDatabase } from '../../support/db.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';

const LOCK = path.join(os.tmpdir(), 'consign-console-build.lock');
const LOCK_WAIT_MS = 180_000;

/**
 * Builds the console once when it is stale. Test files of both engines may ask at the same
 * time: a lock directory lets one build while the others wait.
 */
export async function buildConsoleOnce(): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > LOCK_WAIT_MS) fs.rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('waited too long for another process to build the console');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    ensureConsoleBuilt();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

export interface ConsoleServer {
  database: TestDatabase;
  server: TestServer;
  /** A new API key of a role, made the way `consign keys create` makes it. */
  key(
    role: 'admin' | 'agent' | 'fulfillment' | 'channel' | 'read-only',
    scope?: { locationIds?: string[]; channelId?: string },
  ): Promise<string>;
  close(): Promise<void>;
}

/** A real Consign server (API and built console) on 127.0.0.1 with a fresh database. */
export async function startConsoleServer(options: Parameters<typeof startTestServer>[1] = {}): Promise<ConsoleServer> {
  await buildConsoleOnce();
  const database = await createTestDatabase();
  const server = await startTestServer(database, options);
  return {
    database,
    server,
    key: async (role, scope = {}) =>
      (await createApiKey(database.db, { role, locationIds: scope.locationIds, channelId: scope.channelId })).secret,
    close: async () => {
      await server.close();
      await database.close();
    },
  };
}
