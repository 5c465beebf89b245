import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
import { createCliTarget, killChildren, runConsign, type CliTarget } from '../cli/cli-process.ts';
import { onTargetDb } from '../support/contents.ts';
import { createDeployment, type Deployment } from '../support/deployment.ts';
import { heldMismatches, ledgerMismatches } from '../support/invariants.ts';
import { orderBody } from '../support/orders.ts';
import { TEST_ADMIN_KEY } from '../support/server.ts';
import { createWarehouseChannel } from '../support/warehouse.ts';

const WRITERS = 6;
const SKUS = ['BK-1', 'BK-2', 'BK-3'];
const TEST_TIMEOUT_MS = 240_000;

let deployment: Deployment;
let warehouse: string;
let restored: CliTarget;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consign-backup-load-'));

beforeAll(async () => {
  deployment = await createDeployment({ serverCount: 1 });
  warehouse = await createWarehouseChannel(deployment.servers[0]!.request, {
    code: 'BK-1',
    name: 'Backup warehouse',
    skus: SKUS.map((sku) => ({ sku })),
    onHand: 1_000,
  });
  restored = await createCliTarget();
}, TEST_TIMEOUT_MS);
afterAll(async () => {
  killChildren();
  await deployment?.close();
  await restored?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Orders, cart holds and receipts: each moves stock counters and appends ledger rows in one transaction. */
function writes(request: Deployment['servers'][number]['request']) {
  const sku = () => SKUS[Math.floor(Math.random() * SKUS.length)]!;
  let sequence = 0;
  return async (writer: number) => {
    const id = `BK-${writer}-${++sequence}`;
    switch (sequence % 3) {
      case 0:
        return (await request('POST', '/v1/orders', { body: orderBody(id, [{ sku: sku(), quantity: 1 }]) })).status;
      case 1:
        return (
          await request('POST', '/v1/reservations', {
            body: { channel: 'web', lines: [{ sku: sku(), quantity: 1 }], expires_in_seconds: 3600 },
          })
        ).status;
      default:
        return (
          await request('POST', '/v1/inventory/adjustments', {
            body: {
              reason: 'receipt',
              movements: [{ kind: 'receipt', sku: sku(), location_id: warehouse, quantity: 3 }],
            },
          })
        ).status;
    }
  };
}

describe('a backup taken while orders, holds and receipts are written', () => {
  it(
    'restores a consistent database: every stock level equals its ledger, every reserved unit is held',
    async () => {
      const server = deployment.servers[0]!;
      const write = writes(server.request);
      let acknowledged = 0;
      let stop = false;
      const writers = Promise.all(
        Array.from({ length: WRITERS }, async (_, writer) => {
          while (!stop) if ((await write(writer)) < 300) acknowledged++;
        }),
      );
      while (acknowledged < 30) await sleep(20);
      const beforeBackup = acknowledged;
      const file = path.join(dir, 'live.jsonl');
      // PostgreSQL: straight from the database beside the server; embedded: through the server.
      const backup =
        deployment.engine === 'postgres'
          ? await runConsign(['backup', file], { DATABASE_URL: deployment.databaseUrl! })
          : await runConsign(['backup', file, '--server', server.url], { CONSIGN_API_KEY: TEST_ADMIN_KEY });
      const afterBackup = acknowledged;
      await sleep(300);
      stop = true;
      await writers;
      expect(backup.code, backup.stderr).toBe(0);
      expect(afterBackup).toBeGreaterThan(beforeBackup); // writes went on while the snapshot was taken
      expect(acknowledged).toBeGreaterThan(afterBackup);

      const restore = await runConsign(['restore', file], restored.env);
      expect(restore.code, restore.stderr).toBe(0);
      const state = await onTargetDb(restored, async (db) => ({
        ledger: await ledgerMismatches(db),
        held: await heldMismatches(db),
        writes: await query<{ n: number }>(
          db,
          sql`select (select count(*) from orders) + (select count(*) from reservations where order_id is null)
                   + (select count(*) from inventory_ledger where kind = 'receipt') as n`,
        ),
      }));
      expect(state.ledger).toEqual([]);
      expect(state.held).toEqual([]);
      // The snapshot lies inside the load: after the writes acknowledged before it, before the last ones.
      expect(state.writes[0]!.n).toBeGreaterThanOrEqual(beforeBackup);
      expect(state.writes[0]!.n).toBeLessThan(acknowledged);
    },
    TEST_TIMEOUT_MS,
  );
});
