import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
import { must } from '../support/client.ts';
import { createDeployment, type Deployment } from '../support/deployment.ts';
import { heldMismatches, ledgerMismatches } from '../support/invariants.ts';
import { DAY_MS, subscriptionBody } from '../support/subscriptions.ts';
import { createWarehouseChannel } from '../support/warehouse.ts';
import { waitFor } from '../support/wait.ts';

const SUBSCRIPTIONS = 8;
/** Daily periods from now − 29.5 d to now − 0.5 d are due; the next, at + 0.5 d, is not. */
const DUE_PERIODS = 30;
const TEST_TIMEOUT_MS = 240_000;

let deployment: Deployment;
let total = 0;

beforeAll(async () => {
  // Two server processes on PostgreSQL (PGlite runs one), each running the scheduler every 2 s:
  // the subscriptions are all created before the first run, which the crash then interrupts.
  deployment = await createDeployment({ serverCount: 2, env: { CONSIGN_SUBSCRIPTION_INTERVAL_MS: '2000' } });
  await createWarehouseChannel(deployment.servers[0]!.request, {
    code: 'SUB-1',
    name: 'Subscription warehouse',
    skus: [{ sku: 'SKU-0001', name: 'Coffee beans' }],
    onHand: 100_000,
  });
}, TEST_TIMEOUT_MS);
afterAll(async () => {
  await deployment?.close();
});

const periods = (request = deployment.servers[0]!.request) =>
  request('GET', `/v1/subscriptions?limit=200`).then((r) =>
    (r.body.data as { next_period: { period: number } }[]).reduce((n, s) => n + s.next_period.period - 1, 0),
  );

describe('subscription catch-up across a crash and restart', () => {
  it(
    'kill -9 while missed periods are being ordered: after restart every period has exactly one order',
    async () => {
      const starts_at = new Date(Date.now() - (DUE_PERIODS - 0.5) * DAY_MS).toISOString();
      const started = Date.now();
      await Promise.all(
        Array.from({ length: SUBSCRIPTIONS }, (_, i) =>
          must(
            deployment.servers[i % deployment.servers.length]!.request,
            'POST',
            '/v1/subscriptions',
            subscriptionBody({ starts_at }),
          ),
        ),
      );
      const created = Date.now() - started;
      await waitFor('the first periods ordered', async () => (await periods()) > 0, { timeoutMs: 60_000 });
      for (const server of deployment.servers) await server.kill('SIGKILL');
      const beforeCrash = await deployment.inspect(async (db) =>
        query<{ n: number }>(db, sql`select count(*)::int as n from subscription_periods`),
      );
      await deployment.restart();
      total = SUBSCRIPTIONS * DUE_PERIODS;
      await waitFor('every due period ordered', async () => (await periods()) === total, {
        timeoutMs: 120_000,
        describe: async () => `${await periods()} of ${total}`,
      });
      const elapsedMs = Date.now() - started;
      const state = await deployment.inspect(async (db) => ({
        orders: await query<{ external_id: string; n: number }>(
          db,
          sql`select external_id, count(*)::int as n from orders group by external_id`,
        ),
        periods: await query<{ status: string; n: number }>(
          db,
          sql`select status, count(*)::int as n from subscription_periods group by status`,
        ),
        attempts: await query<{ outcome: string; n: number }>(
          db,
          sql`select outcome, count(*)::int as n from subscription_attempts group by outcome`,
        ),
        unmatched: await query<{ period: number }>(
          db,
          sql`select p.period from subscription_periods p left join orders o on o.id = p.order_id
              where o.external_id is distinct from p.subscription_id || ':' || p.period`,
        ),
        ledger: await ledgerMismatches(db),
        held: await heldMismatches(db),
      }));
      console.info(
        `subscription catch-up: ${total} periods on ${deployment.engine} (${beforeCrash[0]!.n} before the crash; creating took ${created} ms) in ${elapsedMs} ms`,
      );
      expect(state.orders).toHaveLength(total);
      expect(state.orders.every((o) => o.n === 1)).toBe(true);
      expect(state.periods).toEqual([{ status: 'ordered', n: total }]);
      expect(state.attempts).toEqual([{ outcome: 'ordered', n: total }]);
      expect(state.unmatched).toEqual([]);
      expect(state.ledger).toEqual([]);
      expect(state.held).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
