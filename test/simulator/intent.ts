/**
 * A step as generated: what to do, and numbers that pick the target and the details against the
 * model at the time the step runs (an index modulo what there is). A sequence of intents stays
 * meaningful while fast-check shrinks it: dropping a step or lowering a number only changes
 * which target the later steps pick.
 */
export const stepKinds = [
  // First: a failing sequence shrinks its irrelevant steps into this one, which does nothing.
  'skip',
  'place',
  'place_pickup',
  'place_with_cart_hold',
  'cart_hold',
  'release_cart_hold',
  'accept',
  'reject',
  'pick',
  'pack',
  'ship',
  'ready_for_pickup',
  'picked_up',
  'deliver',
  'cancel',
  'hold',
  'release_hold',
  'restock',
  'count',
  'feed',
  'backorder_tick',
  'supply_receipt',
  'return',
  'authorize_return',
  'receive_return',
  'refund_return',
  'close_return',
  'goodwill_refund',
  'exchange',
  'reship',
  'subscription_period',
  'change',
  'automate',
  'archive_events',
  'import_history',
  'place_shadow',
  'simulate_routing',
] as const;
export type StepKind = (typeof stepKinds)[number];

export interface Intent {
  kind: StepKind;
  a: number;
  b: number;
  c: number;
  flag: boolean;
}

/** How often each kind is drawn: work on what exists more often than creating more of it. */
export const stepWeights: Record<StepKind, number> = {
  skip: 1,
  place: 6,
  place_pickup: 2,
  place_with_cart_hold: 2,
  cart_hold: 1,
  release_cart_hold: 1,
  accept: 5,
  reject: 3,
  pick: 5,
  pack: 5,
  ship: 6,
  ready_for_pickup: 2,
  picked_up: 2,
  deliver: 5,
  cancel: 3,
  hold: 2,
  release_hold: 3,
  restock: 3,
  count: 2,
  feed: 2,
  backorder_tick: 2,
  supply_receipt: 2,
  return: 4,
  authorize_return: 3,
  receive_return: 4,
  refund_return: 4,
  close_return: 1,
  goodwill_refund: 2,
  exchange: 3,
  reship: 2,
  subscription_period: 1,
  change: 3,
  automate: 3,
  archive_events: 1,
  import_history: 2,
  place_shadow: 2,
  simulate_routing: 1,
};

/** Picks one of `items` by a generated number; undefined when there is none. */
export const pick = <T>(items: T[], n: number): T | undefined =>
  items.length === 0 ? undefined : items[n % items.length];

export function describeIntent(intent: Intent): string {
  return `${intent.kind}(${intent.a},${intent.b},${intent.c}${intent.flag ? ',flag' : ''})`;
}
