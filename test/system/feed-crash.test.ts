import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, type Db } from '../../src/db/index.ts';
import type { Requester } from '../support/client.ts';
import { testEngine } from '../support/db.ts';
import { createDeployment, type Deployment } from '../support/deployment.ts';
import { ledgerMismatches } from '../support/invariants.ts';
import { randomInt, seededRandom } from '../support/random.ts';

const LOCATIONS = ['loc_feedcrash1', 'loc_feedcrash2', 'loc_feedcrash3'];
const PRODUCTS = 2_000; // × 3 locations: 6,000 rows per feed
const ROWS = LOCATIONS.length * PRODUCTS;
const CLIENTS = 3;
const MAX_FEEDS = 60;
const ACKS_BEFORE_KILL = 2;
const ACK_WAIT_MS = 120_000;
const DRAIN_WAIT_MS = 60_000;
const TEST_TIMEOUT_MS = 300_000;
const SEED = Number(process.env.CONSIGN_TEST_SEED ?? Date.now() % 1_000_000);
const engine = testEngine();
const store =
  engine === 'postgres' ? 'a fresh PostgreSQL database' : 'an embedded database (PGlite) in a data directory';

const sku = (product: number) => `FEED-${String(product).padStart(5, '0')}`;
const feedId = (feed: number) => `wms-crash-${feed}`;
const feedNumber = (id: string) => Number(id.slice('wms-crash-'.length));
/** Feed n counts n × 10,000 + product: any level shows which feed wrote it. */
const countedBy = (feed: number, product: number) => feed * 10_000 + product;

let deployment: Deployment;

/** Set-based: three warehouses and 2,000 products straight into the database. */
async function prepare(db: Db): Promise<void> {
  await db.execute(sql`
    insert into locations (id, code, type, name, address, timezone, capabilities)
    select id, upper(id), 'warehouse', 'Feed warehouse ' || id, '{"line1": "1 Dock Rd", "city": "Newark", "country": "US"}'::jsonb,
           'America/New_York', array['ship']
    from jsonb_array_elements_text(${JSON.stringify(LOCATIONS)}::jsonb) as t(id)`);
  await db.execute(sql`
    insert into products (sku, name)
    select 'FEED-' || lpad(i::text, 5, '0'), 'Feed product ' || i from generate_series(1, ${PRODUCTS}) as i`);
}

beforeAll(async () => {
  deployment = await createDeployment({ serverCount: 1, prepare });
});
afterAll(async () => {
  await deployment?.close();
});

function feedBody(feed: number) {
  const rows = LOCATIONS.flatMap((location_id) =>
    Array.from({ length: PRODUCTS }, (_, i) => ({ location_id, sku: sku(i + 1), on_hand: countedBy(feed, i + 1) })),
  );
  const asOf = new Date(Date.UTC(2026, 0, 1) + feed * 60_000).toISOString();
  return { feed_id: feedId(feed), mode: 'snapshot', as_of: asOf, source: 'WMS', rows };
}

interface FeedRun {
  sent: number[];
  acknowledged: Map<number, { rows: number; applied: number; stale: number }>;
  refused: { feed: number; status: number; body: unknown }[];
}

/** One client: feeds one after another until `claim` has none left; stops when the server is gone. */
async function sendFeeds(request: Requester, run: FeedRun, claim: () => number | undefined): Promise<void> {
  for (let feed = claim(); feed !== undefined; feed = claim()) {
    run.sent.push(feed);
    const response = await request('POST', '/v1/inventory/feeds', { body: feedBody(feed) }).catch(() => undefined);
    if (!response) return; // killed under this request
    if (response.status === 201) run.acknowledged.set(feed, response.body);
    else run.refused.push({ feed, status: response.status, body: response.body });
  }
}

async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** PostgreSQL: transactions other than this query's, open in the test's database. */
async function openTransactions(db: Db): Promise<number> {
  const rows = await query<{ n: number }>(
    db,
    sql`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and xact_start is not null`,
  );
  return rows[0]!.n;
}

/**
 * Streams feeds from several clients into the server and `kill -9`s it at a random moment after
 * the first acknowledgements, while feeds are being applied. Returns what the clients saw.
 */
async function ingestUntilKilled(): Promise<FeedRun & { killedAfterMs: number; openAtKill: number | undefined }> {
  const run: FeedRun = { sent: [], acknowledged: new Map(), refused: [] };
  const server = deployment.servers[0]!;
  let next = 1;
  let killed = false;
  const claim = () => (killed || next > MAX_FEEDS ? undefined : next++);
  const started = Date.now();
  const clients = Array.from({ length: CLIENTS }, () => sendFeeds(server.request, run, claim));
  await waitFor(() => run.acknowledged.size >= ACKS_BEFORE_KILL, ACK_WAIT_MS, `${ACKS_BEFORE_KILL} feeds acknowledged`);
  const perFeedMs = (Date.now() - started) / run.acknowledged.size;
  await new Promise((resolve) => setTimeout(resolve, randomInt(seededRandom(SEED), 0, Math.round(perFeedMs))));
  const live = deployment.liveDb;
  const openAtKill = live ? await openTransactions(live) : undefined;
  killed = true;
  const exit = await server.kill('SIGKILL');
  expect(exit.signal).toBe('SIGKILL');
  const killedAfterMs = Date.now() - started;
  await Promise.all(clients);
  if (live)
    await waitFor(
      async () => (await openTransactions(live)) === 0,
      DRAIN_WAIT_MS,
      'the killed server’s transactions ended',
    );
  return { ...run, killedAfterMs, openAtKill };
}

interface StoredFeed {
  feed_id: string;
  row_count: number;
  applied_count: number;
  unchanged_count: number;
  stale_count: number;
  ledger_rows: number;
}

/** Every stored feed with its ledger rows, ledger rows of feeds not stored, and levels not by `lastFeed`. */
async function readFeeds(db: Db) {
  const feeds = await query<StoredFeed>(
    db,
    sql`select f.feed_id, f.row_count, f.applied_count, f.unchanged_count, f.stale_count,
               (select count(*)::int from inventory_ledger l where l.reference_type = 'feed' and l.reference_id = f.feed_id) as ledger_rows
        from inventory_feeds f order by f.received_at, f.feed_id`,
  );
  const orphans = await query<{ reference_id: string; rows: number }>(
    db,
    sql`select reference_id, count(*)::int as rows from inventory_ledger l
        where reference_type = 'feed' and not exists (select 1 from inventory_feeds f where f.feed_id = l.reference_id)
        group by reference_id`,
  );
  const lastFeed = Math.max(0, ...feeds.map((f) => feedNumber(f.feed_id)));
  const [levels] = await query<{ total: number; not_by_last_feed: number }>(
    db,
    sql`select count(*)::int as total,
               count(*) filter (where on_hand <> ${lastFeed} * 10000 + right(sku, 5)::int)::int as not_by_last_feed
        from stock_levels where sku like 'FEED-%'`,
  );
  return { feeds, orphans, lastFeed, levels: levels!, ledgerMismatches: await ledgerMismatches(db) };
}

describe(`kill -9 of a server during feed ingestion, on ${store}`, { timeout: TEST_TIMEOUT_MS }, () => {
  it('loses no acknowledged feed and leaves no half-applied one; the restarted server takes feeds again', async () => {
    const run = await ingestUntilKilled();
    const context = `seed ${SEED}, killed after ${run.killedAfterMs} ms, sent ${run.sent.join(',')}, acknowledged ${[...run.acknowledged.keys()].join(',')}`;
    expect(run.refused, context).toEqual([]);
    if (run.openAtKill !== undefined)
      expect(run.openAtKill, `a feed was mid-transaction at the kill (${context})`).toBeGreaterThan(0);

    await deployment.restart(); // the embedded database must recover from the kill on its own
    const request = deployment.servers[0]!.request;
    for (const [feed, acknowledged] of run.acknowledged) {
      const stored = await request('GET', `/v1/inventory/feeds/${feedId(feed)}`);
      expect(stored.status, `${feedId(feed)} was acknowledged (${context})`).toBe(200);
      expect(stored.body).toMatchObject({
        rows: acknowledged.rows,
        applied: acknowledged.applied,
        stale: acknowledged.stale,
      });
    }

    const state = await deployment.inspect(readFeeds);
    expect(state.orphans, `ledger rows of feeds that were not stored (${context})`).toEqual([]);
    expect(state.ledgerMismatches).toEqual([]);
    const stored = state.feeds.map((f) => feedNumber(f.feed_id));
    expect(run.sent, context).toEqual(expect.arrayContaining(stored));
    expect(stored, context).toEqual(expect.arrayContaining([...run.acknowledged.keys()]));
    for (const feed of state.feeds) {
      // All or nothing: every row applied (one ledger row each) or, superseded by a newer count, every row stale.
      expect(feed.row_count).toBe(ROWS);
      expect([0, ROWS], `${feed.feed_id} applied ${feed.applied_count} (${context})`).toContain(feed.applied_count);
      expect(feed.applied_count + feed.stale_count + feed.unchanged_count).toBe(ROWS);
      expect(feed.ledger_rows, `${feed.feed_id} ledger rows (${context})`).toBe(feed.applied_count);
    }
    expect(state.levels, `levels written by feed ${state.lastFeed} (${context})`).toEqual({
      total: ROWS,
      not_by_last_feed: 0,
    });

    const next = Math.max(...run.sent) + 1;
    const after = await deployment.servers[0]!.request('POST', '/v1/inventory/feeds', { body: feedBody(next) });
    expect(after.status, JSON.stringify(after.body)).toBe(201);
    expect(after.body).toMatchObject({ rows: ROWS, applied: ROWS, stale: 0 });
  });
});
