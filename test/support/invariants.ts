import { sql } from 'drizzle-orm';
import { bundleLeavesSql } from '../../src/catalog/index.ts';
import { query, type Db } from '../../src/db/index.ts';

/** Levels whose on_hand/reserved differ from the sum of their ledger rows (should be none). */
export async function ledgerMismatches(db: Db) {
  return query<{ location_id: string; sku: string }>(
    db,
    sql`select s.location_id, s.sku, s.on_hand, s.reserved, coalesce(l.on_hand, 0) as ledger_on_hand, coalesce(l.reserved, 0) as ledger_reserved
        from stock_levels s
        left join (select location_id, sku, sum(on_hand_delta)::int as on_hand, sum(reserved_delta)::int as reserved
                   from inventory_ledger group by location_id, sku) l using (location_id, sku)
        where s.on_hand <> coalesce(l.on_hand, 0) or s.reserved <> coalesce(l.reserved, 0)`,
  );
}

/**
 * Reserved units on levels vs what holds them: held cart holds plus orders' reserved allocations,
 * a bundle's as its leaf components' (should match).
 */
export async function heldMismatches(db: Db) {
  return query<{ location_id: string; sku: string }>(
    db,
    sql`with recursive ${bundleLeavesSql(sql`select bundle_sku from product_components`)}
        select s.location_id, s.sku, s.reserved, coalesce(h.quantity, 0) as held
        from stock_levels s
        left join (
          select location_id, sku, sum(quantity)::int as quantity from (
            select rl.location_id, rl.sku, rl.quantity
            from reservation_lines rl join reservations r on r.id = rl.reservation_id
            -- a committed hold's units belong to its order's allocations once the order exists
            where r.status = 'held' or (r.status = 'committed' and not exists (select 1 from orders o where o.id = r.order_id))
            union all
            -- a split kit's part holds only the components it names at its location
            select a.location_id, coalesce(c.sku, b.component_sku, a.sku), a.quantity * coalesce(c.quantity, b.quantity, 1)
            from order_allocations a
            left join lateral jsonb_to_recordset(a.components) as c(sku text, quantity int) on true
            left join bundle_leaves b on b.bundle_sku = a.sku and a.components is null
            where a.status = 'reserved'
          ) x group by location_id, sku) h using (location_id, sku)
        where s.reserved <> coalesce(h.quantity, 0)`,
  );
}

export async function countRows(db: Db, table: string): Promise<number> {
  const rows = await query<{ n: number }>(db, sql.raw(`select count(*)::int as n from ${table}`));
  return rows[0]!.n;
}

/** Row counts of every table a write could touch: equal before and after means nothing was written. */
export async function tableCounts(db: Db): Promise<Record<string, number>> {
  const tables = [
    'locations',
    'location_groups',
    'location_group_members',
    'channels',
    'products',
    'stock_levels',
    'inventory_ledger',
    'inventory_feeds',
    'reservations',
    'reservation_lines',
    'events',
    'idempotency_keys',
    'api_keys',
    'orders',
    'order_lines',
    'order_allocations',
    'fulfillment_orders',
    'order_holds',
    'payments',
    'routing_decisions',
    'shipments',
    'shipment_lines',
    'tracking_events',
    'invoices',
    'webhook_deliveries',
    'supplies',
    'supply_lines',
    'product_preorders',
    'tasks',
  ];
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = await countRows(db, table);
  return counts;
}
