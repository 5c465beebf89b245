import { sql } from 'drizzle-orm';
import { query, queryOne, toIso, type Executor } from '../db/index.ts';
import { problem, type Problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { recordOrderEvent } from './events.ts';

/** A tag: 1–64 lower-case letters, digits, `_`, `:` or `-`, starting with a letter or digit. */
const TAG_PATTERN = /^[a-z0-9][a-z0-9_:-]{0,63}$/;
export const TAG_RULE = 'a tag is 1–64 lower-case letters, digits, "_", ":" or "-", starting with a letter or digit';

/** The longest note, in characters. */
export const NOTE_MAX = 2000;

/** A `validation_failed` problem for every tag of `tags` that breaks `TAG_PATTERN`, or undefined. */
export function invalidTags(tags: string[], pointer: (index: number) => string): Problem | undefined {
  const errors = tags.flatMap((tag, i) => (TAG_PATTERN.test(tag) ? [] : [{ pointer: pointer(i), message: TAG_RULE }]));
  return errors.length
    ? problem('validation_failed', `"${tags.find((t) => !TAG_PATTERN.test(t))}": ${TAG_RULE}.`, { errors })
    : undefined;
}

/** Locks the order's row (its tags and notes change one writer at a time), or a `not_found`. */
async function lockOrder(executor: Executor, orderId: string): Promise<Problem | undefined> {
  const order = await queryOne(executor, sql`select id from orders where id = ${orderId} for update`);
  return order ? undefined : problem('not_found', `No order ${orderId}.`);
}

async function tagsOf(executor: Executor, orderId: string): Promise<string[]> {
  const rows = await query<{ tag: string }>(
    executor,
    sql`select tag from order_tags where order_id = ${orderId} order by tag`,
  );
  return rows.map((r) => r.tag);
}

/** Tags an order (each tag once); `order.tagged` on the timeline when the tag is new. */
export async function tagOrder(
  executor: Executor,
  orderId: string,
  tag: string,
  actor: string,
): Promise<Result<{ added: boolean }>> {
  const missing = await lockOrder(executor, orderId);
  if (missing) return fail(missing);
  return ok({ added: await addTag(executor, orderId, tag, actor) });
}

async function addTag(executor: Executor, orderId: string, tag: string, actor: string): Promise<boolean> {
  const added = await query(
    executor,
    sql`insert into order_tags (order_id, tag, created_by) values (${orderId}, ${tag}, ${actor})
        on conflict (order_id, tag) do nothing returning tag`,
  );
  if (added.length > 0) await recordOrderEvent(executor, orderId, 'order.tagged', actor, { tag });
  return added.length > 0;
}

async function removeTag(executor: Executor, orderId: string, tag: string, actor: string): Promise<void> {
  const removed = await query(
    executor,
    sql`delete from order_tags where order_id = ${orderId} and tag = ${tag} returning tag`,
  );
  if (removed.length > 0) await recordOrderEvent(executor, orderId, 'order.untagged', actor, { tag });
}

/**
 * Changes an order's tags: `add` and `remove` them, or `replace` them all (what is not listed
 * goes). Each tag that comes is an `order.tagged` event and each that goes an `order.untagged`;
 * a tag already there (or already gone) changes nothing. Returns the order's tags, sorted.
 */
export async function changeOrderTags(
  executor: Executor,
  orderId: string,
  change: { add?: string[]; remove?: string[]; replace?: string[] },
  actor: string,
): Promise<Result<{ tags: string[] }>> {
  const missing = await lockOrder(executor, orderId);
  if (missing) return fail(missing);
  const before = await tagsOf(executor, orderId);
  const add = change.replace ?? change.add ?? [];
  const remove = change.replace ? before.filter((t) => !change.replace!.includes(t)) : (change.remove ?? []);
  for (const tag of [...new Set(remove)].sort()) await removeTag(executor, orderId, tag, actor);
  for (const tag of [...new Set(add)].sort()) await addTag(executor, orderId, tag, actor);
  return ok({ tags: await tagsOf(executor, orderId) });
}

interface OrderNote {
  id: string;
  text: string;
  author: string | null;
  created_at: string | null;
}

/** A note as its `order.note_added` event carries it (the note is the event: it is on the timeline). */
export function noteOf(event: {
  id: number | string;
  payload: Record<string, unknown>;
  created_at: string;
}): OrderNote {
  return {
    id: String(event.id),
    text: String(event.payload.note ?? ''),
    author: (event.payload.actor as string | null | undefined) ?? null,
    created_at: toIso(event.created_at),
  };
}

const notesSql = (orderId: string, last = false) =>
  sql`select id, payload, created_at from event_history
      where subject_id = ${orderId} and type = 'order.note_added'
      order by id ${last ? sql`desc limit 1` : sql``}`;

/** The order's notes, oldest first. */
export async function orderNotes(executor: Executor, orderId: string): Promise<OrderNote[]> {
  const rows = await query<{ id: number; payload: Record<string, unknown>; created_at: string }>(
    executor,
    notesSql(orderId),
  );
  return rows.map(noteOf);
}

/** Writes a note on the order's timeline (`order.note_added`), by `actor`; returns it. */
export async function noteOrder(
  executor: Executor,
  orderId: string,
  note: string,
  actor: string,
): Promise<Result<OrderNote>> {
  const missing = await lockOrder(executor, orderId);
  if (missing) return fail(missing);
  await recordOrderEvent(executor, orderId, 'order.note_added', actor, { note });
  // Under the order's lock, the newest note is the one just written.
  const [written] = await query<{ id: number; payload: Record<string, unknown>; created_at: string }>(
    executor,
    notesSql(orderId, true),
  );
  return ok(noteOf(written!));
}
