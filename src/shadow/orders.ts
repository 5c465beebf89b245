import { sql } from 'drizzle-orm';
import { queryOne, toIso, type Executor } from '../db/index.ts';
import type { PlanResult } from '../routing/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';

/** A line of a shadow order: its amount is after its discount share, with its tax, in minor units. */
export interface ShadowLine {
  line_id: string;
  sku: string;
  quantity: number;
  amount_minor: number;
}

interface NewShadowOrder {
  id: string;
  channelId: string;
  externalId: string;
  requestHash: string;
  currency: string;
  totalMinor: number;
  shippingMinor: number;
  placedAt: string;
  lines: ShadowLine[];
  decision: PlanResult;
}

interface ShadowOrderRow {
  id: string;
  channel_id: string;
  external_id: string;
  request_hash: string;
  currency: string;
  total_minor: number;
  lines: ShadowLine[];
  decision_status: string;
  decision: PlanResult;
  placed_at: string | Date;
  created_at: string | Date;
}

/** How `POST /v1/orders` answers for an order of a shadow channel. */
function presentShadowOrder(row: ShadowOrderRow) {
  return {
    id: row.id,
    mode: 'shadow' as const,
    channel_id: row.channel_id,
    external_id: row.external_id,
    total: { amount: row.total_minor, currency: row.currency },
    lines: row.lines,
    decision: {
      status: row.decision_status,
      allocations: row.decision.allocations.map((a) => ({
        line_id: a.lineId,
        sku: a.sku,
        location_id: a.locationId,
        quantity: a.quantity,
      })),
      backorders: row.decision.backorders.map((b) => ({ line_id: b.lineId, quantity: b.quantity })),
      explanation: row.decision.explanation.summary,
    },
    placed_at: toIso(row.placed_at),
    created_at: toIso(row.created_at),
  };
}
export type ShadowOrder = ReturnType<typeof presentShadowOrder>;

const COLUMNS = sql`id, channel_id, external_id, request_hash, currency, total_minor, lines, decision_status, decision, placed_at, created_at`;

/**
 * Keeps a shadow channel's order with the decision Consign would have made. The same channel
 * order twice is one order (a replay); the same external ID with other content is a 409.
 */
export async function recordShadowOrder(
  executor: Executor,
  order: NewShadowOrder,
): Promise<Result<{ order: ShadowOrder; replayed: boolean }>> {
  const inserted = await queryOne<ShadowOrderRow>(
    executor,
    sql`insert into shadow_orders (id, channel_id, external_id, request_hash, currency, total_minor, shipping_minor, lines,
          decision_status, decision, placed_at)
        values (${order.id}, ${order.channelId}, ${order.externalId}, ${order.requestHash}, ${order.currency}, ${order.totalMinor},
          ${order.shippingMinor}, ${JSON.stringify(order.lines)}::jsonb, ${order.decision.status},
          ${JSON.stringify(order.decision)}::json, ${order.placedAt}::timestamptz)
        on conflict (channel_id, external_id) do nothing
        returning ${COLUMNS}`,
  );
  if (inserted) return ok({ order: presentShadowOrder(inserted), replayed: false });
  const existing = await queryOne<ShadowOrderRow>(
    executor,
    sql`select ${COLUMNS} from shadow_orders where channel_id = ${order.channelId} and external_id = ${order.externalId}`,
  );
  if (existing!.request_hash !== order.requestHash) {
    return fail(
      problem(
        'idempotency_conflict',
        `Order ${order.externalId} of this channel already exists (${existing!.id}) with different content.`,
        { order_id: existing!.id },
      ),
    );
  }
  return ok({ order: presentShadowOrder(existing!), replayed: true });
}
