import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { ledgerMismatches, tableCounts } from '../support/invariants.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 6);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const reconcile = (body: unknown, headers?: Record<string, string>) =>
  server.request('POST', '/v1/inventory/reconciliations', { body, headers });
const onHand = async (location: string, sku: string) =>
  (await server.request('GET', `/v1/inventory/${location}/${sku}`)).body.on_hand as number;

describe('POST /v1/inventory/reconciliations', () => {
  it('finds exactly the differences planted in a snapshot, and applies them as count ledger rows', async () => {
    const [s1, s2, s3, s4, s5, s6] = net.skus as [string, string, string, string, string, string];
    // Consign at the DC: s1 10, s2 20, s3 5, s4 7; s5 has a level at zero; s6 none. Store A: s1 3 (out of scope).
    for (const [sku, n] of [
      [s1, 10],
      [s2, 20],
      [s3, 5],
      [s4, 7],
      [s5, 0],
    ] as const) {
      await setStock(server, net.dc, sku, n);
    }
    await setStock(server, net.storeA, s1, 3);
    // The WMS says: s1 10 (match), s2 17 (difference), s4 9 (difference), s6 8 (missing in Consign),
    // s5 0 (match), and leaves s3 out (missing in the snapshot). The DC is named by its code.
    const rows = [
      { location_id: 'DC1', sku: s1, on_hand: 10 },
      { location_id: 'DC1', sku: s2, on_hand: 17 },
      { location_id: net.dc, sku: s4, on_hand: 9 },
      { location_id: net.dc, sku: s5, on_hand: 0 },
      { location_id: net.dc, sku: s6, on_hand: 8 },
    ];
    const report = await reconcile({ rows });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      applied: false,
      locations: [net.dc],
      summary: { rows: 5, match: 2, difference: 2, missing_in_consign: 1, missing_in_snapshot: 1 },
    });
    const line = (sku: string, status: string, snapshot: number | null, consign: number | null) => ({
      location_id: net.dc,
      sku,
      status,
      snapshot_on_hand: snapshot,
      consign_on_hand: consign,
      difference: (snapshot ?? 0) - (consign ?? 0),
    });
    expect(report.body.lines).toEqual([
      line(s1, 'match', 10, 10),
      line(s2, 'difference', 17, 20),
      line(s3, 'missing_in_snapshot', null, 5),
      line(s4, 'difference', 9, 7),
      line(s5, 'match', 0, 0),
      line(s6, 'missing_in_consign', 8, null),
    ]);
    expect(await onHand(net.dc, s2)).toBe(20); // a report writes nothing

    const ledgerBefore = await query<{ n: number }>(database.db, sql`select count(*)::int as n from inventory_ledger`);
    const applied = await reconcile({ rows, apply: true, reference: 'WMS-2026-11-30', reason: 'year-end count' });
    expect(applied.status).toBe(201);
    expect(applied.body).toMatchObject({ applied: true, reference: 'WMS-2026-11-30' });
    expect([
      await onHand(net.dc, s2),
      await onHand(net.dc, s3),
      await onHand(net.dc, s4),
      await onHand(net.dc, s6),
    ]).toEqual([17, 0, 9, 8]);
    expect(await onHand(net.storeA, s1)).toBe(3); // other locations are out of the snapshot's scope
    const written = await query<{
      sku: string;
      kind: string;
      on_hand_delta: number;
      reason: string;
      reference_id: string;
    }>(
      database.db,
      sql`select sku, kind, on_hand_delta, reason, reference_id from inventory_ledger
          where id > (select max(id) from inventory_ledger) - ${4} order by sku`,
    );
    expect(written).toEqual(
      [
        [s2, -3],
        [s3, -5],
        [s4, 2],
        [s6, 8],
      ].map(([sku, delta]) => ({
        sku,
        kind: 'count',
        on_hand_delta: delta,
        reason: 'year-end count',
        reference_id: 'WMS-2026-11-30',
      })),
    );
    const ledgerAfter = await query<{ n: number }>(database.db, sql`select count(*)::int as n from inventory_ledger`);
    expect(ledgerAfter[0]!.n - ledgerBefore[0]!.n).toBe(4);
    expect(await ledgerMismatches(database.db)).toEqual([]);

    const again = await reconcile({ rows });
    expect(again.body.summary).toMatchObject({
      match: 5,
      difference: 0,
      missing_in_consign: 0,
      missing_in_snapshot: 0,
    });
  });

  it('refuses bad snapshots with problem+json and writes nothing', async () => {
    const sku = net.skus[0]!;
    const before = await tableCounts(database.db);
    const refusals: [unknown, number, string][] = [
      [{ rows: [] }, 400, 'validation_failed'],
      [{ rows: [{ location_id: net.dc, sku, on_hand: -1 }] }, 400, 'validation_failed'],
      [{ rows: [{ location_id: net.dc, sku, on_hand: 1.5 }] }, 400, 'validation_failed'],
      [{ rows: [{ location_id: net.dc, sku }] }, 400, 'validation_failed'],
      [{ rows: [{ location_id: net.dc, sku: 'has,comma', on_hand: 1 }] }, 400, 'validation_failed'],
      [{ rows: [{ location_id: 'NOWHERE', sku, on_hand: 1 }], apply: true }, 422, 'unknown_location'],
      [
        {
          rows: [
            { location_id: net.dc, sku, on_hand: 1 },
            { location_id: 'DC1', sku, on_hand: 2 },
          ],
          apply: true,
        },
        400,
        'validation_failed',
      ],
      [{ rows: [{ location_id: net.dc, sku: 'NO-SUCH-SKU', on_hand: 4 }], apply: true }, 422, 'unknown_sku'],
    ];
    for (const [body, status, code] of refusals) {
      const response = await reconcile(body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.code).toBe(code);
    }
    // A snapshot with an unknown SKU is reported (missing in Consign) but cannot be applied.
    const report = await reconcile({ rows: [{ location_id: net.dc, sku: 'NO-SUCH-SKU', on_hand: 4 }] });
    expect(report.status).toBe(200);
    expect(report.body.lines).toContainEqual(
      expect.objectContaining({ sku: 'NO-SUCH-SKU', status: 'missing_in_consign' }),
    );
    expect(await tableCounts(database.db)).toEqual(before);
  });

  it('applies all lines or none: one below reserved refuses the whole snapshot', async () => {
    const [s1, s2] = net.skus as [string, string];
    await setStock(server, net.storeB, s1, 10);
    await setStock(server, net.storeB, s2, 10);
    const hold = await server.request('POST', '/v1/reservations', {
      body: { channel: 'web', lines: [{ sku: s2, quantity: 4, location_id: net.storeB }] },
    });
    expect(hold.status, JSON.stringify(hold.body)).toBe(201);
    const before = await tableCounts(database.db);
    const refused = await reconcile({
      rows: [
        { location_id: net.storeB, sku: s1, on_hand: 2 },
        { location_id: net.storeB, sku: s2, on_hand: 1 },
      ],
      apply: true,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('below_reserved');
    expect(await tableCounts(database.db)).toEqual(before);
    expect(await onHand(net.storeB, s1)).toBe(10);
  });
});
