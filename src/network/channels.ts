import { and, asc, eq, gt, or, sql } from 'drizzle-orm';
import { tables, toIso, type Executor } from '../db/index.ts';
import { newId } from '../shared/ids.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import type { CreateChannel } from './schemas.ts';

type ChannelRow = typeof tables.channels.$inferSelect;

/** live: orders are reserved and fulfilled; shadow: decided only, beside a legacy system. */
export type ChannelMode = 'live' | 'shadow';

function presentChannel(row: ChannelRow) {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    type: row.type,
    location_group_id: row.locationGroupId,
    currency: row.currency,
    mode: row.mode as ChannelMode,
    created_at: toIso(row.createdAt),
    updated_at: toIso(row.updatedAt),
  };
}
export type Channel = ReturnType<typeof presentChannel>;

export async function createChannel(executor: Executor, input: CreateChannel): Promise<Result<Channel>> {
  const [group] = await executor
    .select({ id: tables.locationGroups.id })
    .from(tables.locationGroups)
    .where(eq(tables.locationGroups.id, input.location_group_id));
  if (!group) {
    return fail(problem('unknown_reference', `No location group ${input.location_group_id}; create it first.`));
  }
  const [row] = await executor
    .insert(tables.channels)
    .values({
      id: newId('chn'),
      code: input.code ?? null,
      name: input.name,
      type: input.type,
      locationGroupId: input.location_group_id,
      currency: input.currency ?? 'USD',
      mode: input.mode ?? 'live',
    })
    .returning();
  return ok(presentChannel(row!));
}

export async function getChannel(executor: Executor, id: string): Promise<Channel | undefined> {
  const [row] = await executor.select().from(tables.channels).where(eq(tables.channels.id, id));
  return row && presentChannel(row);
}

/** A channel by its ID or its code (`web`, `marketplace`). */
export async function findChannel(executor: Executor, idOrCode: string): Promise<Channel | undefined> {
  const c = tables.channels;
  const [row] = await executor
    .select()
    .from(c)
    .where(or(eq(c.id, idOrCode), eq(c.code, idOrCode)))
    .orderBy(sql`${c.id} = ${idOrCode} desc`)
    .limit(1);
  return row && presentChannel(row);
}

export async function listChannels(
  executor: Executor,
  filter: { after?: string | undefined; limit: number },
): Promise<Channel[]> {
  const c = tables.channels;
  const rows = await executor
    .select()
    .from(c)
    .where(and(filter.after ? gt(c.id, filter.after) : undefined))
    .orderBy(asc(c.id))
    .limit(filter.limit);
  return rows.map(presentChannel);
}

/**
 * Moves a channel from one mode to the other by compare-and-set: undefined when the channel is
 * not in mode `from` (or does not exist). Whether it may move is its caller's to check.
 */
export async function setChannelMode(
  executor: Executor,
  id: string,
  from: ChannelMode,
  to: ChannelMode,
): Promise<Channel | undefined> {
  const c = tables.channels;
  const [row] = await executor
    .update(c)
    .set({ mode: to, updatedAt: sql`now()` })
    .where(and(eq(c.id, id), eq(c.mode, from)))
    .returning();
  return row && presentChannel(row);
}
