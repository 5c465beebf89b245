import { sql } from 'drizzle-orm';
import { query, queryOne, toIso, type Executor } from '../../db/index.ts';
import type { ChangeAction } from './schemas.ts';

export interface ChangeRow {
  id: string;
  order_id: string;
  base_version: number;
  result_version: number | null;
  status: 'draft' | 'awaiting_release' | 'confirmed' | 'declined' | 'cancelled';
  actions: ChangeAction[];
  reason: string;
  created_by: string | null;
  settlement: Record<string, unknown> | null;
  created_at: string;
  updated_at: string;
  decided_at: string | null;
  decided_by: string | null;
}

const columns = sql`id, order_id, base_version, result_version, status, actions, reason, created_by, settlement, created_at, updated_at, decided_at, decided_by`;

export async function changeById(
  executor: Executor,
  orderId: string,
  changeId: string,
  options: { lock?: boolean } = {},
): Promise<ChangeRow | undefined> {
  return queryOne<ChangeRow>(
    executor,
    sql`select ${columns} from order_changes where id = ${changeId} and order_id = ${orderId}${options.lock ? sql` for update` : sql``}`,
  );
}

/** A change as the API shows it (the preview, when asked for, is added by the caller). */
export function presentChange(row: ChangeRow, releases: ReleaseRow[] = []) {
  return {
    id: row.id,
    order_id: row.order_id,
    status: row.status,
    base_version: row.base_version,
    result_version: row.result_version,
    reason: row.reason,
    actions: row.actions,
    settlement: row.settlement,
    release_requests: releases.map((r) => ({ ...r, created_at: toIso(r.created_at), decided_at: toIso(r.decided_at) })),
    created_by: row.created_by,
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
    decided_at: toIso(row.decided_at),
    decided_by: row.decided_by,
  };
}

interface ReleaseRow {
  id: string;
  fulfillment_order_id: string;
  location_id: string;
  status: string;
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
}

export async function releasesOfChange(executor: Executor, changeId: string): Promise<ReleaseRow[]> {
  return query<ReleaseRow>(
    executor,
    sql`select r.id, r.fulfillment_order_id, f.location_id, r.status, r.created_at, r.decided_at, r.decided_by
        from fulfillment_release_requests r join fulfillment_orders f on f.id = r.fulfillment_order_id
        where r.change_id = ${changeId} order by r.id`,
  );
}

/** The order's changes, newest first, and the totals of every version it has had. */
export async function changesOfOrder(executor: Executor, orderId: string) {
  const rows = await query<ChangeRow>(
    executor,
    sql`select ${columns} from order_changes where order_id = ${orderId} order by created_at desc, id desc limit 200`,
  );
  const versions = await query<{
    version: number;
    change_id: string | null;
    currency: string;
    subtotal_minor: number;
    discount_minor: number;
    shipping_minor: number;
    tax_minor: number;
    total_minor: number;
    delta_minor: number;
    created_by: string | null;
    created_at: string;
  }>(
    executor,
    sql`select version, change_id, currency, subtotal_minor, discount_minor, shipping_minor, tax_minor, total_minor, delta_minor, created_by, created_at
        from order_versions where order_id = ${orderId} order by version`,
  );
  const m = (amount: number, currency: string) => ({ amount, currency });
  return {
    data: rows.map((r) => presentChange(r)),
    versions: versions.map((v) => ({
      version: v.version,
      change_id: v.change_id,
      subtotal: m(v.subtotal_minor, v.currency),
      discount: m(v.discount_minor, v.currency),
      shipping: m(v.shipping_minor, v.currency),
      tax: m(v.tax_minor, v.currency),
      total: m(v.total_minor, v.currency),
      delta: m(v.delta_minor, v.currency),
      created_by: v.created_by,
      created_at: toIso(v.created_at),
    })),
  };
}
