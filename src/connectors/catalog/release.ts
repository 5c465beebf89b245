import { sql } from 'drizzle-orm';
import { query, type Db } from '../../db/index.ts';
import { placeReviewed } from '../reviews.ts';

/** The most held orders one change of mappings tries again (the rest on the next change, or by hand). */
const RELEASE_LIMIT = 200;

/**
 * Tries again the channel's orders held for unmapped items, oldest first, each unchanged through
 * the now-current mappings: those that resolve are placed; the others stay held, with the reason
 * they are still refused (another unmapped line, or a problem the mapping does not fix).
 */
export async function releaseUnmapped(db: Db, channelId: string): Promise<{ review_id: string; order_id: string }[]> {
  const held = await query<{ id: string }>(
    db,
    sql`select id from connector_reviews
        where channel_id = ${channelId} and status = 'held' and problem ->> 'code' = 'unmapped_item'
        order by created_at, id limit ${RELEASE_LIMIT}`,
  );
  const released: { review_id: string; order_id: string }[] = [];
  for (const { id } of held) {
    const placed = await placeReviewed(db, id);
    if (placed.ok && placed.value.result !== 'held_for_review') {
      const { value } = placed;
      released.push({ review_id: id, order_id: value.result === 'shadowed' ? value.shadow.id : value.order.id });
    } else if (!placed.ok) {
      // Mapped now, but refused for another reason: the review says which, and waits for a person.
      await db.execute(sql`
        update connector_reviews set problem = ${JSON.stringify(placed.problem)}::jsonb, updated_at = now()
        where id = ${id} and status = 'held'`);
    }
  }
  return released;
}
