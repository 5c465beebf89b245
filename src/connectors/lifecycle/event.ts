import { inTransaction, type Db } from '../../db/index.ts';
import { getOrder, type OrderView } from '../../orders/index.ts';
import { ok, type Result } from '../../shared/result.ts';
import type { ConnectorRow } from '../settings.ts';
import type { PlatformEvent } from './read.ts';
import { lockExternal, orderOfExternal, rememberEvents, settleOrder } from './settle.ts';

/** What a delivery that is not a whole order did. */
export type EventIntake =
  | { result: 'updated' | 'unchanged'; status: 200; order: OrderView; detail: string }
  | { result: 'pending_order'; status: 202; detail: string }
  | { result: 'ignored'; status: 200; detail: string };

/**
 * A cancellation, refund or edit of a platform order. Applied to the Consign order when there
 * is one; otherwise remembered and applied when the order arrives (deliveries come in any order).
 */
export async function intakeEvent(
  db: Db,
  connector: ConnectorRow,
  event: Exclude<PlatformEvent, { type: 'order' }>,
): Promise<Result<EventIntake>> {
  if (event.type === 'ignored') return ok({ result: 'ignored', status: 200, detail: event.detail });
  const { externalId, state, what } = event;
  return inTransaction(db, async (tx): Promise<Result<EventIntake>> => {
    await lockExternal(tx, connector.channel_id, externalId);
    const order = await orderOfExternal(tx, connector.channel_id, externalId);
    if (!order) {
      await rememberEvents(tx, connector, externalId, state, null);
      return ok({
        result: 'pending_order',
        status: 202,
        detail: `${connector.platform} order ${externalId} is not in Consign yet: its ${what} is kept and applied when the order arrives.`,
      });
    }
    const notes = await settleOrder(tx, connector, order.id, externalId, state, { placedNow: false });
    const view = (await getOrder(tx, order.id))!;
    return ok(
      notes.length > 0
        ? { result: 'updated', status: 200, order: view, detail: notes.join('; ') }
        : {
            result: 'unchanged',
            status: 200,
            order: view,
            detail: `${what} was already applied.`,
          },
    );
  });
}
