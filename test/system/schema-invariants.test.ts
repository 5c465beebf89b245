import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, migrationIds, openDatabase, query, queryOne, type Database } from '../../src/db/index.ts';
import { createPostgresDatabase, createTestDatabase, testEngine, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * The schema refuses rows that break Consign's invariants, whoever writes them: foreign keys,
 * CHECKs on statuses and currencies, one payment per idempotency key on an order, and an order
 * line's `allocated` equal to its reserved allocations (checked at commit). Each class is
 * proven with a direct SQL write that the database must refuse.
 */
let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;
let orderId: string;
let allocationId: number;
let fulfillmentOrderId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 2);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 40.75, longitude: -73.99 } });
  await setStock(server, net.storeA, net.skus[0]!, 10);
  const placed = await placeOrder(server, orderBody('INV-1', [{ sku: net.skus[0]!, quantity: 2 }]));
  if (placed.status !== 201) throw new Error(JSON.stringify(placed.body));
  orderId = placed.body.id;
  const allocation = await queryOne<{ id: number; fulfillment_order_id: string }>(
    database.db,
    sql`select id, fulfillment_order_id from order_allocations where order_id = ${orderId} and status = 'reserved'`,
  );
  allocationId = allocation!.id;
  fulfillmentOrderId = allocation!.fulfillment_order_id;
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

interface PgError {
  code?: string;
  constraint?: string;
  message?: string;
  cause?: PgError;
}

/** Runs the statements in one transaction; resolves to the database's refusal (SQLSTATE and constraint). */
async function refusal(...statements: SQL[]): Promise<{ code: string | undefined; constraint: string | undefined }> {
  try {
    await database.db.transaction(async (tx) => {
      for (const statement of statements) await tx.execute(statement);
    });
  } catch (error) {
    const e = error as PgError;
    const pg = e.code ? e : (e.cause ?? e);
    return { code: pg.code, constraint: pg.constraint };
  }
  throw new Error('the database accepted the write');
}

describe('foreign keys', () => {
  const cases: [string, () => SQL | SQL[], string][] = [
    [
      'an allocation of a line the order does not have',
      () => sql`insert into order_allocations (order_id, line_id, sku, location_id, quantity)
                values (${orderId}, 'NO-SUCH-LINE', ${net.skus[0]!}, ${net.storeA}, 1)`,
      'order_allocations_line_fk',
    ],
    [
      'an allocation at an unknown location',
      () => sql`update order_allocations set location_id = 'loc_nowhere' where id = ${allocationId}`,
      'order_allocations_location_id_locations_id_fk',
    ],
    [
      'an allocation in an unknown fulfillment order',
      () => sql`update order_allocations set fulfillment_order_id = 'fo_nowhere' where id = ${allocationId}`,
      'order_allocations_fulfillment_order_id_fulfillment_orders_id_fk',
    ],
    [
      'an allocation of an unknown routing decision',
      () => sql`update order_allocations set decision_id = 987654321 where id = ${allocationId}`,
      'order_allocations_decision_id_routing_decisions_id_fk',
    ],
    [
      'a fulfillment order at an unknown location',
      () => sql`update fulfillment_orders set location_id = 'loc_nowhere' where id = ${fulfillmentOrderId}`,
      'fulfillment_orders_location_id_locations_id_fk',
    ],
    [
      'a shipment from an unknown location',
      () => sql`insert into shipments (id, order_id, fulfillment_order_id, location_id, carrier, status)
                values ('shp_x', ${orderId}, ${fulfillmentOrderId}, 'loc_nowhere', 'ups', 'label_created')`,
      'shipments_location_id_locations_id_fk',
    ],
    [
      'an order line of a SKU the catalogue does not have',
      () => sql`insert into order_lines (order_id, line_id, line_no, sku, unit_price_minor, quantity, backordered)
                values (${orderId}, 'L9', 9, 'NO-SUCH-SKU', 100, 1, 1)`,
      'order_lines_sku_products_sku_fk',
    ],
    [
      'a payment drawing on an unknown payment',
      () => sql`insert into payments (id, order_id, kind, status, amount_minor, currency, gateway, parent_id)
                values ('pay_x', ${orderId}, 'capture', 'succeeded', 1, 'USD', 'test', 'pay_nowhere')`,
      'payments_parent_id_payments_id_fk',
    ],
    [
      'a reservation committed to an unknown order',
      () =>
        sql`insert into reservations (id, status, order_id, expires_at) values ('res_x', 'committed', 'ord_nowhere', now())`,
      'reservations_order_id_orders_id_fk',
    ],
    [
      'a return line of a line the order does not have',
      () => [
        sql`insert into returns (id, order_id, channel_id, status, method, source, currency)
            values ('ret_x', ${orderId}, ${net.channelId}, 'initiated', 'mail_in', 'agent', 'USD')`,
        sql`insert into return_lines (return_id, order_id, line_id, line_no, sku, quantity, reason)
            values ('ret_x', ${orderId}, 'NO-SUCH-LINE', 1, ${net.skus[0]!}, 1, 'other')`,
      ],
      'return_lines_line_fk',
    ],
  ];
  it.each(cases)('refuses %s', async (_name, statements, constraint) => {
    expect(await refusal(...[statements()].flat())).toEqual({ code: '23503', constraint });
  });
});

describe('CHECK constraints on statuses, methods and currencies', () => {
  const cases: [string, () => SQL, string][] = [
    [
      'an order currency that is not an ISO code',
      () => sql`update orders set currency = 'usd' where id = ${orderId}`,
      'orders_currency_check',
    ],
    [
      'a payment status outside the payment lifecycle',
      () => sql`update payments set status = 'done' where order_id = ${orderId}`,
      'payments_status_check',
    ],
    [
      'a payment currency that is not an ISO code',
      () => sql`update payments set currency = 'DOLLARS' where order_id = ${orderId}`,
      'payments_currency_check',
    ],
    [
      'a fulfillment order delivery method Consign does not know',
      () => sql`update fulfillment_orders set delivery_method = 'teleport' where id = ${fulfillmentOrderId}`,
      'fulfillment_orders_delivery_method_check',
    ],
    [
      'a routing decision outcome the planner does not return',
      () => sql`update routing_decisions set outcome = 'maybe' where order_id = ${orderId}`,
      'routing_decisions_outcome_check',
    ],
  ];
  it.each(cases)('refuses %s', async (_name, statement, constraint) => {
    expect(await refusal(statement())).toEqual({ code: '23514', constraint });
  });
});

describe('payments', () => {
  it('refuses a second payment with the same idempotency key on an order', async () => {
    const insert = (id: string) =>
      sql`insert into payments (id, order_id, kind, status, amount_minor, currency, gateway, idempotency_key)
          values (${id}, ${orderId}, 'authorization', 'failed', 1, 'USD', 'test', 'same-key')`;
    expect(await refusal(insert('pay_k1'), insert('pay_k2'))).toEqual({
      code: '23505',
      constraint: 'payments_order_idempotency_key',
    });
  });
});

describe('allocations', () => {
  it('names routing decisions beyond 32 bits', async () => {
    const id = 2 ** 31 + 7;
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`insert into routing_decisions (id, order_id, cause, outcome, explanation)
                           values (${id}, ${orderId}, 'reroute', 'allocated', '{}'::json)`);
      await tx.execute(sql`update order_allocations set decision_id = ${id} where id = ${allocationId}`);
    });
    const row = await queryOne<{ decision_id: string | number }>(
      database.db,
      sql`select decision_id from order_allocations where id = ${allocationId}`,
    );
    expect(Number(row!.decision_id)).toBe(id);
  });

  it('refuses, at commit, a line whose allocated units are not its reserved allocations', async () => {
    expect(
      await refusal(sql`update order_lines set allocated = allocated - 1, backordered = backordered + 1
                        where order_id = ${orderId} and line_id = 'L1'`),
    ).toEqual({ code: '23514', constraint: 'order_lines_allocated_matches_allocations' });
    expect(await refusal(sql`update order_allocations set quantity = quantity - 1 where id = ${allocationId}`)).toEqual(
      {
        code: '23514',
        constraint: 'order_lines_allocated_matches_allocations',
      },
    );
    expect(await refusal(sql`update order_allocations set status = 'released' where id = ${allocationId}`)).toEqual({
      code: '23514',
      constraint: 'order_lines_allocated_matches_allocations',
    });
  });

  it('accepts a line and its allocations changed together, statement by statement', async () => {
    const checked = await database.db
      .transaction(async (tx) => {
        await tx.execute(sql`update order_allocations set quantity = quantity - 1 where id = ${allocationId}`);
        await tx.execute(sql`update order_lines set allocated = allocated - 1, backordered = backordered + 1
                             where order_id = ${orderId} and line_id = 'L1'`);
        await tx.execute(sql`set constraints all immediate`);
        throw new Error('checked, roll back');
      })
      .catch((error: Error) => error.message);
    expect(checked).toBe('checked, roll back');
  });
});

/** A database at the migration before the newest, for rows written the way an older Consign wrote them. */
async function olderDatabase(): Promise<{ database: Database; done: () => Promise<void> }> {
  // The schema before 0015_schema_invariants, whose backfills this test checks (later migrations follow it).
  const previous = migrationIds()[14]!;
  if (testEngine() === 'pglite') {
    const database = await openDatabase({});
    await migrate(database.db, { upTo: previous });
    return { database, done: () => database.close() };
  }
  const { url, drop } = await createPostgresDatabase();
  const database = await openDatabase({ databaseUrl: url, poolSize: 2 });
  await migrate(database.db, { upTo: previous });
  return {
    database,
    done: async () => {
      await database.close();
      await drop();
    },
  };
}

describe('migrating a database an older version wrote', () => {
  it('backfills return lines and payment keys, brings lost SKUs back, and lines up allocated with allocations', async () => {
    const { database: old, done } = await olderDatabase();
    try {
      const older = `
        insert into locations (id, type, name, address, timezone, capabilities) values ('loc_1', 'store', 'Store', '{}', 'UTC', '{ship}');
        insert into location_groups (id, name) values ('lg_1', 'All');
        insert into channels (id, name, type, location_group_id) values ('ch_1', 'Web', 'web', 'lg_1');
        insert into products (sku, name) values ('SKU-1', 'One');
        insert into orders (id, channel_id, external_id, request_hash, status, customer, delivery_method, currency,
          subtotal_minor, discount_minor, shipping_minor, tax_minor, total_minor, authorized_minor, placed_at)
          values ('ord_1', 'ch_1', 'E1', 'h', 'confirmed', '{}', 'ship', 'USD', 300, 0, 0, 0, 300, 300, now());
        insert into order_lines (order_id, line_id, line_no, sku, unit_price_minor, quantity, allocated, backordered, shipped, delivered)
          values ('ord_1', 'L1', 1, 'SKU-1', 100, 2, 2, 0, 0, 0), ('ord_1', 'L2', 2, 'SKU-GONE', 100, 1, 0, 0, 1, 1);
        insert into order_allocations (order_id, line_id, sku, location_id, quantity, status)
          values ('ord_1', 'L1', 'SKU-1', 'loc_1', 1, 'reserved');
        insert into returns (id, order_id, channel_id, status, method, source, currency)
          values ('ret_1', 'ord_1', 'ch_1', 'initiated', 'mail_in', 'agent', 'USD');
        insert into return_lines (return_id, line_id, line_no, sku, quantity, reason) values ('ret_1', 'L2', 1, 'SKU-GONE', 1, 'other');
        insert into payments (id, order_id, kind, status, amount_minor, currency, gateway, created_at) values
          ('pay_a', 'ord_1', 'authorization', 'succeeded', 300, 'USD', 'test', now() - interval '2 minutes'),
          ('pay_b', 'ord_1', 'capture', 'pending', 100, 'USD', 'test', now() - interval '1 minute'),
          ('pay_c', 'ord_1', 'capture', 'pending', 100, 'USD', 'test', now());
        insert into payment_details (payment_id, idempotency_key) values ('pay_a', null), ('pay_b', 'k1'), ('pay_c', 'k1')`;
      for (const statement of older.split(';')) await old.db.execute(sql.raw(statement));
      await migrate(old.db);

      expect(await query(old.db, sql`select return_id, order_id, line_id from return_lines`)).toEqual([
        { return_id: 'ret_1', order_id: 'ord_1', line_id: 'L2' },
      ]);
      expect(await query(old.db, sql`select id, idempotency_key from payments order by id`)).toEqual([
        { id: 'pay_a', idempotency_key: null },
        { id: 'pay_b', idempotency_key: 'k1' },
        { id: 'pay_c', idempotency_key: null },
      ]);
      expect(await query(old.db, sql`select sku, active from products order by sku`)).toEqual([
        { sku: 'SKU-1', active: true },
        { sku: 'SKU-GONE', active: false },
      ]);
      expect(
        await query(old.db, sql`select line_id, allocated, backordered from order_lines order by line_id`),
      ).toEqual([
        { line_id: 'L1', allocated: 1, backordered: 1 },
        { line_id: 'L2', allocated: 0, backordered: 0 },
      ]);
    } finally {
      await done();
    }
  });
});
