import { sql } from 'drizzle-orm';
import { isoTimestamp, query, type Executor } from '../db/index.ts';
import { csvLine } from '../shared/csv.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import {
  differenceKinds,
  differencesByDay,
  reconcile,
  type ConsignOrder,
  type Difference,
  type LegacyOutcome,
  type StockCount,
} from './compare.ts';

/** The most shadow orders one report reads; a longer window is reconciled in parts. */
const MAX_REPORT_ORDERS = 100_000;

interface ReportWindow {
  channelId: string;
  /** Inclusive. */
  from: string;
  /** Exclusive. */
  to: string;
}

function loadOrders(executor: Executor, w: ReportWindow) {
  return query<ConsignOrder>(
    executor,
    sql`select external_id, ${isoTimestamp(sql`placed_at`)} as placed_at, total_minor, shipping_minor, currency, lines, decision
        from shadow_orders
        where channel_id = ${w.channelId} and placed_at >= ${w.from}::timestamptz and placed_at < ${w.to}::timestamptz
        order by placed_at, id
        limit ${MAX_REPORT_ORDERS}`,
  );
}

/**
 * The outcomes of the window's shadow orders, and of the orders Consign never received whose
 * legacy placement (else first outcome) falls in the window.
 */
function loadOutcomes(executor: Executor, w: ReportWindow) {
  return query<LegacyOutcome>(
    executor,
    sql`with legacy_only as (
          select o.external_id from shadow_outcomes o
          where o.channel_id = ${w.channelId}
            and not exists (select 1 from shadow_orders s where s.channel_id = o.channel_id and s.external_id = o.external_id)
          group by o.external_id
          having coalesce(min(o.placed_at), min(coalesce(o.occurred_at, o.received_at))) >= ${w.from}::timestamptz
             and coalesce(min(o.placed_at), min(coalesce(o.occurred_at, o.received_at))) < ${w.to}::timestamptz)
        select o.external_id, o.kind, o.sku, o.location_id, o.quantity, o.status, o.total_minor, o.captured_minor,
               o.refunded_minor, ${isoTimestamp(sql`o.placed_at`)} as placed_at,
               ${isoTimestamp(sql`coalesce(o.occurred_at, o.received_at)`)} || lpad(o.id::text, 20, '0') as at
        from shadow_outcomes o
        where o.channel_id = ${w.channelId}
          and (o.external_id in (select external_id from legacy_only)
               or o.external_id in (select external_id from shadow_orders s where s.channel_id = ${w.channelId}
                                      and s.placed_at >= ${w.from}::timestamptz and s.placed_at < ${w.to}::timestamptz))
        order by o.id`,
  );
}

/**
 * The legacy counts of the window beside Consign's on hand at the same moment: the ledger's
 * last balance before it (a level with no ledger row at all: its current count).
 */
function loadStock(executor: Executor, w: ReportWindow) {
  return query<StockCount>(
    executor,
    sql`select s.sku, s.location_id, ${isoTimestamp(sql`s.as_of`)} as as_of, s.on_hand as legacy_on_hand,
          coalesce(
            (select l.on_hand_after from inventory_ledger l
             where l.sku = s.sku and l.location_id = s.location_id and l.occurred_at <= s.as_of
             order by l.occurred_at desc, l.id desc limit 1),
            (select v.on_hand from stock_levels v where v.sku = s.sku and v.location_id = s.location_id
               and not exists (select 1 from inventory_ledger l where l.sku = s.sku and l.location_id = s.location_id)),
            0) as consign_on_hand
        from shadow_stock s
        where s.as_of >= ${w.from}::timestamptz and s.as_of < ${w.to}::timestamptz
        order by s.as_of, s.location_id, s.sku`,
  );
}

/** The reconciliation of a shadow channel over a window: every difference, and counts per kind. */
export async function reconciliationReport(executor: Executor, w: ReportWindow) {
  const orders = await loadOrders(executor, w);
  const outcomes = await loadOutcomes(executor, w);
  const stock = await loadStock(executor, w);
  const differences = reconcile(orders, outcomes, stock);
  const summary = Object.fromEntries(
    differenceKinds.map((k) => [k, differences.filter((d) => d.kind === k).length]),
  ) as Record<(typeof differenceKinds)[number], number>;
  const legacyOrders = new Set(outcomes.map((o) => o.external_id)).size;
  return {
    channel_id: w.channelId,
    from: w.from,
    to: w.to,
    orders: { consign: orders.length, legacy: legacyOrders },
    truncated: orders.length === MAX_REPORT_ORDERS,
    summary,
    days: differencesByDay(differences),
    differences,
  };
}
type ReconciliationReport = Awaited<ReturnType<typeof reconciliationReport>>;

const cell = (value: Difference['consign']): string =>
  value === null
    ? ''
    : Array.isArray(value)
      ? value.map((p) => `${p.location_id}:${p.quantity}`).join(' ')
      : String(value);

/** The differences as CSV, one per row; placements as `location:quantity` separated by spaces. */
export function reportCsv(report: ReconciliationReport): string {
  const header = ['day', 'kind', 'external_id', 'sku', 'location_id', 'field', 'consign', 'legacy', 'explanation'];
  const rows = report.differences.map((d) =>
    csvLine([
      d.day,
      d.kind,
      d.external_id ?? '',
      d.sku ?? '',
      d.location_id ?? '',
      d.field ?? '',
      cell(d.consign),
      cell(d.legacy),
      d.explanation ?? '',
    ]),
  );
  return [csvLine(header), ...rows].join('\r\n') + '\r\n';
}

/** Drift per day as CSV: the count of each kind of difference. */
export function daysCsv(report: ReconciliationReport): string {
  const header = ['day', ...differenceKinds, 'total'];
  const rows = report.days.map((d) => csvLine([d.day, ...differenceKinds.map((k) => String(d[k])), String(d.total)]));
  return [csvLine(header), ...rows].join('\r\n') + '\r\n';
}

const DAY_MS = 86_400_000;
/** The longest window one report covers. */
const MAX_WINDOW_DAYS = 366;

/**
 * A window from `from` (inclusive) to `to`: an ISO date and time, or a date, which for `to`
 * includes that whole day (UTC).
 */
export function reportWindow(channelId: string, from: string, to: string): Result<ReportWindow> {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  const start = Date.parse(day.test(from) ? `${from}T00:00:00Z` : from);
  const end = day.test(to) ? Date.parse(`${to}T00:00:00Z`) + DAY_MS : Date.parse(to);
  if (Number.isNaN(start) || Number.isNaN(end))
    return fail(problem('validation_failed', 'from and to are ISO 8601 dates, or dates and times.'));
  if (end <= start) return fail(problem('validation_failed', 'to must come after from.'));
  if (end - start > MAX_WINDOW_DAYS * DAY_MS)
    return fail(problem('validation_failed', `A report covers at most ${MAX_WINDOW_DAYS} days; ask for it in parts.`));
  return ok({ channelId, from: new Date(start).toISOString(), to: new Date(end).toISOString() });
}
