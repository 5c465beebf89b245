import { sql } from 'drizzle-orm';
import { query, queryOne, toIso, type Executor } from '../db/index.ts';
import { resolveChannelId } from '../network/index.ts';
import { activeRules, readRuleVersion, ruleViolations, type RoutingRules } from '../routing/index.ts';
import { newId } from '../shared/ids.ts';
import { problem, type Problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { getOrderSet } from './order-sets.ts';
import type { StockBasis } from './replay.ts';

/** What a simulation replays and under which rules, resolved when it is asked for and stored with it. */
export interface SimulationParameters {
  /** The period replayed: [from, to); for an order set, its orders' span. */
  from: string;
  to: string;
  /** The uploaded order set replayed instead of a period's orders; absent on simulations made before sets. */
  order_set_id?: string | null;
  channel_id: string | null;
  stock_basis: StockBasis;
  /** The rules to compare against: a version, or null for the defaults (no version was active). */
  baseline_version: number | null;
  /** The rules under test: a version, or null when given inline as `draft_rules`. */
  draft_version: number | null;
  draft_rules: RoutingRules | null;
}

/** A request for a simulation, as the API and the CLI take it. */
export interface SimulationRequest {
  from?: string | undefined;
  to?: string | undefined;
  order_set?: string | undefined;
  channel?: string | undefined;
  stock_basis?: StockBasis | undefined;
  baseline_version?: number | undefined;
  rules_version?: number | undefined;
  rules?: unknown;
}

type Status = 'queued' | 'running' | 'succeeded' | 'failed';

export interface Simulation {
  id: string;
  status: Status;
  parameters: SimulationParameters;
  progress: { orders_done: number; orders_total: number | null };
  changed_orders: number | null;
  error: string | null;
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  result: unknown;
}

interface Row {
  id: string;
  status: Status;
  parameters: SimulationParameters;
  orders_total: number | null;
  orders_done: number;
  changed_orders: number | null;
  error: string | null;
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  result?: unknown;
}

const present = (row: Row): Simulation => ({
  id: row.id,
  status: row.status,
  parameters: row.parameters,
  progress: { orders_done: row.orders_done, orders_total: row.orders_total },
  changed_orders: row.changed_orders,
  error: row.error,
  created_by: row.created_by,
  created_at: toIso(row.created_at)!,
  started_at: toIso(row.started_at),
  finished_at: toIso(row.finished_at),
  result: row.result ?? null,
});

const invalid = (pointer: string, message: string): Problem =>
  problem('validation_failed', `${pointer} ${message}.`, { errors: [{ pointer, message }] });

/** Checks a request and resolves what it names (channel, versions, the active rules) into parameters. */
export async function resolveParameters(
  executor: Executor,
  request: SimulationRequest,
): Promise<Result<SimulationParameters>> {
  const period = await periodOf(executor, request);
  if (!period.ok) return period;
  const { from, to, orderSetId } = period.value;
  let channelId: string | null = null;
  if (request.channel !== undefined) {
    channelId = (await resolveChannelId(executor, request.channel)) ?? null;
    if (channelId === null)
      return fail(
        problem('not_found', `No channel ${request.channel}: give a channel's ID or code (GET /v1/channels).`),
      );
  }
  if ((request.rules_version === undefined) === (request.rules === undefined))
    return fail(
      invalid('/rules_version', 'or /rules: give exactly one — the version of a saved draft, or the rules themselves'),
    );
  if (request.rules !== undefined) {
    const errors = (await ruleViolations(executor, request.rules)).map((v) => ({
      pointer: `/rules${v.pointer}`,
      message: v.message,
    }));
    if (errors.length > 0)
      return fail(
        problem('validation_failed', `The rules are not valid: ${errors[0]!.pointer} ${errors[0]!.message}.`, {
          errors,
        }),
      );
  } else if (!(await readRuleVersion(executor, request.rules_version!))) {
    return fail(missingVersion(request.rules_version!));
  }
  let baseline: number | null;
  if (request.baseline_version !== undefined) {
    if (!(await readRuleVersion(executor, request.baseline_version)))
      return fail(missingVersion(request.baseline_version));
    baseline = request.baseline_version;
  } else {
    baseline = (await activeRules(executor)).version;
  }
  return ok({
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    order_set_id: orderSetId,
    channel_id: channelId,
    stock_basis: orderSetId === null ? (request.stock_basis ?? 'ledger') : 'snapshot',
    baseline_version: baseline,
    draft_version: request.rules_version ?? null,
    draft_rules: (request.rules as RoutingRules | undefined) ?? null,
  });
}

/** The period a request replays: its `from` and `to`, or its order set's span. */
async function periodOf(
  executor: Executor,
  request: SimulationRequest,
): Promise<Result<{ from: number; to: number; orderSetId: string | null }>> {
  if (request.order_set !== undefined) {
    if (request.from !== undefined || request.to !== undefined)
      return fail(invalid('/from', 'and /to go with a period, not an order set: give one or the other'));
    if (request.stock_basis !== undefined && request.stock_basis !== 'snapshot')
      return fail(
        invalid('/stock_basis', "must be snapshot for an order set (its stock is the ledger's at its stock_at)"),
      );
    const set = await getOrderSet(executor, request.order_set);
    if (!set)
      return fail(problem('not_found', `No order set ${request.order_set}: GET /v1/routing/order-sets lists them.`));
    return ok({ from: Date.parse(set.first_placed_at), to: Date.parse(set.last_placed_at) + 1, orderSetId: set.id });
  }
  if (request.from === undefined) return fail(invalid('/from', 'is required (or give an order_set)'));
  if (request.to === undefined) return fail(invalid('/to', 'is required (or give an order_set)'));
  if (request.stock_basis === 'snapshot')
    return fail(invalid('/stock_basis', 'snapshot is for an order set: a period replays on ledger or replay'));
  const from = Date.parse(request.from);
  const to = Date.parse(request.to);
  if (Number.isNaN(from)) return fail(invalid('/from', 'must be an ISO 8601 date or time'));
  if (Number.isNaN(to)) return fail(invalid('/to', 'must be an ISO 8601 date or time'));
  if (to <= from) return fail(invalid('/to', 'must be after from'));
  return ok({ from, to, orderSetId: null });
}

const missingVersion = (version: number) =>
  problem(
    'not_found',
    `No routing rules version ${version}: GET /v1/routing/rules lists every version in its history.`,
  );

export async function createSimulation(
  executor: Executor,
  parameters: SimulationParameters,
  actor: string | null,
): Promise<Simulation> {
  const row = await queryOne<Row>(
    executor,
    sql`insert into routing_simulations (id, parameters, created_by)
        values (${newId('sim')}, ${JSON.stringify(parameters)}::jsonb, ${actor}) returning *`,
  );
  return present(row!);
}

export async function getSimulation(executor: Executor, id: string): Promise<Simulation | undefined> {
  const row = await queryOne<Row>(executor, sql`select * from routing_simulations where id = ${id}`);
  return row && present(row);
}

/** Newest first, without their results (GET one for those); `limit` rows after the cursor's ID. */
export async function listSimulations(
  executor: Executor,
  limit: number,
  before: string | undefined,
): Promise<Simulation[]> {
  const rows = await query<Row>(
    executor,
    sql`select id, status, parameters, orders_total, orders_done, changed_orders, error, created_by, created_at, started_at, finished_at
        from routing_simulations ${before ? sql`where id < ${before}` : sql``}
        order by id desc limit ${limit}`,
  );
  return rows.map(present);
}

/** `limit` changed orders in replay order after sequence number `after`. */
export async function listChanges(
  executor: Executor,
  id: string,
  limit: number,
  after: number,
): Promise<{ seq: number; body: unknown }[]> {
  return query<{ seq: number; body: unknown }>(
    executor,
    sql`select seq, body from routing_simulation_changes where simulation_id = ${id} and seq > ${after}
        order by seq limit ${limit}`,
  );
}

/** After this long without a heartbeat, a running simulation's process is taken to be gone. */
const STALE_AFTER = '60 seconds';

/**
 * Claims the oldest queued simulation (or one whose runner stopped beating), or the one named
 * `id`, by compare-and-set, clearing what an interrupted run left; undefined when there is none.
 */
export async function claimSimulation(executor: Executor, id?: string): Promise<Simulation | undefined> {
  const row = await queryOne<Row>(
    executor,
    sql`with next as (
          select id from routing_simulations
          where (status = 'queued' or (status = 'running' and heartbeat_at < now() - ${STALE_AFTER}::interval))
            ${id === undefined ? sql`` : sql`and id = ${id}`}
          order by created_at, id limit 1 for update skip locked),
        cleared as (delete from routing_simulation_changes where simulation_id in (select id from next))
        update routing_simulations s
        set status = 'running', started_at = now(), heartbeat_at = now(), orders_done = 0, changed_orders = null
        from next where s.id = next.id
        returning s.*`,
  );
  return row && present(row);
}

/** Records progress (and that the runner is alive) and stores a batch of changed orders. */
/**
 * Stores a batch of changed orders (each `body` a JSON object with its `order_id`, numbered from
 * `firstSeq`) as one JSON array parameter, and the job's progress.
 */
export async function recordProgress(
  executor: Executor,
  id: string,
  progress: { done: number; total: number },
  changes: { firstSeq: number; bodies: string[] },
): Promise<void> {
  if (changes.bodies.length > 0) {
    await executor.execute(sql`
      insert into routing_simulation_changes (simulation_id, seq, order_id, body)
      select ${id}, ${changes.firstSeq}::int + (t.n - 1)::int, t.body ->> 'order_id', t.body
      from json_array_elements(${`[${changes.bodies.join(',')}]`}::json) with ordinality as t(body, n)`);
  }
  await executor.execute(sql`
    update routing_simulations set orders_done = ${progress.done}, orders_total = ${progress.total}, heartbeat_at = now()
    where id = ${id} and status = 'running'`);
}

export async function finishSimulation(
  executor: Executor,
  id: string,
  outcome: { result: string; changed: number } | { error: string },
): Promise<void> {
  if ('error' in outcome) {
    await executor.execute(sql`
      update routing_simulations set status = 'failed', error = ${outcome.error}, finished_at = now()
      where id = ${id} and status = 'running'`);
    return;
  }
  await executor.execute(sql`
    update routing_simulations set status = 'succeeded', result = ${outcome.result}::json, changed_orders = ${outcome.changed},
           finished_at = now(), orders_done = orders_total
    where id = ${id} and status = 'running'`);
}
