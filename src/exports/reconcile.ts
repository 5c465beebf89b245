import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { setStockLevel } from '../inventory/index.ts';
import { resolveLocationId } from '../network/index.ts';
import { newId } from '../shared/ids.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';

/** One row of an ERP or WMS stock snapshot: on hand of a SKU at a location (ID or code). */
export interface SnapshotRow {
  location_id: string;
  sku: string;
  on_hand: number;
}

type LineStatus = 'match' | 'difference' | 'missing_in_consign' | 'missing_in_snapshot';

interface ReconciliationLine {
  location_id: string;
  sku: string;
  status: LineStatus;
  snapshot_on_hand: number | null;
  consign_on_hand: number | null;
  /** Snapshot minus Consign, a missing side counting as zero. */
  difference: number;
}

interface Reconciliation {
  reference: string;
  applied: boolean;
  locations: string[];
  summary: Record<LineStatus, number> & { rows: number };
  lines: ReconciliationLine[];
}

interface ReconcileInput {
  rows: SnapshotRow[];
  apply: boolean;
  reference?: string | undefined;
  reason?: string | undefined;
  actor?: string | undefined;
}

const rowError = (index: number, field: string, message: string) => ({ pointer: `/rows/${index}/${field}`, message });

/** Every row's location as an ID (codes resolved), or the rows naming unknown locations. */
async function resolveLocations(executor: Executor, rows: SnapshotRow[]): Promise<Result<string[]>> {
  const ids = new Map<string, string | undefined>();
  for (const given of new Set(rows.map((r) => r.location_id))) ids.set(given, await resolveLocationId(executor, given));
  const unknown = rows.flatMap((r, i) =>
    ids.get(r.location_id) === undefined ? [rowError(i, 'location_id', `unknown location ${r.location_id}`)] : [],
  );
  if (unknown.length > 0) {
    return fail(
      problem('unknown_location', 'The snapshot names locations Consign does not have; nothing was compared.', {
        errors: unknown.slice(0, 100),
      }),
    );
  }
  return ok(rows.map((r) => ids.get(r.location_id)!));
}

/**
 * Compares a stock snapshot with Consign's levels at the snapshot's locations, per SKU and
 * location: equal (`match`), unequal (`difference`), a snapshot row with no level in Consign
 * (`missing_in_consign`), a level holding stock that the snapshot leaves out
 * (`missing_in_snapshot`). With `apply`, Consign's on hand is set to the snapshot's (zero for
 * levels the snapshot leaves out) through the count path, each change a `count` ledger row with
 * the reconciliation's reason and reference: all of them or, on any refusal, none.
 */
export async function reconcileSnapshot(executor: Executor, input: ReconcileInput): Promise<Result<Reconciliation>> {
  const resolved = await resolveLocations(executor, input.rows);
  if (!resolved.ok) return resolved;
  const locationIds = resolved.value;
  const seen = new Map<string, number>();
  const duplicates = input.rows.flatMap((row, i) => {
    const key = `${locationIds[i]}\u0000${row.sku}`;
    const first = seen.get(key);
    seen.set(key, first ?? i);
    return first === undefined ? [] : [rowError(i, 'sku', `${row.sku} at ${row.location_id} is also row ${first}`)];
  });
  if (duplicates.length > 0) {
    return fail(
      problem('validation_failed', 'The snapshot lists a SKU at a location twice; nothing was compared.', {
        errors: duplicates.slice(0, 100),
      }),
    );
  }

  const snapshot = JSON.stringify(
    input.rows.map((r, i) => ({ location_id: locationIds[i], sku: r.sku, on_hand: r.on_hand })),
  );
  const locations = [...new Set(locationIds)].sort();
  const found = await query<{ location_id: string; sku: string; snapshot: number | null; consign: number | null }>(
    executor,
    sql`with snap as (
          select * from jsonb_to_recordset(${snapshot}::jsonb) as s(location_id text, sku text, on_hand int)
        ), levels as (
          select location_id, sku, on_hand from stock_levels
          where location_id in (select jsonb_array_elements_text(${JSON.stringify(locations)}::jsonb))
        )
        select coalesce(s.location_id, l.location_id) as location_id, coalesce(s.sku, l.sku) as sku,
               s.on_hand as snapshot, l.on_hand as consign
        from snap s full join levels l on l.location_id = s.location_id and l.sku = s.sku
        where s.sku is not null or l.on_hand <> 0
        order by 2, 1`,
  );
  const lines = found.map((row): ReconciliationLine => {
    const status: LineStatus =
      row.consign === null
        ? 'missing_in_consign'
        : row.snapshot === null
          ? 'missing_in_snapshot'
          : row.snapshot === row.consign
            ? 'match'
            : 'difference';
    return {
      location_id: row.location_id,
      sku: row.sku,
      status,
      snapshot_on_hand: row.snapshot,
      consign_on_hand: row.consign,
      difference: (row.snapshot ?? 0) - (row.consign ?? 0),
    };
  });
  const reference = input.reference ?? newId('rec');
  if (input.apply) {
    for (const line of lines) {
      if (line.difference === 0 && line.status !== 'missing_in_consign') continue;
      if (line.status === 'missing_in_consign' && line.snapshot_on_hand === 0) continue;
      const set = await setStockLevel(executor, {
        locationId: line.location_id,
        sku: line.sku,
        onHand: line.snapshot_on_hand ?? 0,
        reason: input.reason ?? 'stock reconciliation',
        reference,
        actor: input.actor,
      });
      if (!set.ok) return set;
    }
  }
  const count = (status: LineStatus) => lines.filter((l) => l.status === status).length;
  return ok({
    reference,
    applied: input.apply,
    locations,
    summary: {
      rows: input.rows.length,
      match: count('match'),
      difference: count('difference'),
      missing_in_consign: count('missing_in_consign'),
      missing_in_snapshot: count('missing_in_snapshot'),
    },
    lines,
  });
}
