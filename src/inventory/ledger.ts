import { sql } from 'drizzle-orm';
import { query, toIso, type Executor } from '../db/index.ts';

interface LedgerFilter {
  sku?: string | undefined;
  locationId?: string | undefined;
  kind?: string | undefined;
  referenceId?: string | undefined;
  after?: number | undefined;
  /** `desc`: newest first (the cursor then walks back in time). */
  order?: 'asc' | 'desc' | undefined;
  limit: number;
}

interface LedgerRow {
  id: number;
  location_id: string;
  sku: string;
  kind: string;
  on_hand_delta: number;
  reserved_delta: number;
  on_hand_after: number;
  reserved_after: number;
  reason: string | null;
  reference_type: string | null;
  reference_id: string | null;
  actor: string | null;
  occurred_at: string;
}

/** The movement ledger, oldest first (or newest first), filterable by SKU, location, kind and reference. */
export async function listLedger(executor: Executor, filter: LedgerFilter) {
  const newestFirst = filter.order === 'desc';
  const rows = await query<LedgerRow>(
    executor,
    sql`select id, location_id, sku, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after,
               reason, reference_type, reference_id, actor, occurred_at
        from inventory_ledger
        where true
          ${filter.sku ? sql`and sku = ${filter.sku}` : sql``}
          ${filter.locationId ? sql`and location_id = ${filter.locationId}` : sql``}
          ${filter.kind ? sql`and kind = ${filter.kind}` : sql``}
          ${filter.referenceId ? sql`and reference_id = ${filter.referenceId}` : sql``}
          ${filter.after !== undefined ? (newestFirst ? sql`and id < ${filter.after}` : sql`and id > ${filter.after}`) : sql``}
        order by ${newestFirst ? sql`id desc` : sql`id`}
        limit ${filter.limit}`,
  );
  return rows.map((r) => ({ ...r, occurred_at: toIso(r.occurred_at) }));
}
