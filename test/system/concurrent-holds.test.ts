import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, type Db } from '../../src/db/index.ts';
import { must } from '../support/client.ts';
import { testEngine } from '../support/db.ts';
import { createDeployment, type Deployment } from '../support/deployment.ts';
import { heldMismatches, ledgerMismatches } from '../support/invariants.ts';
import { randomInt, seededRandom } from '../support/random.ts';

const HOLDS = 200;
const UNITS = 50;
const MAX_SAMPLES = 5_000;
const EXPIRY_WAIT_MS = 15_000;
const TEST_TIMEOUT_MS = 180_000;
const engine = testEngine();
const topology =
  engine === 'postgres'
    ? 'two server processes sharing one PostgreSQL'
    : 'one server process on its embedded database (PGlite is single-process)';

let deployment: Deployment;
const locations: string[] = [];

/** Requests alternate between the servers (there is one on PGlite). */
const server = (i: number) => deployment.servers[i % deployment.servers.length]!;

beforeAll(async () => {
  deployment = await createDeployment({ serverCount: 2, env: { CONSIGN_SWEEP_INTERVAL_MS: '200' } });
  for (const code of ['SYS-A', 'SYS-B', 'SYS-C']) {
    const location = await must(server(0).request, 'POST', '/v1/locations', {
      code,
      type: 'warehouse',
      name: `Warehouse ${code}`,
      address: { line1: '1 Dock Rd', city: 'Newark', country: 'US' },
      timezone: 'America/New_York',
      capabilities: ['ship'],
    });
    locations.push(location.id);
  }
});
afterAll(async () => {
  await deployment?.close();
});

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** A new product with `units[i]` on hand at location i. */
async function stockProduct(sku: string, units: number[]): Promise<void> {
  await must(server(0).request, 'POST', '/v1/products', { sku, name: `System test ${sku}` });
  for (const [i, onHand] of units.entries()) {
    if (onHand > 0) await must(server(0).request, 'PUT', `/v1/inventory/${locations[i]}/${sku}`, { on_hand: onHand });
  }
}

interface Attempt {
  quantity: number;
  status: number;
  contentType: string | null;
  body: any;
}

interface SkuAvailability {
  available: number;
  on_hand: number;
  reserved: number;
  locations: { location_id: string; available: number; on_hand: number; reserved: number; safety_stock: number }[];
}

interface BurstOptions {
  seed: number;
  locationId?: string;
  expiresInSeconds?: number;
}

async function hold(i: number, sku: string, quantity: number, options: BurstOptions): Promise<Attempt> {
  const line = { sku, quantity, ...(options.locationId ? { location_id: options.locationId } : {}) };
  const body = { lines: [line], expires_in_seconds: options.expiresInSeconds ?? 900, reference: `cart-${i}` };
  const response = await server(i).request('POST', '/v1/reservations', { body });
  return { quantity, status: response.status, contentType: response.headers.get('content-type'), body: response.body };
}

/** GET /v1/availability over and over, alternating servers, until `finished()` (bounded). */
async function sampleOverHttp(sku: string, finished: () => boolean): Promise<SkuAvailability[]> {
  const samples: SkuAvailability[] = [];
  for (let i = 0; i < MAX_SAMPLES && !finished(); i++) {
    const response = await server(i).request('GET', `/v1/availability?skus=${sku}`);
    if (response.status !== 200) throw new Error(`availability → ${response.status} ${JSON.stringify(response.body)}`);
    samples.push(response.body.data[0]);
  }
  return samples;
}

/**
 * The raw levels, read straight from PostgreSQL over and over. HTTP samples queue behind the
 * holds for the servers' connections; these do not, so they catch the states in between.
 */
async function sampleInDatabase(db: Db, sku: string, finished: () => boolean): Promise<SkuAvailability[]> {
  const samples: SkuAvailability[] = [];
  for (let i = 0; i < MAX_SAMPLES && !finished(); i++) {
    const levels = await query<SkuAvailability['locations'][number]>(
      db,
      sql`select location_id, on_hand - reserved - safety_stock as available, on_hand, reserved, safety_stock
          from stock_levels where sku = ${sku} order by location_id`,
    );
    const total = (pick: (l: (typeof levels)[number]) => number) => sum(levels.map(pick));
    samples.push({
      available: total((l) => l.available),
      on_hand: total((l) => l.on_hand),
      reserved: total((l) => l.reserved),
      locations: levels,
    });
  }
  return samples;
}

/** 200 holds of 1–3 units, all sent at once, while availability is sampled alongside. */
async function burst(sku: string, options: BurstOptions) {
  const random = seededRandom(options.seed);
  const quantities = Array.from({ length: HOLDS }, () => randomInt(random, 1, 3));
  let finished = false;
  const isFinished = () => finished;
  const live = deployment.liveDb;
  const sampling = Promise.all([
    sampleOverHttp(sku, isFinished),
    ...(live ? [sampleInDatabase(live, sku, isFinished)] : []),
  ]);
  const attempts = await Promise.all(quantities.map((quantity, i) => hold(i, sku, quantity, options))).finally(() => {
    finished = true;
  });
  const streams = await sampling;
  expectAllOrNothing(attempts, sku);
  return { attempts, streams, holds: attempts.filter((a) => a.status === 201) };
}

/**
 * Every sample: nothing negative, never more reserved than on hand. While holds are only being
 * placed (`falling`), each sample of a stream shows no more available than the one before it.
 */
function expectSaneSamples(streams: SkuAvailability[][], falling: boolean): void {
  for (const samples of streams) {
    expect(samples.length, 'availability was sampled during the burst').toBeGreaterThan(0);
    for (const sample of samples) {
      expect(sample.available).toBeGreaterThanOrEqual(0);
      expect(sample.on_hand).toBe(UNITS);
      expect(sample.reserved).toBeLessThanOrEqual(UNITS);
      for (const level of sample.locations) {
        expect(level.reserved).toBeLessThanOrEqual(level.on_hand);
        expect(level.on_hand - level.reserved - level.safety_stock).toBeGreaterThanOrEqual(0);
      }
    }
    if (!falling) continue;
    const available = samples.map((s) => s.available);
    expect(available, 'availability only falls while holds are placed').toEqual([...available].sort((a, b) => b - a));
  }
}

/** Each answer is a whole hold of the asked quantity or a 409 insufficient_stock problem. */
function expectAllOrNothing(attempts: Attempt[], sku: string): void {
  for (const attempt of attempts) {
    if (attempt.status === 201) {
      expect(attempt.body.status).toBe('held');
      expect(attempt.body.lines.every((l: { sku: string }) => l.sku === sku)).toBe(true);
      expect(sum(attempt.body.lines.map((l: { quantity: number }) => l.quantity))).toBe(attempt.quantity);
    } else {
      expect(attempt.status).toBe(409);
      expect(attempt.contentType).toMatch(/^application\/problem\+json/);
      expect(attempt.body.code).toBe('insufficient_stock');
      // The refusal tells the truth: what was available was less than what was asked for.
      for (const shortfall of attempt.body.shortfalls) expect(shortfall.available).toBeLessThan(shortfall.requested);
    }
  }
}

async function readStock(db: Db, sku: string) {
  const levels = await query<{ location_id: string; on_hand: number; reserved: number; safety_stock: number }>(
    db,
    sql`select location_id, on_hand, reserved, safety_stock from stock_levels where sku = ${sku} order by location_id`,
  );
  const movements = await query<{ kind: string; id: string; rows: number; reserved: number }>(
    db,
    sql`select kind, reference_id as id, count(*)::int as rows, sum(reserved_delta)::int as reserved
        from inventory_ledger where sku = ${sku} and reference_type = 'reservation'
        group by kind, reference_id order by kind, reference_id`,
  );
  return { levels, movements, ledgerMismatches: await ledgerMismatches(db), heldMismatches: await heldMismatches(db) };
}
type Stock = Awaited<ReturnType<typeof readStock>>;

function expectBalanced(stock: Stock): void {
  expect(stock.ledgerMismatches).toEqual([]);
  expect(stock.heldMismatches).toEqual([]);
  expect(sum(stock.levels.map((l) => l.on_hand))).toBe(UNITS);
  for (const level of stock.levels) {
    expect(level.reserved).toBeLessThanOrEqual(level.on_hand);
    expect(level.on_hand - level.reserved - level.safety_stock).toBeGreaterThanOrEqual(0);
  }
}

/** One ledger row of `kind` per hold line, moving exactly the hold's units (`sign` +1 or −1). */
function expectOneMovementPerLine(stock: Stock, kind: string, holds: Attempt[], sign: 1 | -1): void {
  const expected = holds
    .map((h) => ({ kind, id: h.body.id as string, rows: h.body.lines.length as number, reserved: sign * h.quantity }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  expect(stock.movements.filter((m) => m.kind === kind)).toEqual(expected);
}

/**
 * No oversell, and no stock left idle that a failed request could have had: every location
 * ends with less available than the smallest failed request (so if a 1-unit hold failed,
 * all 50 units are held). Availability only falls during the burst, so a hold refused at a
 * location was refused on a committed count that no later one exceeds.
 */
async function expectExactlyTheUnitsHeld(sku: string, attempts: Attempt[], holds: Attempt[]): Promise<void> {
  const held = sum(holds.map((h) => h.quantity));
  expect(sum(attempts.map((a) => a.quantity))).toBeGreaterThan(UNITS);
  expect(held).toBeLessThanOrEqual(UNITS);
  const stock = await deployment.inspect((db) => readStock(db, sku));
  expectBalanced(stock);
  expect(sum(stock.levels.map((l) => l.reserved))).toBe(held);
  const failed = attempts.filter((a) => a.status !== 201).map((a) => a.quantity);
  const leftover = Math.max(...stock.levels.map((l) => l.on_hand - l.reserved - l.safety_stock));
  if (failed.length > 0) expect(leftover).toBeLessThan(Math.min(...failed));
  if (failed.includes(1)) expect(held).toBe(UNITS);
  expectOneMovementPerLine(stock, 'reservation', holds, 1);
}

describe(`200 concurrent holds for the last 50 units, over HTTP to ${topology}`, { timeout: TEST_TIMEOUT_MS }, () => {
  it('holds at most 50 units at one location, and all 50 unless no failed request fits', async () => {
    const sku = 'SYS-ONE-LOCATION';
    await stockProduct(sku, [UNITS, 0, 0]);
    const { attempts, streams, holds } = await burst(sku, { seed: 1, locationId: locations[0] });
    expectSaneSamples(streams, true);
    await expectExactlyTheUnitsHeld(sku, attempts, holds);
  });

  it('never oversells when holds name no location and must choose or split among three', async () => {
    const sku = 'SYS-THREE-LOCATIONS';
    await stockProduct(sku, [20, 17, 13]);
    const { attempts, streams, holds } = await burst(sku, { seed: 2 });
    expectSaneSamples(streams, true);
    await expectExactlyTheUnitsHeld(sku, attempts, holds);
  });

  it('releases every hold exactly once when each is released twice, concurrently, through every server', async () => {
    const sku = 'SYS-RELEASE';
    await stockProduct(sku, [UNITS, 0, 0]);
    const { holds } = await burst(sku, { seed: 3, locationId: locations[0] });
    expect(sum(holds.map((h) => h.quantity))).toBeLessThanOrEqual(UNITS);
    const releases = await Promise.all(
      holds.flatMap((h, i) => [i, i + 1].map((s) => server(s).request('DELETE', `/v1/reservations/${h.body.id}`))),
    );
    expect(releases.map((r) => [r.status, r.body.status])).toEqual(releases.map(() => [200, 'released']));
    const stock = await deployment.inspect((db) => readStock(db, sku));
    expectBalanced(stock);
    expect(stock.levels.map((l) => l.reserved)).toEqual([0]);
    expectOneMovementPerLine(stock, 'reservation', holds, 1);
    expectOneMovementPerLine(stock, 'release', holds, -1);
  });

  it('expires every 1-second hold exactly once while every server sweeps', async () => {
    const sku = 'SYS-EXPIRY';
    await stockProduct(sku, [20, 17, 13]);
    const { streams, holds } = await burst(sku, { seed: 4, expiresInSeconds: 1 });
    expectSaneSamples(streams, false); // holds expiring mid-burst give units back: availability may rise
    expect(holds.length).toBeGreaterThan(0);
    const waitedMs = await waitUntilNothingReserved(sku);
    const statuses = await Promise.all(holds.map((h, i) => server(i).request('GET', `/v1/reservations/${h.body.id}`)));
    expect(statuses.map((s) => s.body.status)).toEqual(holds.map(() => 'expired'));
    const stock = await deployment.inspect((db) => readStock(db, sku));
    expectBalanced(stock);
    expect(stock.levels.map((l) => l.reserved)).toEqual([0, 0, 0]);
    expectOneMovementPerLine(stock, 'reservation', holds, 1);
    expectOneMovementPerLine(stock, 'expiry', holds, -1);
    expect(
      stock.movements.filter((m) => m.kind === 'release'),
      `no hold was released (waited ${waitedMs} ms)`,
    ).toEqual([]);
  });
});

/** Polls availability until nothing is reserved; fails after EXPIRY_WAIT_MS. Returns the wait. */
async function waitUntilNothingReserved(sku: string): Promise<number> {
  const started = Date.now();
  for (let i = 0; Date.now() - started < EXPIRY_WAIT_MS; i++) {
    const response = await server(i).request('GET', `/v1/availability?skus=${sku}`);
    if (response.body.data[0].reserved === 0) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${sku} still had units reserved ${EXPIRY_WAIT_MS} ms after the last 1-second hold was placed`);
}
