import type { CreateOrder } from '../orders/index.ts';
import type { SubscriptionRow } from './read.ts';

export interface StoredLine {
  line_id: string;
  sku: string;
  name?: string;
  quantity: number;
  unit_price_minor: number;
}

/** The channel order ID of a subscription's period: the same for every attempt and every process. */
export const periodExternalId = (subscriptionId: string, period: number) => `${subscriptionId}:${period}`;

export function totalOf(lines: StoredLine[], shippingMinor: number): number {
  return lines.reduce((sum, l) => sum + l.quantity * l.unit_price_minor, shippingMinor);
}

/**
 * The order a period places through the order pipeline, as a channel would send it: the
 * subscription's lines, address and shipping, with the period's authorization as its payment.
 */
export function periodOrder(
  subscription: SubscriptionRow,
  period: number,
  placedAt: Date,
  authorizationReference: string | null,
): CreateOrder {
  const money = (amount: number) => ({ amount, currency: subscription.currency });
  return {
    channel: subscription.channel_id,
    external_id: periodExternalId(subscription.id, period),
    placed_at: placedAt.toISOString(),
    customer: subscription.customer as CreateOrder['customer'],
    lines: subscription.lines.map((l) => ({
      line_id: l.line_id,
      sku: l.sku,
      ...(l.name ? { name: l.name } : {}),
      quantity: l.quantity,
      unit_price: money(l.unit_price_minor),
    })),
    delivery_method: 'ship',
    shipping_address: subscription.shipping_address as CreateOrder['shipping_address'],
    shipping: money(subscription.shipping_minor),
    total: money(subscription.total_minor),
    payments: authorizationReference
      ? [
          {
            kind: 'authorization',
            amount: money(subscription.total_minor),
            gateway: subscription.payment_gateway,
            reference: authorizationReference,
          },
        ]
      : [],
    metadata: { subscription_id: subscription.id, subscription_period: period },
  };
}
