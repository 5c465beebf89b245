import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, type Db } from '../../src/db/index.ts';
import { createDeployment, type Deployment } from '../support/deployment.ts';
import { waitFor } from '../support/wait.ts';

const TEST_TIMEOUT_MS = 240_000;
const ARCHIVED_LINE = 'moved events past the retention window to the archive';

/** Records `count` events `days` days ago, before any server runs. */
async function recordOld(db: Db, count: number, days: number, type: string): Promise<void> {
  await db.execute(sql`
    insert into events (type, subject_type, subject_id, payload, created_at)
    select ${type}, 'test', 'tst_' || n, '{}'::jsonb, now() - make_interval(days => ${days}::int)
    from generate_series(1, ${count}) n`);
}

/** Events the servers logged as archived, summed over their log lines. */
function loggedArchived(deployment: Deployment): number {
  let total = 0;
  for (const server of deployment.servers) {
    for (const line of server.output().split('\n')) {
      if (!line.includes(ARCHIVED_LINE)) continue;
      total += Number(/"count":(\d+)/.exec(line)?.[1] ?? 0);
    }
  }
  return total;
}

describe('consign serve archives events past CONSIGN_EVENT_RETENTION_DAYS on its own', () => {
  let deployment: Deployment;
  beforeAll(async () => {
    deployment = await createDeployment({
      serverCount: 2,
      // The archiver says what it moved at info level.
      env: { CONSIGN_EVENT_RETENTION_DAYS: '30', CONSIGN_EVENT_ARCHIVE_INTERVAL_MS: '100', LOG_LEVEL: 'info' },
      prepare: async (db) => {
        await recordOld(db, 20, 40, 'test.old');
        await recordOld(db, 3, 10, 'test.young');
      },
    });
  }, TEST_TIMEOUT_MS);
  afterAll(async () => {
    await deployment?.close();
  });

  it(
    'moves the old events once its followers have passed them, and keeps the younger ones live',
    async () => {
      await waitFor('the servers to archive the 20 old events', () => loggedArchived(deployment) >= 20, {
        timeoutMs: 60_000,
        describe: () => `${loggedArchived(deployment)} logged`,
      });
      expect(loggedArchived(deployment)).toBe(20);
      const types = (table: 'events' | 'events_archive') => (db: Db) =>
        query<{ type: string; n: number }>(
          db,
          sql`select type, count(*)::int as n from ${sql.raw(table)} where type like 'test.%' group by type order by type`,
        );
      expect(await deployment.inspect(types('events_archive'))).toEqual([{ type: 'test.old', n: 20 }]);
      expect(await deployment.inspect(types('events'))).toEqual([{ type: 'test.young', n: 3 }]);
      const feed = await deployment.servers[0]!.request('GET', '/v1/events?type=test.old,test.young&limit=100');
      expect(feed.body.data.map((event: { type: string }) => event.type)).toEqual([
        ...Array<string>(20).fill('test.old'),
        ...Array<string>(3).fill('test.young'),
      ]);
    },
    TEST_TIMEOUT_MS,
  );
});
