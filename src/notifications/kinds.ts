/**
 * Which outbox events become customer notifications, and whether a customer may opt out of them.
 * Transactional messages (the customer needs them to get their goods or money) always go out;
 * the others are suppressed for a customer who unsubscribed.
 */
export const notificationKinds = {
  order_confirmed: { transactional: true },
  shipped: { transactional: true },
  ready_for_pickup: { transactional: true },
  delivered: { transactional: false },
  return_authorized: { transactional: true },
  refund_issued: { transactional: true },
  promise_changed: { transactional: false },
} as const satisfies Record<string, { transactional: boolean }>;

export type NotificationKind = keyof typeof notificationKinds;

/** The event types `kindForEvent` may map to a kind: the follower reads only these. */
export const notifyingEventTypes = [
  'order.confirmed',
  'fulfillment_order.shipped',
  'fulfillment_order.partially_shipped',
  'fulfillment_order.ready_for_pickup',
  'shipment.delivered',
  'return.status_changed',
  'return.refunded',
  'order.promise_changed',
  'order.notification_requested',
] as const;

/** The kind an event announces to the customer, or null when it announces nothing to them. */
export function kindForEvent(type: string, payload: Record<string, unknown>): NotificationKind | null {
  switch (type) {
    case 'order.confirmed':
      return 'order_confirmed';
    case 'fulfillment_order.shipped':
    case 'fulfillment_order.partially_shipped':
      return 'shipped';
    case 'fulfillment_order.ready_for_pickup':
      return 'ready_for_pickup';
    case 'shipment.delivered':
      return 'delivered';
    case 'return.status_changed':
      return payload.to === 'authorized' ? 'return_authorized' : null;
    case 'return.refunded':
      return 'refund_issued';
    case 'order.promise_changed':
      return 'promise_changed';
    case 'order.notification_requested':
      // Asked for by name (an automation's send_notification): the template is the kind.
      return typeof payload.template === 'string' && Object.hasOwn(notificationKinds, payload.template)
        ? (payload.template as NotificationKind)
        : null;
    default:
      return null;
  }
}
