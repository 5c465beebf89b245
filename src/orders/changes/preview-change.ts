import { sql } from 'drizzle-orm';
import { query, type Executor } from '../../db/index.ts';
import { planSettlement } from '../../payments/index.ts';
import type { Problem } from '../../shared/problem.ts';
import type { TaxAdjustment } from '../../tax/index.ts';
import { applyChange } from './apply-change.ts';
import type { OrderHead } from './load-change.ts';
import type { ChangePlan } from './plan-change.ts';
import type { VersionTotals } from './totals.ts';

/** Thrown to roll the preview's savepoint back with what it saw. */
class PreviewDone extends Error {
  constructor(readonly outcome: Preview | Problem) {
    super('preview');
  }
}

interface RoutingRow {
  line_id: string;
  sku: string;
  location_id: string;
  quantity: number;
}

export type Preview = Awaited<ReturnType<typeof previewOf>>;

const money = (amount: number, currency: string) => ({ amount, currency });
const totalsView = (t: VersionTotals, c: string) => ({
  subtotal: money(t.subtotalMinor, c),
  discount: money(t.discountMinor, c),
  shipping: money(t.shippingMinor, c),
  tax: money(t.taxMinor, c),
  total: money(t.totalMinor, c),
});

/**
 * What confirming would do, found by doing it in a savepoint that is then rolled back: the same
 * code path as the confirmation (routing with today's stock and rules included), minus the
 * gateway. Nothing it writes survives.
 */
export async function previewChange(
  executor: Executor,
  order: OrderHead,
  plan: ChangePlan,
  actor: string,
): Promise<Preview | Problem> {
  try {
    await executor.transaction(async (savepoint) => {
      const before = await reservedAllocations(savepoint, order.id);
      const applied =
        plan.releaseNeeded.length === 0
          ? await applyChange(savepoint, order, plan, { changeId: null, actor, released: [] })
          : null;
      if (applied && !applied.ok) throw new PreviewDone(applied.problem);
      const after = await reservedAllocations(savepoint, order.id);
      const routing = applied ? diff(before, after) : null;
      throw new PreviewDone(await previewOf(savepoint, order, plan, routing, applied?.value.tax ?? null));
    });
  } catch (error) {
    if (!(error instanceof PreviewDone)) throw error;
    return error.outcome;
  }
  throw new Error('preview did not finish');
}

async function previewOf(
  executor: Executor,
  order: OrderHead,
  plan: ChangePlan,
  routing: ReturnType<typeof diff> | null,
  tax: TaxAdjustment | null,
) {
  const c = order.currency;
  const settlement = await planSettlement(executor, order.id, plan.deltaMinor, plan.after.totalMinor);
  const waiting = await query<{ line_id: string; backordered: number }>(
    executor,
    sql`select line_id, backordered from order_lines where order_id = ${order.id} and backordered > 0 order by line_no`,
  );
  return {
    base_version: order.version,
    before: totalsView(plan.before, c),
    after: totalsView(plan.after, c),
    delta: money(plan.deltaMinor, c),
    settlement: {
      authorize: money(settlement.authorize_minor, c),
      void: money(settlement.void_minor, c),
      refund: money(settlement.refund_minor, c),
      uncovered: money(settlement.uncovered_minor, c),
    },
    routing: routing && { ...routing, waiting: waiting.map((w) => ({ line_id: w.line_id, quantity: w.backordered })) },
    release_needed: plan.releaseNeeded,
    // The order's tax quoted again for its new state, less what its tax documents hold (docs/tax.md).
    tax: tax && {
      delta: money(tax.taxMinor, c),
      engine: tax.engine,
      note: tax.note,
      lines: tax.lines.map((l) => ({ line_id: l.lineId, delta: money(l.taxMinor, c) })),
    },
    lines: plan.lines.map((l) => ({
      line_id: l.line_id,
      sku: l.sku,
      quantity: l.quantity - l.cancelled,
      unit_price: money(l.unit_price_minor, c),
      shipped: l.shipped,
      added: l.is_new,
      cancelled_now: l.cancel,
      added_units: l.grown,
    })),
  };
}

async function reservedAllocations(executor: Executor, orderId: string): Promise<RoutingRow[]> {
  return query<RoutingRow>(
    executor,
    sql`select line_id, sku, location_id, sum(quantity)::int as quantity from order_allocations
        where order_id = ${orderId} and status = 'reserved' group by line_id, sku, location_id order by line_id, location_id`,
  );
}

/** Which units the change would place where, and which it would take back from where. */
function diff(before: RoutingRow[], after: RoutingRow[]) {
  const key = (r: RoutingRow) => `${r.line_id}\u0000${r.location_id}`;
  const was = new Map(before.map((r) => [key(r), r]));
  const now = new Map(after.map((r) => [key(r), r]));
  const placed = after
    .map((r) => ({ ...r, quantity: r.quantity - (was.get(key(r))?.quantity ?? 0) }))
    .filter((r) => r.quantity > 0);
  const released = before
    .map((r) => ({ ...r, quantity: r.quantity - (now.get(key(r))?.quantity ?? 0) }))
    .filter((r) => r.quantity > 0);
  return { placed, released };
}
