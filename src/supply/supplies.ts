import { sql } from 'drizzle-orm';
import { query, queryOne, toIso, type Executor } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';
import { checkReferences, isCalendarDay, today } from '../inventory/index.ts';
import { resolveLocationId } from '../network/index.ts';
import { newId } from '../shared/ids.ts';
import { problem, type Problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { withPromiseEvents } from './promise-events.ts';
import type { CreateSupply, UpdateSupply } from './schemas.ts';

interface SupplyRow {
  id: string;
  kind: string;
  reference: string;
  location_id: string;
  expected_on: string;
  status: 'open' | 'received' | 'cancelled';
  version: number;
  created_at: string;
  updated_at: string;
  received_at: string | null;
  cancelled_at: string | null;
  lines: { sku: string; quantity: number; received: number }[];
}

const supplySql = sql`select s.id, s.kind, s.reference, s.location_id, to_char(s.expected_on, 'YYYY-MM-DD') as expected_on, s.status,
         s.version, s.created_at, s.updated_at, s.received_at, s.cancelled_at,
         coalesce((select jsonb_agg(jsonb_build_object('sku', l.sku, 'quantity', l.quantity, 'received', l.received) order by l.sku)
                   from supply_lines l where l.supply_id = s.id), '[]'::jsonb) as lines
  from supplies s`;

function presentSupply(row: SupplyRow) {
  return {
    ...row,
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
    received_at: toIso(row.received_at),
    cancelled_at: toIso(row.cancelled_at),
  };
}
export type SupplyView = ReturnType<typeof presentSupply>;

export async function getSupply(executor: Executor, id: string): Promise<SupplyView | undefined> {
  const row = await queryOne<SupplyRow>(executor, sql`${supplySql} where s.id = ${id}`);
  return row && presentSupply(row);
}

interface SupplyFilter {
  status?: string | undefined;
  sku?: string | undefined;
  locationId?: string | undefined;
  after?: string | undefined;
  limit: number;
}

/** Supplies by ID (oldest first), filtered by status, SKU or location. */
export async function listSupplies(executor: Executor, filter: SupplyFilter): Promise<SupplyView[]> {
  const rows = await query<SupplyRow>(
    executor,
    sql`${supplySql}
        where true
          ${filter.status ? sql`and s.status = ${filter.status}` : sql``}
          ${filter.locationId ? sql`and s.location_id = ${filter.locationId}` : sql``}
          ${filter.sku ? sql`and exists (select 1 from supply_lines l where l.supply_id = s.id and l.sku = ${filter.sku})` : sql``}
          ${filter.after ? sql`and s.id > ${filter.after}` : sql``}
        order by s.id limit ${filter.limit}`,
  );
  return rows.map(presentSupply);
}

/** A day before today cannot be a day goods are expected. */
function pastExpectedOn(expectedOn: string, pointer = '/expected_on'): Problem | undefined {
  if (!isCalendarDay(expectedOn)) {
    return problem('validation_failed', `expected_on ${expectedOn} is not a day of the calendar.`, {
      errors: [{ pointer, message: 'is not a day of the calendar' }],
    });
  }
  const now = today();
  if (expectedOn >= now) return undefined;
  return problem('date_in_past', `expected_on ${expectedOn} is before today (${now}, UTC).`, {
    expected_on: expectedOn,
    today: now,
    errors: [{ pointer, message: `is before ${now}` }],
  });
}

/** Checks a supply's location, date and lines; the location's ID when they hold. */
async function checkSupply(
  executor: Executor,
  input: { location_id?: string; expected_on?: string | undefined; lines?: { sku: string }[] | undefined },
): Promise<Result<string | undefined>> {
  const past = input.expected_on === undefined ? undefined : pastExpectedOn(input.expected_on);
  if (past) return fail(past);
  const skus = (input.lines ?? []).map((l) => l.sku);
  const twice = skus.findIndex((sku, i) => skus.indexOf(sku) !== i);
  if (twice >= 0) {
    return fail(
      problem('validation_failed', `SKU ${skus[twice]} is on two lines; give each SKU once.`, {
        errors: [{ pointer: `/lines/${twice}/sku`, message: 'is on an earlier line too' }],
      }),
    );
  }
  const locationId =
    input.location_id === undefined
      ? undefined
      : ((await resolveLocationId(executor, input.location_id)) ?? input.location_id);
  const unknown = await checkReferences(executor, skus, locationId === undefined ? [] : [locationId]);
  return unknown ? fail(unknown) : ok(locationId);
}

export function supplyEvent(
  type: string,
  supply: SupplyView,
  actor: string | null,
  extra: Record<string, unknown> = {},
) {
  return {
    type,
    subjectType: 'supply',
    subjectId: supply.id,
    payload: {
      supply_id: supply.id,
      kind: supply.kind,
      reference: supply.reference,
      location_id: supply.location_id,
      expected_on: supply.expected_on,
      status: supply.status,
      lines: supply.lines,
      ...extra,
      actor,
    },
  };
}

/** Records an open supply with its lines (`supply.created`); the same kind and reference twice is a 409. */
export async function createSupply(
  executor: Executor,
  input: CreateSupply,
  actor: string | null,
): Promise<Result<SupplyView>> {
  const checked = await checkSupply(executor, input);
  if (!checked.ok) return checked;
  const skus = input.lines.map((l) => l.sku);
  return withPromiseEvents(executor, skus, actor, () =>
    insertSupply(executor, { ...input, location_id: checked.value! }, actor),
  );
}

/** Writes a checked new supply (the location an ID) and its `supply.created` event. */
export async function insertSupply(
  executor: Executor,
  input: CreateSupply,
  actor: string | null,
): Promise<Result<SupplyView>> {
  const id = newId('sup');
  const inserted = await queryOne<{ id: string }>(
    executor,
    sql`with supply as (
          insert into supplies (id, kind, reference, location_id, expected_on, actor)
          values (${id}, ${input.kind}, ${input.reference}, ${input.location_id}, ${input.expected_on}::date, ${actor})
          on conflict (kind, reference) do nothing
          returning id),
        lines as (
          insert into supply_lines (supply_id, sku, quantity)
          select supply.id, t.sku, t.quantity
          from supply, jsonb_to_recordset(${JSON.stringify(input.lines)}::jsonb) as t(sku text, quantity int))
        select id from supply`,
  );
  if (!inserted) {
    return fail(
      problem('already_exists', `A ${input.kind} with reference ${input.reference} already exists.`, {
        kind: input.kind,
        reference: input.reference,
      }),
    );
  }
  const supply = (await getSupply(executor, id))!;
  await recordEvents(executor, [supplyEvent('supply.created', supply, actor)]);
  return ok(supply);
}

/** The supply locked for a change, or why it cannot change: unknown (404) or no longer open (409). */
export async function lockOpenSupply(executor: Executor, id: string): Promise<Result<SupplyView>> {
  const locked = await queryOne<{ id: string }>(executor, sql`select id from supplies where id = ${id} for update`);
  const supply = locked && (await getSupply(executor, id));
  if (!supply) return fail(problem('not_found', `No supply ${id}.`));
  if (supply.status !== 'open') {
    return fail(
      problem('supply_not_open', `Supply ${id} is ${supply.status}; only an open supply can change.`, {
        supply_id: id,
        supply_status: supply.status,
      }),
    );
  }
  return ok(supply);
}

/**
 * Moves an open supply's expected date and/or replaces its lines (`supply.updated`, with the
 * previous date); promises that move with it are announced (`order.promise_changed`).
 */
export async function updateSupply(
  executor: Executor,
  id: string,
  input: UpdateSupply,
  actor: string | null,
): Promise<Result<SupplyView>> {
  const checked = await checkSupply(executor, input);
  if (!checked.ok) return checked;
  const locked = await lockOpenSupply(executor, id);
  if (!locked.ok) return locked;
  const previous = locked.value;
  const skus = [...previous.lines.map((l) => l.sku), ...(input.lines ?? []).map((l) => l.sku)];
  return withPromiseEvents(executor, skus, actor, () => changeSupply(executor, previous, input, actor));
}

/** Writes a checked change to a locked open supply and its `supply.updated` event. */
export async function changeSupply(
  executor: Executor,
  previous: SupplyView,
  input: UpdateSupply,
  actor: string | null,
): Promise<Result<SupplyView>> {
  const id = previous.id;
  await executor.execute(sql`
    update supplies set expected_on = coalesce(${input.expected_on ?? null}::date, expected_on),
                        version = version + 1, updated_at = now(), actor = ${actor}
    where id = ${id} and status = 'open'`);
  if (input.lines) {
    const lines = JSON.stringify(input.lines);
    await executor.execute(sql`
      delete from supply_lines where supply_id = ${id}
        and sku not in (select t.sku from jsonb_to_recordset(${lines}::jsonb) as t(sku text))`);
    await executor.execute(sql`
      insert into supply_lines (supply_id, sku, quantity)
      select ${id}, t.sku, t.quantity from jsonb_to_recordset(${lines}::jsonb) as t(sku text, quantity int)
      order by t.sku
      on conflict (supply_id, sku) do update set quantity = excluded.quantity`);
  }
  const supply = (await getSupply(executor, id))!;
  await recordEvents(executor, [
    supplyEvent('supply.updated', supply, actor, {
      previous_expected_on: previous.expected_on,
      slipped: supply.expected_on > previous.expected_on,
    }),
  ]);
  return ok(supply);
}

/** Cancels an open supply (`supply.cancelled`); what was promised from it moves to later supply or none. */
export async function cancelSupply(executor: Executor, id: string, actor: string | null): Promise<Result<SupplyView>> {
  const locked = await lockOpenSupply(executor, id);
  if (!locked.ok) return locked;
  return withPromiseEvents(
    executor,
    locked.value.lines.map((l) => l.sku),
    actor,
    async () => {
      await executor.execute(sql`
        update supplies set status = 'cancelled', cancelled_at = now(), version = version + 1, updated_at = now(), actor = ${actor}
        where id = ${id} and status = 'open'`);
      const supply = (await getSupply(executor, id))!;
      await recordEvents(executor, [supplyEvent('supply.cancelled', supply, actor)]);
      return ok(supply);
    },
  );
}
