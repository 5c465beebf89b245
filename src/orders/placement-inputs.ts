import { sql, type SQL } from 'drizzle-orm';
import { queryRowsets, type Executor } from '../db/index.ts';
import { namedIdSql } from '../network/index.ts';
import { activeRulesSql, presentActiveRules, type ActiveRules, type RoutingRules } from '../routing/index.ts';
import {
  candidateSet,
  candidatesSql,
  groupSizeSql,
  preorderOpen,
  stockSql,
  type CandidateSet,
  type StockLevelRow,
} from './routing-inputs.ts';
import type { CreateOrder } from './schemas.ts';

interface ChannelRow {
  id: string;
  code: string | null;
  currency: string;
  mode: string;
}

export interface ProductRow {
  sku: string;
  name: string;
  weight_grams: number | null;
  allow_backorder: boolean;
  /** Whether the product is a bundle of components. */
  bundle: boolean;
}

/** What routing an order right after its capture needs, read together with what validates it. */
export interface RoutingInputs {
  rules: ActiveRules;
  /** The locations holding the order's SKUs (and the named store), and how many of the group are left out. */
  candidates: CandidateSet;
  /** The order's SKUs at every active location. */
  stock: StockLevelRow[];
}

/** A location a line names to ship from, as its capture checks it. */
export interface ShipFromRow {
  id: string;
  name: string;
  active: boolean;
  capabilities: string[];
  in_channel_group: boolean;
}

export interface PlacementInputs {
  channel: ChannelRow | undefined;
  /** The locations the lines name to ship from that exist. */
  shipFrom: ShipFromRow[];
  products: ProductRow[];
  /** The named store of a pickup or curbside order; undefined when there is none or it does not exist. */
  pickup: { capabilities: string[]; active: boolean } | undefined;
  routing: RoutingInputs;
}

interface Rowsets extends Record<string, unknown[]> {
  channel: ChannelRow[];
  products: ProductRow[];
  pickup: { capabilities: string[]; active: boolean }[];
  shipFrom: ShipFromRow[];
  rules: { version: number; rules: RoutingRules }[];
  candidates: CandidateSet['candidates'];
  group: { locations: number }[];
  stock: StockLevelRow[];
}

/**
 * Everything an order's validation and routing read, in one statement: its channel (by ID or
 * code), its active products, the named store, the active routing rules at `at`, the routing
 * candidates (the locations holding its SKUs, and the named store), the size of the channel's
 * location group and the stock of its SKUs at the active locations.
 * A named statement (its text depends on the order's shape only: with or without a named store),
 * run with a generic plan (`withGenericPlan`): PostgreSQL parses and plans it once per
 * connection instead of at every order.
 */
export async function loadPlacementInputs(executor: Executor, input: CreateOrder, at: Date): Promise<PlacementInputs> {
  const skus = [...new Set(input.lines.map((l) => l.sku))];
  const shipFromIds = [
    ...new Set(input.lines.flatMap((l) => (l.ship_from_location_id ? [l.ship_from_location_id] : []))),
  ];
  const channelId: SQL = namedIdSql('channels', input.channel);
  const channel = sql`select id, code, currency, mode from channels where id = ${channelId}`;
  const sets = await withGenericPlan(executor, () =>
    queryRowsets<Rowsets>(
      executor,
      {
        channel,
        products: sql`select sku, name, weight_grams, allow_backorder or ${preorderOpen('p.sku')} as allow_backorder,
                         exists (select 1 from product_components c where c.bundle_sku = p.sku) as bundle
                  from products p where active and sku = any(${sql.param(skus)}::text[])`,
        pickup: input.pickup_location_id
          ? sql`select capabilities, active from locations where id = ${input.pickup_location_id}`
          : sql`select null::text[] as capabilities, false as active where false`,
        shipFrom: sql`select l.id, l.name, l.active, l.capabilities,
                         exists (select 1 from channels c join location_group_members m on m.group_id = c.location_group_id
                                 where c.id = ${channelId} and m.location_id = l.id) as in_channel_group
                  from locations l where l.id = any(${sql.param(shipFromIds)}::text[])`,
        rules: activeRulesSql(at),
        candidates: candidatesSql(channelId, skus, input.pickup_location_id ?? null, shipFromIds),
        group: groupSizeSql(channelId),
        stock: stockSql(skus, sql`select id from locations where active`),
      },
      { prepare: true },
    ),
  );
  return {
    channel: sets.channel[0],
    products: sets.products,
    pickup: sets.pickup[0],
    shipFrom: sets.shipFrom,
    routing: {
      rules: presentActiveRules(sets.rules[0]),
      candidates: candidateSet(sets.candidates, sets.group[0]?.locations ?? 0),
      stock: sets.stock,
    },
  };
}

/**
 * Runs `read`, a named statement, with PostgreSQL's generic plan: made on its first call on a
 * connection and reused. Left to itself (`plan_cache_mode = auto`) PostgreSQL keeps planning the
 * placement read at every call, since a generic plan's estimates for arrays of unknown length look
 * dearer than a custom plan for the few SKUs asked: 1.9 ms of its CPU per order, the largest item
 * of an order's capture (docs/benchmarks.md, "Order cost"). The generic plan reads the same
 * indexes (the SKUs' stock levels by `stock_levels_sku_idx`, also at 205,000 stock levels) and runs
 * in 0.8–0.9 ms. The setting is the transaction's, for this statement only: the default is put
 * back right after it, so the unnamed statements that must be planned for their values
 * (`stockSql`) are not touched. Outside a transaction `set local` changes nothing.
 */
async function withGenericPlan<T>(executor: Executor, read: () => Promise<T>): Promise<T> {
  await executor.execute(sql`set local plan_cache_mode = force_generic_plan`);
  const result = await read();
  await executor.execute(sql`set local plan_cache_mode to default`);
  return result;
}
