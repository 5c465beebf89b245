import { and, asc, eq, gt, or, sql } from 'drizzle-orm';
import { tables, toIso, type Executor } from '../db/index.ts';
import { newId } from '../shared/ids.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import type { CreateLocation, UpdateLocation } from './schemas.ts';

type LocationRow = typeof tables.locations.$inferSelect;

function presentLocation(row: LocationRow) {
  return {
    id: row.id,
    code: row.code,
    type: row.type,
    name: row.name,
    address: row.address,
    latitude: row.latitude,
    longitude: row.longitude,
    timezone: row.timezone,
    capabilities: row.capabilities,
    daily_capacity: row.dailyCapacity,
    cutoff_time: row.cutoffTime,
    priority: row.priority,
    active: row.active,
    created_at: toIso(row.createdAt),
    updated_at: toIso(row.updatedAt),
  };
}
export type Location = ReturnType<typeof presentLocation>;

export function isValidTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

function badTimeZone(timezone: string) {
  return fail(
    problem('validation_failed', `"${timezone}" is not an IANA time zone (e.g. America/New_York).`, {
      errors: [{ pointer: '/timezone', message: 'unknown time zone' }],
    }),
  );
}

export async function createLocation(executor: Executor, input: CreateLocation): Promise<Result<Location>> {
  if (!isValidTimeZone(input.timezone)) return badTimeZone(input.timezone);
  const [row] = await executor
    .insert(tables.locations)
    .values({
      id: newId('loc'),
      code: input.code ?? null,
      type: input.type,
      name: input.name,
      address: input.address,
      latitude: input.latitude ?? null,
      longitude: input.longitude ?? null,
      timezone: input.timezone,
      capabilities: input.capabilities,
      dailyCapacity: input.daily_capacity ?? null,
      cutoffTime: input.cutoff_time ?? null,
      priority: input.priority ?? 0,
      active: input.active ?? true,
    })
    .returning();
  return ok(presentLocation(row!));
}

export async function updateLocation(executor: Executor, id: string, input: UpdateLocation): Promise<Result<Location>> {
  if (input.timezone !== undefined && !isValidTimeZone(input.timezone)) return badTimeZone(input.timezone);
  const [row] = await executor
    .update(tables.locations)
    .set({
      ...(input.code !== undefined && { code: input.code }),
      ...(input.type !== undefined && { type: input.type }),
      ...(input.name !== undefined && { name: input.name }),
      ...(input.address !== undefined && { address: input.address }),
      ...(input.latitude !== undefined && { latitude: input.latitude }),
      ...(input.longitude !== undefined && { longitude: input.longitude }),
      ...(input.timezone !== undefined && { timezone: input.timezone }),
      ...(input.capabilities !== undefined && { capabilities: input.capabilities }),
      ...(input.daily_capacity !== undefined && { dailyCapacity: input.daily_capacity }),
      ...(input.cutoff_time !== undefined && { cutoffTime: input.cutoff_time }),
      ...(input.priority !== undefined && { priority: input.priority }),
      ...(input.active !== undefined && { active: input.active }),
      updatedAt: sql`now()`,
    })
    .where(eq(tables.locations.id, id))
    .returning();
  return row ? ok(presentLocation(row)) : fail(problem('not_found', `No location ${id}.`));
}

export async function getLocation(executor: Executor, id: string): Promise<Location | undefined> {
  const [row] = await executor.select().from(tables.locations).where(eq(tables.locations.id, id));
  return row && presentLocation(row);
}

/** A location by its ID or its code (operators know `NYC-SOHO`, not `loc_01h…`). */
export async function findLocation(executor: Executor, idOrCode: string): Promise<Location | undefined> {
  const l = tables.locations;
  const [row] = await executor
    .select()
    .from(l)
    .where(or(eq(l.id, idOrCode), eq(l.code, idOrCode)))
    .orderBy(sql`${l.id} = ${idOrCode} desc`)
    .limit(1);
  return row && presentLocation(row);
}

interface LocationFilter {
  type?: string | undefined;
  capability?: string | undefined;
  after?: string | undefined;
  limit: number;
}

export async function listLocations(executor: Executor, filter: LocationFilter): Promise<Location[]> {
  const l = tables.locations;
  const rows = await executor
    .select()
    .from(l)
    .where(
      and(
        filter.type ? eq(l.type, filter.type) : undefined,
        filter.capability ? sql`${filter.capability} = any(${l.capabilities})` : undefined,
        filter.after ? gt(l.id, filter.after) : undefined,
      ),
    )
    .orderBy(asc(l.id))
    .limit(filter.limit);
  return rows.map(presentLocation);
}
