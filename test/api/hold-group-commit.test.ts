import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
import { holdOneLine } from '../../src/reservations/hold-one-line.ts';
import { newId } from '../../src/shared/ids.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { heldMismatches, ledgerMismatches } from '../support/invariants.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * One-line holds at a named location are group-committed: holds of one level that arrive while
 * a statement for it runs go together in the next one. Holds asked in one tick go together, so
 * these tests know each statement's members.
 */
let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 4);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const claimFor = (key: string) => ({
  idempotency_principal: 'group-commit-test',
  idempotency_key: key,
  idempotency_request_hash: `hash-${key}`,
  idempotency_method: 'POST',
  idempotency_path: '/v1/reservations',
});

/** Holds of `quantities` units of `sku` at store A, all asked in the same tick. */
function holdAtOnce(sku: string, quantities: number[], keys: (string | undefined)[] = []) {
  return quantities.map((quantity, i) =>
    holdOneLine(database.db, {
      id: newId('res'),
      line: { sku, location_id: net.storeA, quantity },
      input: { lines: [], expiresInSeconds: 600, locationIds: null, reference: `cart-${i}`, actor: 'tester' },
      claim: keys[i] === undefined ? undefined : claimFor(keys[i]),
    }),
  );
}

async function ledgerOf(sku: string) {
  return query<{ reference_id: string; reserved_delta: number; reserved_after: number; occurred_at: string }>(
    database.db,
    sql`select reference_id, reserved_delta, reserved_after, occurred_at::text
        from inventory_ledger where sku = ${sku} and kind = 'reservation' order by id`,
  );
}

describe('group commit of one-line holds', () => {
  it('takes, in request order, each hold that fits in what the earlier ones left, in one statement', async () => {
    const sku = net.skus[0]!;
    await setStock(server, net.storeA, sku, 6);
    const keys = ['k-1', 'k-2', 'k-3', 'k-4', 'k-5', 'k-6'];
    // 1 (5 left), 2 (3 left), 4 refused, 1, 1, 1 (none left).
    const bodies = await Promise.all(holdAtOnce(sku, [1, 2, 4, 1, 1, 1], keys));

    expect(bodies.map((b) => b !== undefined)).toEqual([true, true, false, true, true, true]);
    const holds = bodies.flatMap((b) => (b === undefined ? [] : [JSON.parse(b)]));
    expect(holds.map((h) => h.lines)).toEqual(
      [1, 2, 1, 1, 1].map((quantity) => [{ sku, location_id: net.storeA, quantity }]),
    );
    // Each answer is the reservation as the API shows it.
    for (const [i, hold] of holds.entries()) {
      const read = await server.request('GET', `/v1/reservations/${hold.id}`);
      expect(read.body).toEqual(hold);
      expect(hold.reference).toBe(`cart-${[0, 1, 3, 4, 5][i]}`);
    }

    // A ledger row per hold, each showing the level right after it, from one transaction.
    const ledger = await ledgerOf(sku);
    expect(ledger.map((r) => [r.reference_id, r.reserved_delta, r.reserved_after])).toEqual(
      holds.map((h, i) => [h.id, h.lines[0].quantity, [1, 3, 4, 5, 6][i]]),
    );
    expect(new Set(ledger.map((r) => r.occurred_at)).size).toBe(1);

    // An availability event and a reservation.created event per hold, in the same order.
    const events = await query<{ type: string; subject_id: string; available: number | null }>(
      database.db,
      sql`select type, subject_id, (payload->>'available')::int as available from events
          where (type = 'inventory.availability_changed' and subject_id = ${`${net.storeA}/${sku}`}
                 and payload->>'cause' = 'reservation')
             or (type = 'reservation.created' and subject_id in (select reservation_id from reservation_lines where sku = ${sku}))
          order by id`,
    );
    expect(events.filter((e) => e.type === 'inventory.availability_changed').map((e) => e.available)).toEqual([
      5, 3, 2, 1, 0,
    ]);
    expect(events.filter((e) => e.type === 'reservation.created').map((e) => e.subject_id)).toEqual(
      holds.map((h) => h.id),
    );

    // Each key stores its own response; the refused hold's key stores nothing.
    const claims = await query<{ key: string; response_status: number; response_body: unknown }>(
      database.db,
      sql`select key, response_status, response_body from idempotency_keys
          where principal = 'group-commit-test' and key like 'k-%' order by key`,
    );
    expect(claims.map((c) => c.key)).toEqual(['k-1', 'k-2', 'k-4', 'k-5', 'k-6']);
    expect(claims.map((c) => c.response_body)).toEqual(holds);
    expect(claims.every((c) => c.response_status === 201)).toBe(true);

    const [level] = await query<{ reserved: number }>(
      database.db,
      sql`select reserved from stock_levels where location_id = ${net.storeA} and sku = ${sku}`,
    );
    expect(level!.reserved).toBe(6);
    expect(await ledgerMismatches(database.db)).toEqual([]);
    expect(await heldMismatches(database.db)).toEqual([]);
  });

  it('leaves a hold whose key a committed twin stored to its caller, and holds the others together', async () => {
    const sku = net.skus[1]!;
    await setStock(server, net.storeA, sku, 10);
    await holdAtOnce(sku, [1], ['twin'])[0];
    const bodies = await Promise.all(holdAtOnce(sku, [1, 1, 1, 1], ['first', 'second', 'twin', undefined]));

    // The caller replays the twin's stored response (`runOneStatementCreate`); nothing was written for it.
    expect(bodies.map((b) => b !== undefined)).toEqual([true, true, false, true]);
    const ledger = await ledgerOf(sku);
    expect(ledger.map((r) => r.reserved_after)).toEqual([1, 2, 3, 4]);
    expect(new Set(ledger.map((r) => r.occurred_at)).size).toBe(2);
    expect(await ledgerMismatches(database.db)).toEqual([]);
    expect(await heldMismatches(database.db)).toEqual([]);
  });

  it('answers concurrent requests with keys sent twice once per key, holding each unit once', async () => {
    const sku = net.skus[2]!;
    await setStock(server, net.storeA, sku, 25);
    const send = (i: number) =>
      server.request('POST', '/v1/reservations', {
        body: { lines: [{ sku, quantity: 1, location_id: net.storeA }], reference: `cart-${i % 20}` },
        headers: i % 20 < 10 ? { 'Idempotency-Key': `twin-${i % 20}` } : {},
      });
    // 10 keys sent twice each, 10 requests without a key: 20 holds for 25 units.
    const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => send(i)));

    expect(responses.map((r) => r.status)).toEqual(Array(30).fill(201));
    for (let i = 0; i < 10; i++) expect(responses[i + 20]!.body).toEqual(responses[i]!.body);
    const ids = new Set(responses.map((r) => r.body.id));
    expect(ids.size).toBe(20);
    const ledger = await ledgerOf(sku);
    expect(ledger).toHaveLength(20);
    expect(new Set(ledger.map((r) => r.reference_id))).toEqual(ids);
    expect(ledger.map((r) => r.reserved_after)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // Fewer transactions than holds: requests that met a running statement went together.
    expect(new Set(ledger.map((r) => r.occurred_at)).size).toBeLessThan(20);
    expect(await ledgerMismatches(database.db)).toEqual([]);
    expect(await heldMismatches(database.db)).toEqual([]);
  });
});
