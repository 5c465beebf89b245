import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../../db/index.ts';
import { cancelOrder, getOrder, holdOrder, type OrderView as Order } from '../../orders/index.ts';
import { recordPlatformRefund } from '../../payments/index.ts';
import { newId } from '../../shared/ids.ts';
import { toMinor } from '../money.ts';
import type { ConnectorRow } from '../settings.ts';
import type { LineUnits, OrderState, PlatformEdit, PlatformRefund } from './read.ts';

interface StoredEvent {
  kind: 'cancel' | 'edit' | 'refund';
  data: { reason?: string } & Partial<PlatformEdit> & Partial<PlatformRefund>;
}

const actorOf = (connector: ConnectorRow) => `connector:${connector.platform}`;

/** The Consign order a platform order became, if it did. */
export async function orderOfExternal(executor: Executor, channelId: string, externalId: string) {
  return queryOne<{ id: string }>(
    executor,
    sql`select id from orders where channel_id = ${channelId} and external_id = ${externalId}`,
  );
}

/**
 * Serializes what happens to one platform order: a placement settling its pending events and
 * an event arriving for it at the same moment take turns, so the event is either seen pending
 * by the placement or sees the placed order — never neither.
 */
export async function lockExternal(executor: Executor, channelId: string, externalId: string): Promise<void> {
  await executor.execute(sql`select pg_advisory_xact_lock(hashtext(${`connector:${channelId}:${externalId}`}))`);
}

/** The events a state carries, each under the key that makes it unique for its order. */
function eventsOf(state: OrderState): { key: string; event: StoredEvent }[] {
  return [
    ...(state.cancelled
      ? [{ key: 'cancel', event: { kind: 'cancel' as const, data: { reason: state.cancelled } } }]
      : []),
    ...state.refunds.map((r) => ({ key: `refund:${r.id}`, event: { kind: 'refund' as const, data: r } })),
    ...state.edits.map((e) => ({ key: `edit:${e.id}`, event: { kind: 'edit' as const, data: e } })),
  ];
}

/**
 * Keeps a state's events (a repeat keeps the first): `pending` for an order Consign does not
 * have yet, applied to it once it does.
 */
export async function rememberEvents(
  executor: Executor,
  connector: ConnectorRow,
  externalId: string,
  state: OrderState,
  orderId: string | null,
): Promise<void> {
  for (const { key, event } of eventsOf(state)) {
    await executor.execute(sql`
      insert into connector_events (id, channel_id, platform, external_id, event_key, kind, data, status, order_id, applied_at)
      values (${newId('cev')}, ${connector.channel_id}, ${connector.platform}, ${externalId}, ${key}, ${event.kind},
              ${JSON.stringify(event.data)}::jsonb, ${orderId ? 'applied' : 'pending'}, ${orderId}, ${orderId ? sql`now()` : null})
      on conflict (channel_id, external_id, event_key) do nothing`);
  }
}

/** Every event the platform reported for this order (earlier ones included), marked applied to it. */
async function eventsOfOrder(
  executor: Executor,
  connector: ConnectorRow,
  externalId: string,
  orderId: string,
): Promise<StoredEvent[]> {
  await executor.execute(sql`
    update connector_events set status = 'applied', order_id = ${orderId}, applied_at = now()
    where channel_id = ${connector.channel_id} and external_id = ${externalId} and status = 'pending'`);
  return query<StoredEvent>(
    executor,
    sql`select kind, data from connector_events
        where channel_id = ${connector.channel_id} and external_id = ${externalId} order by created_at, id`,
  );
}

/** Units per line the platform removed: the larger of what its edits and its cancelling refunds say. */
function removedUnits(events: StoredEvent[], before: LineUnits[]): Map<string, number> {
  const sums = (kind: 'edit' | 'refund', pick: (e: StoredEvent['data']) => LineUnits[] | undefined) => {
    const total = new Map<string, number>();
    for (const e of events.filter((x) => x.kind === kind)) {
      for (const u of pick(e.data) ?? []) total.set(u.line_id, (total.get(u.line_id) ?? 0) + u.quantity);
    }
    return total;
  };
  const edits = sums('edit', (d) => d.removed);
  const refunds = sums('refund', (d) => d.cancel_lines);
  const removed = new Map<string, number>();
  for (const source of [edits, refunds, new Map(before.map((u) => [u.line_id, u.quantity]))]) {
    for (const [line, n] of source) removed.set(line, Math.max(removed.get(line) ?? 0, n));
  }
  return removed;
}

/**
 * A `review` hold that says what Consign could not apply, once: the same reason, held before
 * and released by a person, is not held again when the platform repeats itself.
 */
async function holdForReview(executor: Executor, order: Order, reason: string, actor: string, notes: string[]) {
  if (order.holds.some((h) => h.kind === 'review' && h.reason === reason)) return;
  const held = await holdOrder(executor, order.id, 'review', reason, actor);
  notes.push(held.ok ? `held for review: ${reason}` : `not held (${held.problem.detail}): ${reason}`);
}

/** What Consign's cancel path releases for these units (the value of each unit, as it voids it). */
function unitsValue(order: Order, units: LineUnits[]): number {
  return units.reduce((n, u) => {
    const line = order.lines.find((l) => l.line_id === u.line_id);
    if (!line || line.quantity === 0) return n;
    const lineValue = line.unit_price.amount * line.quantity - line.discount.amount + line.tax.amount;
    return n + Math.floor(lineValue / line.quantity) * u.quantity;
  }, 0);
}

/**
 * A platform refund against the order's payments. The units it cancels are released by the
 * cancel path (their value voided there): only the rest of the refund is recorded, against
 * what was captured, then what is still authorized.
 */
async function applyRefund(executor: Executor, connector: ConnectorRow, order: Order, refund: PlatformRefund) {
  const currency = refund.currency || order.total.currency;
  const amountMinor = toMinor(refund.amount, currency);
  const name = `${connector.platform} refund ${refund.id}`;
  if (amountMinor === undefined) return `${name}: ${refund.amount} is not an exact ${currency} amount`;
  const beyondUnits = amountMinor - unitsValue(order, refund.cancel_lines);
  if (beyondUnits <= 0) return undefined;
  const done = await recordPlatformRefund(executor, order.id, {
    refundId: refund.id,
    amountMinor: beyondUnits,
    currency,
    reason: refund.reason,
    actor: actorOf(connector),
  });
  if (!done.ok) return `${name}: ${done.problem.detail}`;
  if (done.value.status === 'already_recorded') return undefined;
  const left = done.value.unrecorded_minor;
  return `${name} recorded${left > 0 ? ` (${left} minor units of it were already released or refunded in Consign)` : ''}`;
}

/** Cancels, line by line, the units the platform removed that Consign still has open. */
async function applyRemovals(executor: Executor, connector: ConnectorRow, order: Order, removed: Map<string, number>) {
  const lines = [];
  for (const line of order.lines) {
    const q = line.quantities as Record<string, number>;
    const open = q.ordered! - q.cancelled! - q.shipped!;
    const quantity = Math.min(open, (removed.get(line.line_id) ?? 0) - q.cancelled!);
    if (quantity > 0) lines.push({ line_id: line.line_id, quantity });
  }
  if (lines.length === 0) return undefined;
  const done = await cancelOrder(executor, order.id, {
    lines,
    reason: `units removed on ${connector.platform}`,
    actor: actorOf(connector),
  });
  return done.ok
    ? `cancelled ${done.value.cancelled.map((c) => `${c.quantity} of line ${c.line_id}`).join(', ')}`
    : `units removed on ${connector.platform} not cancelled: ${done.problem.detail}`;
}

async function applyCancel(executor: Executor, connector: ConnectorRow, order: Order, reason: string) {
  if (order.status === 'cancelled') return undefined;
  const done = await cancelOrder(executor, order.id, { reason, actor: actorOf(connector) });
  return done.ok ? `cancelled (${reason})` : `${reason}, but ${done.problem.detail}`;
}

/**
 * Brings a Consign order in line with what its platform reported (now and before it existed
 * in Consign), through the order's own paths: cancellations and removed units through the
 * cancel path (releasing stock, voiding authorizations), then refunds recorded against its
 * payments (once per platform refund ID), and what Consign cannot apply (added lines, a buyer's
 * cancellation request) as a `review` hold that says so. Applying the same state again changes
 * nothing. Returns what was done.
 */
export async function settleOrder(
  executor: Executor,
  connector: ConnectorRow,
  orderId: string,
  externalId: string,
  state: OrderState,
  options: { placedNow: boolean },
): Promise<string[]> {
  await lockExternal(executor, connector.channel_id, externalId);
  await rememberEvents(executor, connector, externalId, state, orderId);
  const events = await eventsOfOrder(executor, connector, externalId, orderId);
  const removedBefore = options.placedNow && state.removed_before.length > 0;
  if (events.length === 0 && !removedBefore && !state.buyer_cancel_request) return []; // the usual create
  const notes: string[] = [];
  const current = async () => (await getOrder(executor, orderId, { placedNow: options.placedNow }))!;
  const note = (n: string | undefined) => n && notes.push(n);

  const cancel = events.find((e) => e.kind === 'cancel');
  if (cancel) {
    note(await applyCancel(executor, connector, await current(), cancel.data.reason ?? 'cancelled on the platform'));
  } else {
    const before = options.placedNow ? state.removed_before : [];
    note(await applyRemovals(executor, connector, await current(), removedUnits(events, before)));
  }
  for (const refund of events.filter((e) => e.kind === 'refund')) {
    note(await applyRefund(executor, connector, await current(), refund.data as PlatformRefund));
  }
  const actor = actorOf(connector);
  for (const edit of events.filter((e) => e.kind === 'edit' && (e.data.added ?? []).length > 0)) {
    const added = edit.data.added!.map((u) => `${u.quantity} × line ${u.line_id}`).join(', ');
    await holdForReview(
      executor,
      await current(),
      `${connector.platform} order edit ${edit.data.id} added ${added}, which Consign cannot add to a placed order: fulfil the added items as a new order, or cancel and re-place this one.`,
      actor,
      notes,
    );
  }
  if (state.buyer_cancel_request && !cancel) {
    await holdForReview(
      executor,
      await current(),
      `The buyer asked ${connector.platform} to cancel (${state.buyer_cancel_request}): cancel the order in Consign and on the platform, or release this hold to ship it.`,
      actor,
      notes,
    );
  }
  return notes;
}
