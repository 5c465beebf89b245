import { sql } from 'drizzle-orm';
import { archiveEvents } from '../../src/events/index.ts';
import { expectEqual, type Sim } from './context.ts';
import { readOrder } from './observe.ts';

/** Every order of the sequence's timeline, as `GET /v1/orders/{id}` shows it. */
async function timelines(sim: Sim): Promise<Record<string, unknown>> {
  const read: Record<string, unknown> = {};
  for (const order of sim.model.orders) read[order.id] = (await readOrder(sim, order.id)).timeline;
  return read;
}

/**
 * Event retention with a 0-day window (ADR 0045): every event each follower has passed (the
 * automation followers the automation steps run) moves to the archive mid-sequence. Each order's
 * timeline must read the same before and after; the later steps' event checks read on through
 * `event_history`.
 */
export async function archive(sim: Sim) {
  // No notifier runs here: its cursor (made by migration 0022) stands where a notifier would be.
  await sim.db.execute(sql`
    update outbox_cursors set last_event_id = greatest(last_event_id, (select coalesce(max(id), 0) from events))
    where name = 'notifications'`);
  const before = await timelines(sim);
  const moved = await archiveEvents(sim.db, { retentionDays: 0 });
  expectEqual(await timelines(sim), before, 'order timelines across event archival');
  return `archived ${moved} events, ${Object.keys(before).length} timelines unchanged`;
}
