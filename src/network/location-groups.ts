import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { tables, toIso, type Executor } from '../db/index.ts';
import { newId } from '../shared/ids.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import type { CreateLocationGroup, UpdateLocationGroup } from './schemas.ts';

export interface LocationGroup {
  id: string;
  code: string | null;
  name: string;
  location_ids: string[];
  created_at: string | null;
  updated_at: string | null;
}

async function missingLocations(executor: Executor, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = await executor
    .select({ id: tables.locations.id })
    .from(tables.locations)
    .where(inArray(tables.locations.id, ids));
  const known = new Set(found.map((r) => r.id));
  return ids.filter((id) => !known.has(id));
}

function unknownLocations(missing: string[]) {
  return fail(problem('unknown_location', `Unknown location(s): ${missing.join(', ')}.`, { location_ids: missing }));
}

async function setMembers(executor: Executor, groupId: string, locationIds: string[]) {
  await executor.delete(tables.locationGroupMembers).where(eq(tables.locationGroupMembers.groupId, groupId));
  if (locationIds.length > 0) {
    await executor
      .insert(tables.locationGroupMembers)
      .values(locationIds.map((locationId) => ({ groupId, locationId })));
  }
}

export async function createLocationGroup(
  executor: Executor,
  input: CreateLocationGroup,
): Promise<Result<LocationGroup>> {
  const missing = await missingLocations(executor, input.location_ids);
  if (missing.length > 0) return unknownLocations(missing);
  const id = newId('lgr');
  await executor.insert(tables.locationGroups).values({ id, code: input.code ?? null, name: input.name });
  await setMembers(executor, id, input.location_ids);
  return ok((await getLocationGroup(executor, id))!);
}

export async function updateLocationGroup(
  executor: Executor,
  id: string,
  input: UpdateLocationGroup,
): Promise<Result<LocationGroup>> {
  const [row] = await executor
    .update(tables.locationGroups)
    .set({
      ...(input.code !== undefined && { code: input.code }),
      ...(input.name !== undefined && { name: input.name }),
      updatedAt: sql`now()`,
    })
    .where(eq(tables.locationGroups.id, id))
    .returning({ id: tables.locationGroups.id });
  if (!row) return fail(problem('not_found', `No location group ${id}.`));
  if (input.location_ids) {
    const missing = await missingLocations(executor, input.location_ids);
    if (missing.length > 0) return unknownLocations(missing);
    await setMembers(executor, id, input.location_ids);
  }
  return ok((await getLocationGroup(executor, id))!);
}

export async function listLocationGroups(
  executor: Executor,
  filter: { after?: string | undefined; limit: number; ids?: string[] },
): Promise<LocationGroup[]> {
  const g = tables.locationGroups;
  const rows = await executor
    .select({
      id: g.id,
      code: g.code,
      name: g.name,
      createdAt: g.createdAt,
      updatedAt: g.updatedAt,
      locationIds: sql<
        string[]
      >`coalesce((select array_agg(m.location_id order by m.location_id) from location_group_members m where m.group_id = ${g.id}), '{}')`,
    })
    .from(g)
    .where(and(filter.after ? gt(g.id, filter.after) : undefined, filter.ids ? inArray(g.id, filter.ids) : undefined))
    .orderBy(asc(g.id))
    .limit(filter.limit);
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    location_ids: r.locationIds,
    created_at: toIso(r.createdAt),
    updated_at: toIso(r.updatedAt),
  }));
}

export async function getLocationGroup(executor: Executor, id: string): Promise<LocationGroup | undefined> {
  const [group] = await listLocationGroups(executor, { ids: [id], limit: 1 });
  return group;
}
