import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';

export const shippingRefundPolicies = ['never', 'merchant_fault', 'always'] as const;
type ShippingRefundPolicy = (typeof shippingRefundPolicies)[number];

export interface ReturnPolicy {
  window_days: number;
  auto_authorize: boolean;
  /** When the order's shipping charge is refunded: never, with a return for a merchant-fault reason, or with the first refunded return. */
  shipping_refund: ShippingRefundPolicy;
  /** Fee kept on units returned for reasons that are not the merchant's fault, in basis points of their value. */
  restocking_fee_bps: number;
  /** Whether returns may be started against orders imported from a previous system (ADR 0047). */
  imported_orders: boolean;
}

/** A channel without a policy of its own. */
const defaultReturnPolicy: ReturnPolicy = {
  window_days: 30,
  auto_authorize: true,
  shipping_refund: 'merchant_fault',
  restocking_fee_bps: 0,
  imported_orders: false,
};

export const returnReasons = [
  'damaged',
  'defective',
  'wrong_item',
  'not_as_described',
  'size_fit',
  'no_longer_needed',
  'changed_mind',
  'other',
] as const;
export type ReturnReason = (typeof returnReasons)[number];

/** Reasons that are the merchant's fault: no restocking fee, and shipping back under `merchant_fault`. */
export const merchantFaultReasons: readonly ReturnReason[] = ['damaged', 'defective', 'wrong_item', 'not_as_described'];

export async function channelPolicy(executor: Executor, channelId: string): Promise<ReturnPolicy> {
  const row = await queryOne<ReturnPolicy>(
    executor,
    sql`select window_days, auto_authorize, shipping_refund, restocking_fee_bps, imported_orders
        from channel_return_policies where channel_id = ${channelId}`,
  );
  return row ?? defaultReturnPolicy;
}

export async function setChannelPolicy(
  executor: Executor,
  channelId: string,
  policy: Omit<ReturnPolicy, 'imported_orders'> & { imported_orders?: boolean | undefined },
): Promise<void> {
  const imported = policy.imported_orders ?? false;
  await executor.execute(sql`
    insert into channel_return_policies (channel_id, window_days, auto_authorize, shipping_refund, restocking_fee_bps, imported_orders)
    values (${channelId}, ${policy.window_days}, ${policy.auto_authorize}, ${policy.shipping_refund}, ${policy.restocking_fee_bps}, ${imported})
    on conflict (channel_id) do update set window_days = excluded.window_days, auto_authorize = excluded.auto_authorize,
      shipping_refund = excluded.shipping_refund, restocking_fee_bps = excluded.restocking_fee_bps,
      imported_orders = excluded.imported_orders, updated_at = now()`);
}

interface ProductPolicy {
  sku: string;
  /** Null: the channel's window applies. */
  window_days: number | null;
  returnable: boolean;
}

export async function productPolicies(executor: Executor, skus: string[]): Promise<Map<string, ProductPolicy>> {
  const rows = await query<ProductPolicy>(
    executor,
    sql`select sku, window_days, returnable from product_return_policies where sku in ${
      skus.length
        ? sql`(${sql.join(
            skus.map((s) => sql`${s}`),
            sql`, `,
          )})`
        : sql`(null)`
    }`,
  );
  return new Map(rows.map((r) => [r.sku, r]));
}

export async function setProductPolicy(executor: Executor, policy: ProductPolicy): Promise<void> {
  await executor.execute(sql`
    insert into product_return_policies (sku, window_days, returnable)
    values (${policy.sku}, ${policy.window_days}, ${policy.returnable})
    on conflict (sku) do update set window_days = excluded.window_days, returnable = excluded.returnable, updated_at = now()`);
}

/** The last day a unit delivered at `deliveredAt` may be returned, as an instant: delivery + window. Pure. */
export function windowEnds(deliveredAt: Date, windowDays: number): Date {
  return new Date(deliveredAt.getTime() + windowDays * 24 * 60 * 60 * 1000);
}
