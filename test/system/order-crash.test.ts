import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
import { createDeployment, type Deployment } from '../support/deployment.ts';
import { heldMismatches, ledgerMismatches } from '../support/invariants.ts';
import { orderBody } from '../support/orders.ts';
import { createWarehouseChannel } from '../support/warehouse.ts';

const CLIENTS = 6;
const MAX_ORDERS_PER_CLIENT = 200;
const TEST_TIMEOUT_MS = 240_000;

let deployment: Deployment;

beforeAll(async () => {
  deployment = await createDeployment({ serverCount: 1 });
  await createWarehouseChannel(deployment.servers[0]!.request, {
    code: 'CRASH-1',
    name: 'Crash test warehouse',
    skus: ['CR-1', 'CR-2', 'CR-3'].map((sku) => ({ sku })),
    onHand: 100_000,
  });
}, TEST_TIMEOUT_MS);
afterAll(async () => {
  await deployment?.close();
});

describe('kill -9 while orders are being placed', () => {
  it(
    'every acknowledged order exists after restart; every unacknowledged one left nothing behind',
    async () => {
      const server = deployment.servers[0]!;
      const acknowledged = new Set<string>();
      const attempted = new Set<string>();
      let killed = false;
      const client = async (c: number) => {
        for (let i = 0; i < MAX_ORDERS_PER_CLIENT && !killed; i++) {
          const id = `KILL-${c}-${i}`;
          attempted.add(id);
          const body = orderBody(id, [
            { sku: 'CR-1', quantity: 1 },
            { sku: `CR-${2 + (i % 2)}`, quantity: 2 },
          ]);
          try {
            const response = await server.request('POST', '/v1/orders', { body });
            if (response.status === 201) acknowledged.add(id);
          } catch {
            return; // the connection died with the server
          }
        }
      };
      const load = Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
      await new Promise((resolve) => setTimeout(resolve, 1500 + Math.random() * 1500));
      await server.kill('SIGKILL');
      killed = true;
      await load;
      expect(acknowledged.size).toBeGreaterThan(0);

      await deployment.restart();
      const state = await deployment.inspect(async (db) => ({
        orders: await query<{ external_id: string; lines: number; allocated: number; quantity: number; fos: number }>(
          db,
          sql`select o.external_id,
                     (select count(*)::int from order_lines l where l.order_id = o.id) as lines,
                     (select sum(l.allocated)::int from order_lines l where l.order_id = o.id) as allocated,
                     (select sum(l.quantity)::int from order_lines l where l.order_id = o.id) as quantity,
                     (select count(*)::int from fulfillment_orders f where f.order_id = o.id) as fos
              from orders o`,
        ),
        reservationLedger: await query<{ reference_id: string; units: number }>(
          db,
          sql`select reference_id, sum(reserved_delta)::int as units from inventory_ledger where kind = 'reservation' and reference_type = 'order' group by reference_id`,
        ),
        ledger: await ledgerMismatches(db),
        held: await heldMismatches(db),
      }));
      const stored = new Map(state.orders.map((o) => [o.external_id, o]));
      for (const id of acknowledged) expect(stored.has(id), `acknowledged order ${id} is missing`).toBe(true);
      for (const [id, order] of stored) {
        expect(attempted.has(id)).toBe(true);
        // Whole or nothing: every stored order has both lines, fully allocated, with its work created.
        expect(order).toMatchObject({ lines: 2, allocated: 3, quantity: 3, fos: 1 });
      }
      expect(state.reservationLedger.reduce((n, r) => n + r.units, 0)).toBe(stored.size * 3);
      expect(state.ledger).toEqual([]);
      expect(state.held).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
