import { sql } from 'drizzle-orm';
import { query, queryOne, toIso, type Db, type Executor } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, type Result } from '../shared/result.ts';
import type { Intake } from './place.ts';
import { intakePayload } from './receive.ts';
import { readConnector } from './settings.ts';

interface ReviewRow {
  id: string;
  channel_id: string;
  platform: string;
  external_id: string;
  status: string;
  problem: unknown;
  order_id: string | null;
  created_at: string;
  updated_at: string;
}

const present = (row: ReviewRow) => ({ ...row, created_at: toIso(row.created_at), updated_at: toIso(row.updated_at) });

export async function listReviews(executor: Executor, status: string | undefined, limit: number) {
  const rows = await query<ReviewRow>(
    executor,
    sql`select id, channel_id, platform, external_id, status, problem, order_id, created_at, updated_at
        from connector_reviews ${status ? sql`where status = ${status}` : sql``} order by id desc limit ${limit}`,
  );
  return rows.map(present);
}

/**
 * Tries a held platform order again, unchanged, once its cause is fixed (the SKU added, the
 * channel's currency or location map corrected). Still not adding up: it stays held.
 */
export async function placeReviewed(db: Db, id: string): Promise<Result<Intake>> {
  const review = await queryOne<{ channel_id: string; payload: string; status: string }>(
    db,
    sql`select channel_id, payload, status from connector_reviews where id = ${id}`,
  );
  if (!review) return fail(problem('not_found', `No connector review ${id}.`));
  if (review.status !== 'held') {
    return fail(problem('illegal_transition', `Review ${id} is ${review.status}.`, { from: review.status }));
  }
  const connector = await readConnector(db, review.channel_id);
  if (!connector) return fail(problem('not_found', `Channel ${review.channel_id} has no connector any more.`));
  const intake = await intakePayload(db, { ...connector, on_mismatch: 'reject' }, review.payload);
  if (!intake.ok) return intake;
  if (intake.value.result !== 'held_for_review') {
    await db.execute(sql`
      update connector_reviews set status = 'placed', order_id = ${intake.value.result === 'shadowed' ? null : intake.value.order.id}, updated_at = now()
      where id = ${id} and status = 'held'`);
  }
  return intake;
}
