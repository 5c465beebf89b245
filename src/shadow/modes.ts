import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { getChannel, setChannelMode, type Channel } from '../network/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';

/** How many undecided orders a refusal lists. */
const LISTED = 100;

/**
 * The shadow orders of a channel the legacy system has said nothing decisive of yet: no
 * allocation, shipment, whole cancellation or status past `created`.
 */
async function undecidedOrders(executor: Executor, channelId: string) {
  const undecided = sql`from shadow_orders s
    where s.channel_id = ${channelId} and not exists (
      select 1 from shadow_outcomes o
      where o.channel_id = s.channel_id and o.external_id = s.external_id
        and (o.kind in ('allocation', 'shipment') or (o.kind = 'cancellation' and o.sku is null)
             or (o.kind = 'status' and o.status <> 'created')))`;
  const count = await queryOne<{ count: number }>(executor, sql`select count(*)::int as count ${undecided}`);
  const listed = await query<{ id: string; external_id: string }>(
    executor,
    sql`select s.id, s.external_id ${undecided} order by s.placed_at, s.id limit ${LISTED}`,
  );
  return { count: count!.count, listed };
}

/** Puts a channel in shadow mode: its new orders are decided only. A shadow channel stays as it is. */
export async function enterShadow(executor: Executor, channelId: string): Promise<Result<Channel>> {
  const moved = await setChannelMode(executor, channelId, 'live', 'shadow');
  if (moved) return ok(moved);
  const channel = await getChannel(executor, channelId);
  return channel ? ok(channel) : fail(problem('not_found', `No channel ${channelId}.`));
}

/**
 * Takes a shadow channel live: refused (409 `shadow_undecided`, listing them) while any of its
 * shadow orders has no decision from the legacy system, since neither side would then handle it.
 */
export async function goLive(executor: Executor, channelId: string): Promise<Result<Channel>> {
  await executor.execute(sql`select id from channels where id = ${channelId} for update`);
  const channel = await getChannel(executor, channelId);
  if (!channel) return fail(problem('not_found', `No channel ${channelId}.`));
  if (channel.mode !== 'shadow')
    return fail(problem('channel_not_shadow', `Channel ${channelId} is already live.`, { mode: channel.mode }));
  const undecided = await undecidedOrders(executor, channelId);
  if (undecided.count > 0)
    return fail(
      problem(
        'shadow_undecided',
        `${undecided.count} shadow order(s) of channel ${channelId} have no decision from the legacy system yet; send their outcomes first.`,
        { undecided_count: undecided.count, undecided: undecided.listed },
      ),
    );
  return ok((await setChannelMode(executor, channelId, 'shadow', 'live'))!);
}
