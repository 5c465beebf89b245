/**
 * Order status is derived, never set by hand: line quantity buckets and active holds are the
 * facts. The transition table is what the derived status may move along; a derived status
 * outside the table is a bug and fails loudly.
 */
export const orderStatuses = [
  'created',
  'confirmed',
  'in_process',
  'partially_shipped',
  'shipped',
  'partially_delivered',
  'delivered',
  'cancelled',
] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export const orderTransitions = {
  created: ['confirmed', 'in_process', 'partially_shipped', 'shipped', 'partially_delivered', 'delivered', 'cancelled'],
  confirmed: ['created', 'in_process', 'cancelled'],
  in_process: ['created', 'confirmed', 'partially_shipped', 'shipped', 'partially_delivered', 'delivered', 'cancelled'],
  partially_shipped: ['shipped', 'partially_delivered', 'delivered'],
  shipped: ['partially_delivered', 'delivered'],
  partially_delivered: ['delivered'],
  delivered: [],
  cancelled: [],
} as const satisfies Record<OrderStatus, readonly OrderStatus[]>;

export function canTransitionOrder(from: OrderStatus, to: OrderStatus): boolean {
  return from === to || (orderTransitions[from] as readonly OrderStatus[]).includes(to);
}

export interface LineBuckets {
  quantity: number;
  allocated: number;
  backordered: number;
  cancelled: number;
  shipped: number;
  delivered: number;
}

/** The order status that its lines and holds imply. */
export function deriveOrderStatus(lines: LineBuckets[], onHold: boolean): OrderStatus {
  const active = lines.map((l) => ({ ...l, open: l.quantity - l.cancelled }));
  const live = active.filter((l) => l.open > 0);
  if (live.length === 0) return 'cancelled';
  const shipped = live.reduce((n, l) => n + l.shipped, 0);
  const delivered = live.reduce((n, l) => n + l.delivered, 0);
  const open = live.reduce((n, l) => n + l.open, 0);
  if (delivered === open) return 'delivered';
  if (delivered > 0 && shipped === open) return 'partially_delivered';
  if (shipped === open) return 'shipped';
  if (shipped > 0) return 'partially_shipped';
  if (onHold) return 'created';
  return live.some((l) => l.allocated > 0) ? 'in_process' : 'confirmed';
}

/** Payment status, derived from the money records. */
export function derivePaymentStatus(
  payments: { kind: string; status: string; amountMinor: number }[],
  totalMinor: number,
): string {
  const sum = (kind: string) =>
    payments.filter((p) => p.kind === kind && p.status === 'succeeded').reduce((n, p) => n + p.amountMinor, 0);
  const authorized = sum('authorization') - sum('void');
  const captured = sum('capture');
  const refunded = sum('refund');
  if (refunded > 0) return refunded >= captured ? 'refunded' : 'partially_refunded';
  if (captured > 0) return captured >= totalMinor ? 'captured' : 'partially_captured';
  if (authorized <= 0) return payments.some((p) => p.kind === 'void') ? 'voided' : 'unpaid';
  return authorized >= totalMinor ? 'authorized' : 'partially_authorized';
}
