/**
 * How many shards one order would touch if Consign's tables were spread over N shards of a
 * PostgreSQL-compatible distributed SQL engine: a calculation over the bench's own networks and
 * order mix, not a measurement. `npx tsx bench/shard-fanout.ts` prints the table docs/scaling.md
 * quotes.
 *
 * Per order (3 distinct SKUs × 1 unit, as the orders scenario sends) the placement transaction
 * (ADR 0008) reads the stock of its SKUs at every candidate location, writes the order's own rows
 * (order, lines, payment, allocations, fulfillment orders, decision, events: all keyed by the
 * order id, so one shard) and reserves one stock level per line at the location routing picks.
 * Stock levels and their ledger rows are placed by the key under test:
 * - sku: hash(sku), so all locations of a SKU share a shard;
 * - location: hash(location id), so a store's whole assortment shares a shard;
 * - location + order: as location, and the order's own rows placed on the shard of the location
 *   its first line ships from (the order id carries that shard), not by a hash of the order id.
 */
import { haversineKm, type Coordinates } from '../src/routing/index.ts';
import { seededRandom } from '../src/shared/random.ts';
import { ORDER_NETWORK_SIZE } from './order-network.ts';
import { ORDER_LINES } from './orders.ts';
import { usZip } from './planner.ts';
import { WIDE_NETWORK } from './wide-network.ts';

const SHARD_COUNTS = [1, 2, 4, 8, 16, 32] as const;
const ORDERS = 5_000;
const DESTINATIONS = 2_000;

interface Place extends Coordinates {
  code: string;
}

interface Network {
  name: string;
  locations: Place[];
  skus: string[];
  /** SKU → codes of the locations holding it. */
  holders: Map<string, Place[]>;
}

/** FNV-1a: a stable hash, as a distributed engine's hash partitioning would use. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function places(count: number, seed: number, prefix: string): { rand: () => number; locations: Place[] } {
  const rand = seededRandom(seed);
  const locations = Array.from({ length: count }, (_, i) => ({
    code: `${prefix}-${i + 1}`,
    ...usZip(rand).point,
  }));
  return { rand, locations };
}

/** The orders scenario's network: 50 locations (same seed and points as the bench), every SKU everywhere. */
function orderNetwork(): Network {
  const size = ORDER_NETWORK_SIZE.distributionCentres + ORDER_NETWORK_SIZE.stores;
  const { locations } = places(size, 50, 'ORD');
  const skus = Array.from({ length: ORDER_NETWORK_SIZE.skus }, (_, i) => `BENCH-O-${i + 1}`);
  return {
    name: `${size} locations, every SKU everywhere`,
    locations,
    skus,
    holders: new Map(skus.map((s) => [s, locations])),
  };
}

/** The wide network: 2,000 locations, each SKU held by 1–3 of them (same seed and draws as the bench). */
function wideNetwork(): Network {
  const { rand, locations } = places(WIDE_NETWORK.locations, 2_000, 'WIDE');
  const skus = Array.from({ length: WIDE_NETWORK.skus }, (_, i) => `BENCH-W-${i + 1}`);
  const holders = new Map<string, Place[]>();
  for (const sku of skus) {
    const held = new Set<Place>();
    const wanted = 1 + Math.floor(rand() * WIDE_NETWORK.maxHolders);
    while (held.size < wanted) held.add(locations[Math.floor(rand() * locations.length)]!);
    holders.set(sku, [...held]);
  }
  return {
    name: `${WIDE_NETWORK.locations.toLocaleString('en-US')} locations, each SKU at 1–3`,
    locations,
    skus,
    holders,
  };
}

const nearest = (from: Place[], to: Coordinates) =>
  from.reduce((best, p) => (haversineKm(p, to) < haversineKm(best, to) ? p : best));

interface Tally {
  read: number;
  written: number;
  multiShard: number;
}

/**
 * Orders drawn as the bench draws them; each line ships from the nearest holder of its SKU (in
 * the 50-location network that is the location nearest the customer for the whole order).
 */
type Key = 'sku' | 'location' | 'location + order';

function simulate(network: Network, shards: number, key: Key): Tally {
  const rand = seededRandom(3);
  const destinations = Array.from({ length: DESTINATIONS }, () => usZip(rand).point);
  const shardOf = (sku: string, place: Place) => hash(key === 'sku' ? sku : place.code) % shards;
  const tally: Tally = { read: 0, written: 0, multiShard: 0 };
  for (let n = 0; n < ORDERS; n++) {
    const destination = destinations[Math.floor(rand() * destinations.length)]!;
    const skus = new Set<string>();
    while (skus.size < ORDER_LINES) skus.add(network.skus[Math.floor(rand() * network.skus.length)]!);
    const from = [...skus].map((sku) => ({ sku, place: nearest(network.holders.get(sku)!, destination) }));
    const orderShard = key === 'location + order' ? shardOf(from[0]!.sku, from[0]!.place) : hash(`ord_${n}`) % shards;
    const read = new Set<number>([orderShard]);
    const written = new Set<number>([orderShard]);
    for (const { sku, place } of from) {
      for (const holder of network.holders.get(sku)!) read.add(shardOf(sku, holder));
      written.add(shardOf(sku, place));
    }
    tally.read += read.size;
    tally.written += written.size;
    if (written.size > 1) tally.multiShard++;
  }
  return { read: tally.read / ORDERS, written: tally.written / ORDERS, multiShard: tally.multiShard / ORDERS };
}

const lines = [
  `Shard fan-out of one order (${ORDER_LINES} lines; ${ORDERS.toLocaleString('en-US')} orders drawn per row; orders, lines, events… keyed by order id)`,
  '',
  '| network | stock keyed by | shards | shards read per order (mean) | shards written per order (mean) | orders whose transaction spans shards |',
  '| --- | --- | ---: | ---: | ---: | ---: |',
];
for (const network of [orderNetwork(), wideNetwork()]) {
  for (const key of ['sku', 'location', 'location + order'] as const) {
    for (const shards of SHARD_COUNTS) {
      const t = simulate(network, shards, key);
      lines.push(
        `| ${network.name} | ${key} | ${shards} | ${t.read.toFixed(2)} | ${t.written.toFixed(2)} | ${(t.multiShard * 100).toFixed(0)}% |`,
      );
    }
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
