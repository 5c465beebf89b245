import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { reserveAll } from '../inventory/index.ts';
import { refuseUnmanaged } from '../shared/unmanaged.ts';
import { countRoutingDecision } from '../telemetry/index.ts';
import { activeRules, type PlanResult } from '../routing/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { recordOrderEvent } from './events.ts';
import { routingProblem } from './routing-problem.ts';
import { sharedLeaves, sharedStockSnapshot } from './shared-stock.ts';
import { finishCapture, type CapturedOrder } from './finish-capture.ts';
import { planOnce, planRequest, snapshot, snapshotOf, splittableKits, stockSkusOf, toCandidate } from './plan-order.ts';
import { kitColumns, takesOf, unitsByLine } from './kit-parts.ts';
import { releaseRoutingHold, startFulfillmentIfFree } from './fulfillment-start.ts';
import type { RoutingInputs } from './placement-inputs.ts';
import {
  loadCandidates,
  loadOpenLines,
  loadOrderForRouting,
  type OrderForRouting,
  type OpenLine,
} from './routing-inputs.ts';

export interface RouteOptions {
  cause: 'capture' | 'reroute' | 'backorder' | 'release';
  actor: string | null;
  /** Locations to leave out besides those that rejected this order (always left out). */
  excludeLocationIds?: string[];
  /**
   * reject: refuse the order (capture); hold: put it on a routing hold (re-route, hold release);
   * keep: leave it as it is and write nothing (back-order retry) — also when nothing could be placed.
   */
  onFailure?: 'reject' | 'hold' | 'keep';
  /**
   * A new order routed right after its capture (no cart holds): its lines and the routing inputs
   * read with its validation, so nothing is read again, and its writes are one statement.
   */
  captured?: { order: CapturedOrder & OrderForRouting; lines: OpenLine[]; routing: RoutingInputs } | undefined;
}

/** Bounded: a concurrent order can win the stock we planned on; then we plan again with fresh stock. */
const MAX_ATTEMPTS = 4;

/** The locations the lines name to ship from. */
const shipFromIds = (lines: readonly OpenLine[]): string[] =>
  lines.flatMap((l) => (l.ship_from_location_id ? [l.ship_from_location_id] : []));

/** Reserves every allocation of a plan, all or nothing (see `reserveAll`); a split kit's parts take their components. */
function reservePlan(executor: Executor, orderId: string, result: PlanResult, actor: string | null): Promise<boolean> {
  return reserveAll(executor, result.allocations.flatMap(takesOf), {
    referenceType: 'order',
    referenceId: orderId,
    actor,
  });
}

/**
 * Routes the order's unplaced quantities with the active rules: plans, reserves atomically
 * (re-planning if a concurrent order won the stock), records allocations, back-orders and the
 * explanation, and creates fulfillment work unless the order is on hold.
 */
export async function routeOrder(
  executor: Executor,
  orderId: string,
  options: RouteOptions,
): Promise<Result<PlanResult | null>> {
  const captured = options.captured;
  const order = captured?.order ?? (await loadOrderForRouting(executor, orderId));
  if (!order) return fail(problem('not_found', `No order ${orderId}.`));
  if (order.managed === false) return refuseUnmanaged(orderId, 'route');
  const lines = captured?.lines ?? (await loadOpenLines(executor, orderId));
  if (lines.length === 0) {
    await startFulfillmentIfFree(executor, orderId, options.actor);
    return ok(null);
  }
  const { version, rules } = captured?.routing.rules ?? (await activeRules(executor));
  const skus = lines.map((l) => l.sku);
  // Only the locations holding the order's SKUs (or their components), and the named store.
  const named = shipFromIds(lines);
  const readCandidates = () => loadCandidates(executor, order.channel_id, skus, order.pickup_location_id, named);
  let found = captured?.routing.candidates ?? (await readCandidates());
  let candidates = found.candidates.map(toCandidate);
  const exclude = captured ? [] : await excludedLocations(executor, orderId, options.excludeLocationIds ?? []);
  let request = planRequest(order, lines, exclude, found.omitted);
  let result: PlanResult | undefined;
  // Read once a reservation failed: a bundle and a line sharing its components were planned
  // on the same units (each line sees the shared component whole); plan them on shared stock.
  let shared: Awaited<ReturnType<typeof sharedLeaves>> | undefined;
  const kits = await splittableKits(executor, skus, rules);
  const stockSkus = stockSkusOf(skus, kits);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (attempt > 1) {
      // Stock moved under us: another location may hold the SKUs now.
      found = await readCandidates();
      candidates = found.candidates.map(toCandidate);
      request = planRequest(order, lines, exclude, found.omitted);
    }
    const stock = shared
      ? await sharedStockSnapshot(executor, request, candidates, rules, shared, new Date())
      : attempt === 1 && captured && kits.size === 0
        ? snapshotOf(captured.routing.stock)
        : await snapshot(executor, stockSkus, candidates);
    result = planOnce(options.cause, request, candidates, stock, rules, kits);
    if (result.status === 'rejected') break;
    if (await reservePlan(executor, orderId, result, options.actor)) break;
    if (shared === undefined) shared = await sharedLeaves(executor, skus);
    result.explanation.notes.push(`attempt ${attempt}: a concurrent order took the planned stock; planned again`);
    if (attempt === MAX_ATTEMPTS)
      return fail(problem('conflict', 'Stock kept changing while this order was routed; try again.'));
  }
  countRoutingDecision(options.cause, result!.status);
  if (captured && result!.status !== 'rejected') {
    await finishCapture(executor, captured.order, lines, version, result!, options.actor);
    return ok(result!);
  }
  // A retry that places nothing changes nothing: it leaves no decision or event behind.
  if (options.onFailure === 'keep' && (result!.status === 'rejected' || result!.allocations.length === 0))
    return ok(result!);
  const decision = await storeDecision(executor, orderId, version, options.cause, result!);
  if (result!.status === 'rejected') return routingFailed(executor, orderId, result!, options, decision);
  await recordAllocations(
    executor,
    orderId,
    lines.map((l) => l.line_id),
    result!,
    decision,
  );
  await executor.execute(sql`update orders set rules_version = ${version}, updated_at = now() where id = ${orderId}`);
  await recordOrderEvent(executor, orderId, 'order.routed', options.actor, {
    cause: options.cause,
    rules_version: version,
    decision_id: decision,
    locations: [...new Set(result!.allocations.map((a) => a.locationId))],
    backordered: result!.backorders,
  });
  // Every unit that waited now has a location or is legitimately back-ordered.
  await releaseRoutingHold(executor, orderId, options.actor, `routed (${options.cause})`);
  await startFulfillmentIfFree(executor, orderId, options.actor, result!.deliveryMethod);
  return ok(result!);
}

/** The caller's exclusions and every location that has rejected work of this order. */
async function excludedLocations(executor: Executor, orderId: string, also: string[]): Promise<string[]> {
  const rejected = await query<{ location_id: string }>(
    executor,
    sql`select distinct location_id from fulfillment_orders where order_id = ${orderId} and status = 'rejected' order by location_id`,
  );
  return [...new Set([...also, ...rejected.map((r) => r.location_id)])];
}

async function storeDecision(
  executor: Executor,
  orderId: string,
  version: number | null,
  cause: string,
  result: PlanResult,
): Promise<number> {
  const row = await queryOne<{ id: number }>(
    executor,
    sql`insert into routing_decisions (order_id, cause, rules_version, outcome, explanation)
        values (${orderId}, ${cause}, ${version}, ${result.status}, ${JSON.stringify({ ...result, explanation: result.explanation })}::json)
        returning id`,
  );
  return row!.id;
}

async function recordAllocations(
  executor: Executor,
  orderId: string,
  lineIds: string[],
  result: PlanResult,
  decisionId: number,
): Promise<void> {
  const allocations = JSON.stringify(
    result.allocations.map((a) => ({
      line_id: a.lineId,
      sku: a.sku,
      location_id: a.locationId,
      quantity: a.quantity,
      ...kitColumns(a),
    })),
  );
  const placed = JSON.stringify(
    [...unitsByLine(result.allocations)].map(([line_id, quantity]) => ({ line_id, quantity })),
  );
  const backorders = JSON.stringify(result.backorders.map((b) => ({ line_id: b.lineId, quantity: b.quantity })));
  await executor.execute(sql`
    insert into order_allocations (order_id, line_id, sku, location_id, quantity, decision_id, kit_group, components)
    select ${orderId}, line_id, sku, location_id, quantity, ${decisionId}, kit_group, components
    from jsonb_to_recordset(${allocations}::jsonb)
         as t(line_id text, sku text, location_id text, quantity int, kit_group text, components jsonb)`);
  // One statement per line: allocated grows by what was placed, backordered becomes what waits.
  await executor.execute(sql`
    update order_lines l
    set allocated = l.allocated + coalesce(a.quantity, 0), backordered = coalesce(b.quantity, 0)
    from jsonb_array_elements_text(${JSON.stringify(lineIds)}::jsonb) as p(line_id)
    left join jsonb_to_recordset(${placed}::jsonb) as a(line_id text, quantity int) on a.line_id = p.line_id
    left join (select line_id, sum(quantity)::int as quantity
               from jsonb_to_recordset(${backorders}::jsonb) as t(line_id text, quantity int) group by line_id) b on b.line_id = p.line_id
    where l.order_id = ${orderId} and l.line_id = p.line_id`);
}

async function routingFailed(
  executor: Executor,
  orderId: string,
  result: PlanResult,
  options: RouteOptions,
  decisionId: number,
): Promise<Result<PlanResult>> {
  const reason = result.rejection?.message ?? 'no location can fulfil the order';
  if (options.onFailure === 'keep') return ok(result);
  if ((options.onFailure ?? 'reject') === 'reject') {
    return fail(routingProblem(result));
  }
  await executor.execute(sql`
    insert into order_holds (order_id, kind, reason, created_by)
    select ${orderId}, 'routing', ${reason}, ${options.actor}
    where not exists (select 1 from order_holds where order_id = ${orderId} and kind = 'routing' and released_at is null)`);
  await recordOrderEvent(executor, orderId, 'order.routing_failed', options.actor, {
    cause: options.cause,
    reason,
    decision_id: decisionId,
  });
  // A routing hold holds only the waiting units: units placed earlier (while another hold,
  // now released, stopped work) get their work.
  await startFulfillmentIfFree(executor, orderId, options.actor);
  return ok(result);
}
