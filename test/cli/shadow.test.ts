import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Database } from '../../src/db/index.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { orderBody } from '../support/orders.ts';
import { startTestServer } from '../support/server.ts';
import { CLI_TEST_TIMEOUT_MS, createCliTarget, killChildren, runConsign, type CliTarget } from './cli-process.ts';

let target: CliTarget;
let dir: string;
let net: SmallNetwork;
const decided: Record<string, { location_id: string; sku: string; quantity: number }> = {};
const today = new Date().toISOString().slice(0, 10);

/** The target's database, for setting it up through the API before the commands run (the embedded one is closed after). */
async function withTargetDatabase(work: (database: Database) => Promise<void>) {
  const database = target.database ?? (await openDatabase({ dataDir: target.env.CONSIGN_DATA_DIR }));
  try {
    await migrate(database.db);
    await work(database);
  } finally {
    if (!target.database) await database.close();
  }
}

const writeLines = (name: string, records: unknown[]) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
};

beforeAll(async () => {
  target = await createCliTarget();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consign-shadow-'));
  await withTargetDatabase(async (database) => {
    const server = await startTestServer(database);
    try {
      net = await createSmallNetwork(server, 1);
      await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 42.36, longitude: -71.06 } });
      await server.request('PATCH', `/v1/locations/${net.storeB}`, { body: { latitude: 42.65, longitude: -73.76 } });
      await setStock(server, net.storeA, net.skus[0]!, 10);
      await setStock(server, net.storeB, net.skus[0]!, 10);
      await server.request('POST', `/v1/channels/${net.channelId}/shadow`);
      for (const id of ['C-1', 'C-2']) {
        const placed = await server.request('POST', '/v1/orders', {
          body: orderBody(id, [{ sku: net.skus[0]!, quantity: 1 }]),
        });
        expect(placed.status, JSON.stringify(placed.body)).toBe(201);
        decided[id] = placed.body.decision.allocations[0];
      }
    } finally {
      await server.close();
    }
  });
}, CLI_TEST_TIMEOUT_MS);

afterAll(async () => {
  killChildren();
  fs.rmSync(dir, { recursive: true, force: true });
  await target?.close();
});

describe('consign shadow', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('--help explains the records and the kinds of difference', async () => {
    const outcomes = await runConsign(['shadow', 'outcomes', '--help'], target.env);
    expect(outcomes.code).toBe(0);
    expect(outcomes.stdout).toContain('--channel <id>');
    expect(outcomes.stdout).toContain('allocation, shipment');
    const reconcile = await runConsign(['shadow', 'reconcile', '--help'], target.env);
    expect(reconcile.stdout).toContain('only_in_consign');
    expect(reconcile.stdout).toContain('--csv');
  });

  it('refuses a file with a bad record and writes none of it', async () => {
    const file = writeLines('bad.jsonl', [
      { external_id: 'C-1', kind: 'status', status: 'shipped' },
      { external_id: 'C-1', kind: 'allocation', sku: net.skus[0], location: 'NOWHERE', quantity: 1 },
    ]);
    const refused = await runConsign(['shadow', 'outcomes', file, '--channel', 'web'], target.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('/1/location');
    expect(refused.stderr).toContain('Nothing was written.');
  });

  it('takes outcomes and stock from files and reconciles as a table and as CSV', async () => {
    const c1 = decided['C-1']!;
    const elsewhere = c1.location_id === net.storeA ? 'S-B' : 'S-A';
    const outcomes = writeLines('outcomes.jsonl', [
      { external_id: 'C-1', kind: 'allocation', sku: c1.sku, location: elsewhere, quantity: 1 },
      { external_id: 'C-2', kind: 'status', status: 'shipped' },
      { external_id: 'C-2', kind: 'shipment', sku: c1.sku, location: decided['C-2']!.location_id, quantity: 1 },
    ]);
    const taken = await runConsign(['shadow', 'outcomes', outcomes, '--channel', 'web'], target.env);
    expect(taken.code, taken.stderr).toBe(0);
    expect(taken.stdout).toContain('3 record(s) taken, 3 new.');
    const stock = writeLines('stock.jsonl', [
      { sku: net.skus[0], location: 'S-A', on_hand: 7, as_of: new Date().toISOString() },
    ]);
    const counted = await runConsign(['shadow', 'stock', stock], target.env);
    expect(counted.code, counted.stderr).toBe(0);

    const table = await runConsign(
      ['shadow', 'reconcile', '--channel', 'web', '--from', today, '--to', today],
      target.env,
    );
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('2 order(s) in Consign, 2 in the legacy system');
    expect(table.stdout).toContain('1 allocation');
    expect(table.stdout).toContain('1 stock');

    const out = path.join(dir, 'recon.csv');
    const csv = await runConsign(
      ['shadow', 'reconcile', '--channel', 'web', '--from', today, '--to', today, '--csv', '--out', out],
      target.env,
    );
    expect(csv.code, csv.stderr).toBe(0);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\r\n');
    expect(lines.map((l) => l.split(',')[1])).toEqual(['kind', 'allocation', 'stock']);
    expect(lines[2]).toContain(`,${net.skus[0]},${net.storeA},on_hand,10,7,`);
  });
});
