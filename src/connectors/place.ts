import { sql } from 'drizzle-orm';
import type { FastifySchemaCompiler } from 'fastify';
import { inTransaction, queryOne, type Db, type Executor } from '../db/index.ts';
import { requestHash } from '../http/idempotency.ts';
import { describeValidationErrors, validatorCompiler } from '../http/validation.ts';
import { CreateOrder, getOrder, placeOrder, type OrderView } from '../orders/index.ts';
import { newId } from '../shared/ids.ts';
import { problem, type Problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { parseExact } from './json.ts';
import { emptyState, orderState, type OrderState } from './lifecycle/read.ts';
import { settleOrder } from './lifecycle/settle.ts';
import { recordFirstSight, type FirstSight } from './catalog/mappings.ts';
import { resolveCatalog } from './catalog/resolve.ts';
import type { MapOutcome, Platform } from './mapping.ts';
import type { ConnectorRow } from './settings.ts';
import type { ShadowOrder } from '../shadow/index.ts';

export type Intake =
  | { result: 'created' | 'duplicate' | 'updated'; status: 200 | 201; order: OrderView; detail?: string }
  | { result: 'held_for_review'; status: 202; review_id: string; problem: Problem }
  /** A shadow channel's order: decided only (docs/shadow-mode.md). */
  | { result: 'shadowed'; status: 200 | 201; shadow: ShadowOrder };

const checkCanonical = (validatorCompiler as FastifySchemaCompiler<object>)({
  schema: CreateOrder,
  httpPart: 'body',
  method: 'POST',
  url: '/v1/orders',
}) as ((value: unknown) => boolean) & { errors?: unknown };

/** Problems that mean "this order does not add up here", which a channel may send to review instead. */
const MISMATCH = new Set([
  'validation_failed',
  'unknown_sku',
  'unknown_reference',
  'unknown_location',
  'unmapped_item',
]);

async function existingOrder(db: Db, channelId: string, externalId: string): Promise<OrderView | undefined> {
  const row = await queryOne<{ id: string }>(
    db,
    sql`select id from orders where channel_id = ${channelId} and external_id = ${externalId}`,
  );
  return row ? getOrder(db, row.id) : undefined;
}

/** The canonical order a mapping produced, or the problem that says why there is none. */
export function canonicalOrder(platform: Platform | 'imported', mapped: MapOutcome): Result<CreateOrder> {
  if (!mapped.ok) {
    const more = mapped.errors.length > 1 ? ` (and ${mapped.errors.length - 1} more)` : '';
    const detail = `The ${platform} order cannot be taken: ${mapped.errors[0]!.message}${more}.`;
    return fail(problem('validation_failed', detail, { errors: mapped.errors }));
  }
  if (!checkCanonical(mapped.order)) {
    const errors = describeValidationErrors(checkCanonical.errors as never, 'body');
    const detail = `The ${platform} order maps to an invalid order: ${errors[0]?.pointer} ${errors[0]?.message}.`;
    return fail(problem('validation_failed', detail, { errors }));
  }
  return ok(mapped.order);
}

/** What the platform says beyond the order's lines: its state, and the items seen with a platform SKU. */
interface Placement {
  /** Already cancelled, refunded, edited — and what came before the order did. */
  state?: OrderState;
  /** Recorded as the items' mappings with the order, so an order refused records none. */
  firstSight?: FirstSight[];
}

/**
 * Places a canonical order for the connector's channel, as `POST /v1/orders` would, then
 * records in the same transaction the first-sight mappings of its items and applies what the
 * platform says beyond its creation.
 */
export async function placeForConnector(
  executor: Executor,
  connector: ConnectorRow,
  input: CreateOrder,
  { state = emptyState(), firstSight = [] }: Placement = {},
) {
  const placed = await placeOrder(executor, input, {
    requestHash: requestHash('POST', '/v1/orders', input),
    actor: `connector:${connector.platform}`,
    channelOfKey: connector.channel_id,
  });
  if (!placed.ok || placed.value.replayed || placed.value.shadow) return placed;
  await recordFirstSight(executor, connector.channel_id, firstSight);
  const { id } = placed.value.order;
  const notes = await settleOrder(executor, connector, id, input.external_id, state, { placedNow: true });
  if (notes.length === 0) return placed;
  return ok({ ...placed.value, order: (await getOrder(executor, id, { placedNow: true }))! });
}

/** A platform order Consign already has: what the platform now says about it, applied. */
async function settleExisting(
  db: Db,
  connector: ConnectorRow,
  order: OrderView,
  state: OrderState,
): Promise<Result<Intake>> {
  return inTransaction(db, async (tx): Promise<Result<Intake>> => {
    const notes = await settleOrder(tx, connector, order.id, order.external_id, state, { placedNow: false });
    if (notes.length === 0) return ok({ result: 'duplicate', status: 200, order });
    const view = (await getOrder(tx, order.id))!;
    return ok({ result: 'updated', status: 200, order: view, detail: notes.join('; ') });
  });
}

/**
 * A mapped platform order, placed through the orders capability exactly as `POST /v1/orders`
 * places it (routing, holds, payments, events). The platform's order ID is the external ID:
 * a repeat delivery answers with the order already placed. An order that does not add up is
 * refused, or kept for review when the channel says so — never altered.
 */
export async function intakeOrder(
  db: Db,
  connector: ConnectorRow,
  mapped: MapOutcome,
  rawPayload: string,
): Promise<Result<Intake>> {
  const externalId = mapped.ok ? mapped.order.external_id : mapped.externalId;
  const resolved = await resolveCatalog(db, connector, mapped);
  if (resolved.unmapped && externalId) {
    // Fixed in Consign, not on the platform: always held, and placed once the mapping exists.
    return mismatch(db, { ...connector, on_mismatch: 'review_hold' }, externalId, resolved.unmapped, rawPayload);
  }
  const canonical = canonicalOrder(connector.platform, resolved.mapped);
  if (!canonical.ok) return mismatch(db, connector, externalId, canonical.problem, rawPayload);
  const input = canonical.value;
  const state = orderState(connector.platform, parseExact(rawPayload));
  const already = await existingOrder(db, connector.channel_id, input.external_id);
  if (already) return settleExisting(db, connector, already, state);
  const placed = await inTransaction(db, (tx) =>
    placeForConnector(tx, connector, input, { state, firstSight: resolved.firstSight }),
  );
  if (placed.ok) {
    const { order, replayed, shadow } = placed.value;
    if (shadow) return ok({ result: 'shadowed', status: replayed ? 200 : 201, shadow });
    return ok(replayed ? { result: 'duplicate', status: 200, order } : { result: 'created', status: 201, order });
  }
  if (placed.problem.code === 'idempotency_conflict') {
    const winner = await existingOrder(db, connector.channel_id, input.external_id);
    if (winner) return ok({ result: 'duplicate', status: 200, order: winner });
  }
  if (MISMATCH.has(placed.problem.code)) return mismatch(db, connector, input.external_id, placed.problem, rawPayload);
  return placed;
}

/** Keeps a platform order that could not be placed, for review (a repeat keeps the first). */
export async function holdForReview(
  executor: Executor,
  connector: ConnectorRow,
  externalId: string,
  refused: Problem,
  rawPayload: string,
): Promise<string> {
  const held = await queryOne<{ id: string }>(
    executor,
    sql`insert into connector_reviews (id, channel_id, platform, external_id, problem, payload)
        values (${newId('crv')}, ${connector.channel_id}, ${connector.platform}, ${externalId}, ${JSON.stringify(refused)}::jsonb, ${rawPayload})
        on conflict (channel_id, external_id) do update set updated_at = now()
        returning id`,
  );
  return held!.id;
}

async function mismatch(
  db: Db,
  connector: ConnectorRow,
  externalId: string | undefined,
  refused: Problem,
  rawPayload: string,
): Promise<Result<Intake>> {
  if (connector.on_mismatch !== 'review_hold' || !externalId) return fail(refused);
  const reviewId = await holdForReview(db, connector, externalId, refused, rawPayload);
  return ok({ result: 'held_for_review', status: 202, review_id: reviewId, problem: refused });
}
