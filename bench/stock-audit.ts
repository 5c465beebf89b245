import { sql } from 'drizzle-orm';
import { queryOne, type Db } from '../src/db/index.ts';
import { heldMismatches, ledgerMismatches } from '../test/support/invariants.ts';

/**
 * After a run of orders on SKUs only orders take stock from (no holds, no shipments): whether
 * any unit was sold twice. Every figure is read from the database.
 */
export interface StockAudit {
  /** Stock levels of the SKUs. */
  levels: number;
  /** Levels with more units reserved than on hand. */
  overReserved: number;
  /** Levels whose on_hand or reserved differ from their ledger rows, or whose reserved differ from what holds them. */
  unmatched: number;
  /** Units allocated to the lines of the orders placed (back-ordered units wait and take nothing). */
  unitsInOrders: number;
  /** Units taken from stock: the sum of the ledger's reserved movements of the SKUs. */
  unitsTaken: number;
}

/** True when the audit proves no oversell: every level within its on-hand, every unit accounted for. */
export const soldOnce = (audit: StockAudit) =>
  audit.overReserved === 0 && audit.unmatched === 0 && audit.unitsInOrders === audit.unitsTaken;

/**
 * The audit of `skus`' stock levels. Each level's reserved units are checked against its ledger
 * rows and against what holds them (orders' reserved allocations, held cart holds) by the same
 * queries the test suite's invariants use.
 */
export async function auditStock(db: Db, skus: readonly string[]): Promise<StockAudit> {
  const asked = sql.param([...skus]);
  const row = await queryOne<{ levels: number; over_reserved: number; units_taken: number; units_in_orders: number }>(
    db,
    sql`
    select count(*)::int as levels,
           count(*) filter (where reserved > on_hand)::int as over_reserved,
           (select coalesce(sum(reserved_delta), 0)::int from inventory_ledger where sku = any(${asked}::text[])) as units_taken,
           (select coalesce(sum(allocated), 0)::int from order_lines where sku = any(${asked}::text[])) as units_in_orders
    from stock_levels where sku = any(${asked}::text[])`,
  );
  const ours = new Set(skus);
  const mismatches = [...(await ledgerMismatches(db)), ...(await heldMismatches(db))];
  return {
    levels: row!.levels,
    overReserved: row!.over_reserved,
    unmatched: new Set(mismatches.filter((m) => ours.has(m.sku)).map((m) => `${m.location_id}/${m.sku}`)).size,
    unitsInOrders: row!.units_in_orders,
    unitsTaken: row!.units_taken,
  };
}
