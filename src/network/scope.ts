import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { namedIdSql } from './resolve.ts';

export interface LocationScope {
  channelId?: string | undefined;
  locationGroupId?: string | undefined;
  locationId?: string | undefined;
}

/**
 * The active locations a request may draw stock from: one location, a location group, a
 * channel's group, or (none given) the whole network. `null` means "the whole network".
 */
export async function resolveLocationScope(executor: Executor, scope: LocationScope): Promise<Result<string[] | null>> {
  let groupId = scope.locationGroupId;
  if (scope.channelId) {
    const rows = await query<{ location_group_id: string }>(
      executor,
      sql`select location_group_id from channels where id = ${namedIdSql('channels', scope.channelId)}`,
    );
    if (!rows[0]) return fail(problem('unknown_reference', `No channel ${scope.channelId}.`));
    if (groupId && groupId !== rows[0].location_group_id) {
      return fail(problem('validation_failed', 'Give either channel or location_group, not both.'));
    }
    groupId = rows[0].location_group_id;
  }
  let ids: string[] | null = null;
  if (groupId) {
    const rows = await query<{ id: string; group_found: boolean }>(
      executor,
      sql`select g.id as group_id, l.id
          from location_groups g
          left join location_group_members m on m.group_id = g.id
          left join locations l on l.id = m.location_id and l.active
          where g.id = ${namedIdSql('location_groups', groupId)}`,
    );
    if (rows.length === 0) return fail(problem('unknown_reference', `No location group ${groupId}.`));
    ids = rows.map((r) => r.id).filter((id): id is string => id !== null);
  }
  if (scope.locationId) {
    if (ids && !ids.includes(scope.locationId)) {
      return fail(
        problem('validation_failed', `Location ${scope.locationId} is not in the requested group or channel.`),
      );
    }
    ids = [scope.locationId];
  }
  return ok(ids);
}
