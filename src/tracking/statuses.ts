/**
 * Consign's one tracking status set. Every source (carrier aggregators, our own API) is mapped
 * onto it; the shipment's status is derived from its events by `deriveShipmentStatus`.
 */
export const trackingStatuses = [
  'pre_transit',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
  'returned_to_sender',
] as const;
export type TrackingStatus = (typeof trackingStatuses)[number];

/** What `shipments.status` may hold: the tracking statuses plus the status a new label starts in. */
export type ShipmentStatus = TrackingStatus | 'label_created';

/** Once a shipment is here it stays here: no later (or late-arriving) event moves it. */
const terminalStatuses: ReadonlySet<ShipmentStatus> = new Set(['delivered', 'returned_to_sender']);

function isTerminal(status: ShipmentStatus): boolean {
  return terminalStatuses.has(status);
}

/** Breaks ties between non-terminal events at the same instant: the later lifecycle stage wins. */
const stageRank: Record<ShipmentStatus, number> = {
  label_created: 0,
  pre_transit: 1,
  in_transit: 2,
  out_for_delivery: 3,
  exception: 4,
  delivered: 5,
  returned_to_sender: 5,
};

export interface StatusFact {
  status: TrackingStatus;
  /** Milliseconds since the epoch. */
  occurredAtMs: number;
}

interface DerivedShipmentState {
  status: ShipmentStatus;
  /** When the shipment was delivered (the earliest delivered event), if it is delivered. */
  deliveredAtMs: number | null;
  /** The latest event time seen, whatever its status. */
  lastEventAtMs: number | null;
}

function earliest(facts: StatusFact[]): StatusFact | undefined {
  let best: StatusFact | undefined;
  for (const fact of facts) if (!best || fact.occurredAtMs < best.occurredAtMs) best = fact;
  return best;
}

function latest(facts: StatusFact[]): StatusFact | undefined {
  let best: StatusFact | undefined;
  for (const fact of facts) {
    if (
      !best ||
      fact.occurredAtMs > best.occurredAtMs ||
      (fact.occurredAtMs === best.occurredAtMs && stageRank[fact.status] > stageRank[best.status])
    ) {
      best = fact;
    }
  }
  return best;
}

/**
 * The shipment's status from all of its events, in any arrival order:
 * - a terminal status already stored is kept (nothing moves a delivered or returned shipment);
 * - otherwise the earliest terminal event wins when there is one (carriers do stamp a delivery
 *   scan earlier than the out-for-delivery scan before it; delivered is still delivered);
 * - otherwise the event with the latest `occurredAt` wins, so an old event arriving late never
 *   moves the shipment back.
 */
export function deriveShipmentStatus(current: ShipmentStatus, facts: StatusFact[]): DerivedShipmentState {
  const last = latest(facts);
  const lastEventAtMs = last?.occurredAtMs ?? null;
  const delivered = earliest(facts.filter((f) => f.status === 'delivered'));
  const deliveredAtMs = delivered?.occurredAtMs ?? null;
  if (isTerminal(current))
    return { status: current, deliveredAtMs: current === 'delivered' ? deliveredAtMs : null, lastEventAtMs };
  const terminal = earliest(facts.filter((f) => isTerminal(f.status)));
  if (terminal) {
    return {
      status: terminal.status,
      deliveredAtMs: terminal.status === 'delivered' ? deliveredAtMs : null,
      lastEventAtMs,
    };
  }
  return { status: last?.status ?? current, deliveredAtMs: null, lastEventAtMs };
}
