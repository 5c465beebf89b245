import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, queryOne } from '../../src/db/index.ts';
import {
  releaseReservation,
  reservationStatuses,
  reservationTransitions,
  sweepExpired,
  type ReservationStatus,
} from '../../src/reservations/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { heldMismatches, ledgerMismatches } from '../support/invariants.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 5);
  for (const sku of net.skus) {
    await setStock(server, net.dc, sku, 1000);
    await setStock(server, net.storeA, sku, 10);
    await setStock(server, net.storeB, sku, 10);
  }
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const hold = (body: unknown, headers?: Record<string, string>) =>
  server.request('POST', '/v1/reservations', { body, headers });
const reserved = async (location: string, sku: string) =>
  (await server.request('GET', `/v1/inventory/${location}/${sku}`)).body.reserved;

async function forceExpired(id: string) {
  await database.db.execute(sql`update reservations set expires_at = now() - interval '1 second' where id = ${id}`);
  await sweepExpired(database.db);
}

describe('POST /v1/reservations', () => {
  it('holds at a given location and releases on DELETE (twice is fine)', async () => {
    const sku = net.skus[0]!;
    const created = await hold({
      lines: [{ sku, quantity: 3, location_id: net.storeA }],
      expires_in_seconds: 600,
      reference: 'cart-1',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'held',
      reference: 'cart-1',
      lines: [{ sku, location_id: net.storeA, quantity: 3 }],
    });
    expect(await reserved(net.storeA, sku)).toBe(3);
    const released = await server.request('DELETE', `/v1/reservations/${created.body.id}`);
    expect(released.body.status).toBe('released');
    const again = await server.request('DELETE', `/v1/reservations/${created.body.id}`);
    expect(again.status).toBe(200);
    expect(await reserved(net.storeA, sku)).toBe(0);
  });

  it('picks one location that covers a line, and splits when none can', async () => {
    const sku = net.skus[1]!;
    const single = await hold({ lines: [{ sku, quantity: 8 }], channel: 'web' });
    expect(single.body.lines).toHaveLength(1);
    expect([net.storeA, net.storeB]).toContain(single.body.lines[0].location_id);
    const split = await hold({ lines: [{ sku, quantity: 11 }], channel: 'web' });
    expect(split.status).toBe(201);
    expect(split.body.lines.reduce((n: number, l: { quantity: number }) => n + l.quantity, 0)).toBe(11);
    expect(split.body.lines.length).toBe(2);
    const none = await hold({ lines: [{ sku, quantity: 3 }], channel: 'web' });
    expect(none.status).toBe(409);
    expect(none.body).toMatchObject({ code: 'insufficient_stock', shortfalls: [{ sku, requested: 3, available: 1 }] });
  });

  it('is all or nothing across lines', async () => {
    const [a, b] = [net.skus[2]!, net.skus[3]!];
    const failed = await hold({
      lines: [
        { sku: a, quantity: 5, location_id: net.storeA },
        { sku: b, quantity: 11, location_id: net.storeA },
      ],
    });
    expect(failed.status).toBe(409);
    expect(failed.body.shortfalls).toEqual([{ sku: b, location_id: net.storeA, requested: 11, available: 10 }]);
    expect(await reserved(net.storeA, a)).toBe(0);
  });

  it('replays with the same Idempotency-Key without holding twice', async () => {
    const sku = net.skus[4]!;
    const body = { lines: [{ sku, quantity: 2, location_id: net.storeB }] };
    const first = await hold(body, { 'idempotency-key': 'cart-77-hold' });
    const second = await hold(body, { 'idempotency-key': 'cart-77-hold' });
    expect(second.body.id).toBe(first.body.id);
    expect(await reserved(net.storeB, sku)).toBe(2);
    const other = await hold(
      { lines: [{ sku, quantity: 1, location_id: net.storeB }] },
      { 'idempotency-key': 'cart-77-hold' },
    );
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_conflict');
  });

  it('answers a one-line hold, and its replay, exactly as GET shows the reservation', async () => {
    const sku = net.skus[2]!;
    const body = { lines: [{ sku, quantity: 1, location_id: net.storeA }], channel: 'web', reference: 'cart-iso' };
    const first = await hold(body, { 'idempotency-key': 'cart-iso-hold' });
    expect(first.status).toBe(201);
    const shown = await server.request('GET', `/v1/reservations/${first.body.id}`);
    expect(first.body).toEqual(shown.body);
    const replay = await hold(body, { 'idempotency-key': 'cart-iso-hold' });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    // The DC is not in the web channel's group: the one-statement take refuses, the full path says why.
    const outside = await hold({ ...body, lines: [{ sku, quantity: 1, location_id: net.dc }] });
    expect(outside.status).toBe(400);
    expect(outside.body).toMatchObject({ code: 'validation_failed', location_ids: [net.dc] });
    expect(await reserved(net.dc, sku)).toBe(0);
    await server.request('DELETE', `/v1/reservations/${first.body.id}`);
  });

  it("stores and returns the channel's ID when the client names the channel by its code", async () => {
    const sku = net.skus[0]!;
    const oneLine = await hold({ lines: [{ sku, quantity: 1, location_id: net.storeA }], channel: 'web' });
    const located = await hold({
      lines: [
        { sku, quantity: 1, location_id: net.storeA },
        { sku: net.skus[1]!, quantity: 1, location_id: net.storeB },
      ],
      channel: 'web',
    });
    const anywhere = await hold({ lines: [{ sku, quantity: 1 }], channel: 'web' });
    for (const created of [oneLine, located, anywhere]) {
      expect(created.status).toBe(201);
      expect(created.body.channel_id).toBe(net.channelId);
      const shown = await server.request('GET', `/v1/reservations/${created.body.id}`);
      expect(shown.body.channel_id).toBe(net.channelId);
      await server.request('DELETE', `/v1/reservations/${created.body.id}`);
    }
  });

  it('answers concurrent twins with one hold, even when the twins could not all have the stock', async () => {
    const sku = net.skus[3]!;
    // Every twin asks for all 10 units: only one take can succeed, the others must replay it.
    const body = { lines: [{ sku, quantity: 10, location_id: net.storeB }] };
    const twins = await Promise.all(
      Array.from({ length: 8 }, () => hold(body, { 'idempotency-key': 'cart-twins-hold' })),
    );
    expect(twins.map((t) => t.status)).toEqual(Array(8).fill(201));
    expect(new Set(twins.map((t) => t.body.id)).size).toBe(1);
    expect(twins.filter((t) => t.headers.get('idempotent-replayed') === 'true')).toHaveLength(7);
    expect(await reserved(net.storeB, sku)).toBe(10);
    await server.request('DELETE', `/v1/reservations/${twins[0]!.body.id}`);
  });

  it('expires holds in the sweeper and writes expiry ledger rows and events', async () => {
    const sku = net.skus[0]!;
    const created = await hold({ lines: [{ sku, quantity: 4, location_id: net.dc }] });
    await forceExpired(created.body.id);
    const after = await server.request('GET', `/v1/reservations/${created.body.id}`);
    expect(after.body.status).toBe('expired');
    const ledger = await server.request('GET', `/v1/inventory/ledger?reference_id=${created.body.id}`);
    expect(ledger.body.data.map((r: { kind: string; reserved_delta: number }) => [r.kind, r.reserved_delta])).toEqual([
      ['reservation', 4],
      ['expiry', -4],
    ]);
    const events = await server.request('GET', `/v1/events?subject_id=${created.body.id}`);
    expect(events.body.data.map((e: { type: string }) => e.type)).toEqual([
      'reservation.created',
      'reservation.expired',
    ]);
    const changed = await server.request(
      'GET',
      `/v1/events?type=inventory.availability_changed&subject_id=${net.dc}/${sku}`,
    );
    expect(changed.body.data.length).toBeGreaterThanOrEqual(3);
  });
});

describe('reservation transitions (table-driven)', () => {
  /** Commits a hold the way Consign does (a reservation names a real order): an order placed with it. */
  let placed = 0;
  async function commitByOrder(id: string) {
    placed += 1;
    const line = { sku: net.skus[3]!, quantity: 1, reservation_id: id };
    return placeOrder(server, orderBody(`RES-COMMIT-${placed}`, [line]));
  }

  /** Puts a fresh hold into `status` through the real operations. */
  async function reservationIn(status: ReservationStatus): Promise<string> {
    const created = await hold({ lines: [{ sku: net.skus[3]!, quantity: 1, location_id: net.dc }] });
    const id: string = created.body.id;
    if (status === 'released') await server.request('DELETE', `/v1/reservations/${id}`);
    if (status === 'expired') await forceExpired(id);
    if (status === 'committed') expect((await commitByOrder(id)).status).toBe(201);
    return id;
  }

  /** Attempts to move `id` to `to` with the operation that does that; true when it moved. */
  async function attempt(id: string, to: ReservationStatus): Promise<boolean> {
    const before = await status(id);
    if (to === 'released') await inTransaction(database.db, (tx) => releaseReservation(tx, id, 'test'));
    if (to === 'committed') await commitByOrder(id);
    if (to === 'expired') {
      await database.db.execute(sql`update reservations set expires_at = now() - interval '1 second' where id = ${id}`);
      await sweepExpired(database.db);
    }
    return before !== to && (await status(id)) === to;
  }

  async function status(id: string): Promise<ReservationStatus> {
    const row = await queryOne<{ status: ReservationStatus }>(
      database.db,
      sql`select status from reservations where id = ${id}`,
    );
    return row!.status;
  }

  const targets: ReservationStatus[] = ['committed', 'released', 'expired'];
  /** From-status → the statuses its operations move it to; every other attempt leaves it as it is. */
  const moves: Record<ReservationStatus, ReservationStatus[]> = {
    held: ['committed', 'released', 'expired'],
    committed: [],
    released: [],
    expired: [],
  };
  it('covers every status', () => expect(Object.keys(moves).sort()).toEqual([...reservationStatuses].sort()));
  for (const from of reservationStatuses) {
    for (const to of targets) {
      const allowed = moves[from].includes(to);
      it(`${from} → ${to} is ${allowed ? 'allowed' : 'refused'}`, async () => {
        const id = await reservationIn(from);
        expect(await status(id)).toBe(from);
        expect(await attempt(id, to)).toBe(allowed);
        expect(await heldMismatches(database.db)).toEqual([]);
        expect(await ledgerMismatches(database.db)).toEqual([]);
      });
    }
  }

  it('nothing returns to held', () => {
    for (const from of reservationStatuses) {
      expect((reservationTransitions[from] as readonly string[]).includes('held')).toBe(false);
    }
  });
});

describe('concurrent holds on one server', () => {
  it('200 holds for the last 50 units hold exactly 50, never negative', async () => {
    const sku = 'HOT-1';
    await server.request('POST', '/v1/products', { body: { sku, name: 'Hot item' } });
    await setStock(server, net.storeA, sku, 50);
    const quantities = Array.from({ length: 200 }, (_, i) => 1 + ((i * 7) % 3));
    const results = await Promise.all(
      quantities.map((quantity) => hold({ lines: [{ sku, quantity, location_id: net.storeA }] })),
    );
    const held = results.filter((r) => r.status === 201).reduce((n, r) => n + r.body.lines[0].quantity, 0);
    expect(results.every((r) => r.status === 201 || (r.status === 409 && r.body.code === 'insufficient_stock'))).toBe(
      true,
    );
    expect(held).toBe(50);
    const level = (await server.request('GET', `/v1/inventory/${net.storeA}/${sku}`)).body;
    expect(level).toMatchObject({ on_hand: 50, reserved: 50, available: 0 });
    expect(await ledgerMismatches(database.db)).toEqual([]);
    expect(await heldMismatches(database.db)).toEqual([]);
  });
});
