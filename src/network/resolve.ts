import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';

/** The network's records that clients may name by their ID or by their own code. */
export type NamedTable = 'channels' | 'locations' | 'location_groups';

/**
 * A scalar subquery: the ID of the channel, location or location group that `idOrCode` names by
 * its ID or its code, or NULL when none does. An ID wins over another record's equal code. For
 * statements that resolve the name themselves (one round trip, or a prepared statement's
 * placeholder).
 */
export function namedIdSql(table: NamedTable, idOrCode: string | Placeholder | SQL): SQL {
  return sql`(select id from ${sql.identifier(table)}
              where id = ${idOrCode} or code = ${idOrCode}
              order by id = ${idOrCode} desc limit 1)`;
}

/** The ID of the record `idOrCode` names by its ID or its code, or undefined when none does. */
export async function resolveNamedId(
  executor: Executor,
  table: NamedTable,
  idOrCode: string,
): Promise<string | undefined> {
  const row = await queryOne<{ id: string | null }>(executor, sql`select ${namedIdSql(table, idOrCode)} as id`);
  return row?.id ?? undefined;
}

export const resolveChannelId = (executor: Executor, idOrCode: string) =>
  resolveNamedId(executor, 'channels', idOrCode);

export const resolveLocationId = (executor: Executor, idOrCode: string) =>
  resolveNamedId(executor, 'locations', idOrCode);
