/**
 * The planner's vocabulary. Everything here is plain data (JSON-serialisable except the stock
 * snapshot, which is a Map for fast reads), so a decision can be stored and replayed.
 */

export type DeliveryMethod = 'ship' | 'pickup' | 'curbside';
type LocationCapability = 'ship' | 'pickup' | 'curbside' | 'returns';
type LocationType = 'warehouse' | 'store' | 'distribution_center' | '3pl';

export interface Coordinates {
  latitude: number;
  longitude: number;
}

export interface PlanLine {
  lineId: string;
  sku: string;
  /** Positive integer. */
  quantity: number;
  /** Weight of one unit. */
  weightGrams: number;
  allowBackorder: boolean;
  /**
   * The location the order names for this line (a marketplace seller, a drop-ship vendor, the
   * store of a store sale): the line is planned there only. Null or absent: any location.
   */
  shipFromLocationId?: string | null | undefined;
}

export interface PlanOrder {
  channelId: string;
  deliveryMethod: DeliveryMethod;
  /** The store the customer chose, for pickup and curbside. */
  pickupLocationId?: string | null;
  /** The customer accepts shipping when the pickup store cannot fulfil the order. */
  allowShipFallback: boolean;
  destination: Coordinates | null;
  /**
   * The delivery address as an explanation names it ("BR 99999-999") when the order has one but
   * it could not be located (destination null); null or absent otherwise.
   */
  unlocatedAddress?: string | null;
  lines: readonly PlanLine[];
  /** ISO 8601 instant; the SLA clock starts here (but see `receivedAt`). */
  placedAt: string;
  /**
   * ISO 8601 instant Consign received the order. An order that arrives with its SLA already
   * spent (an import of an old order) has its SLA clock start here instead of at `placedAt`, so
   * it is not scored as months late.
   */
  receivedAt?: string | undefined;
  /** The channel's code, when it has one: rate tables may name the channel by it. */
  channelCode?: string | null | undefined;
  /** The currency the order's channel sells in; freight in another currency is said to be. */
  currency?: string | null | undefined;
  /** ISO 3166-1 alpha-2 country of the delivery address: selects the rate table with the channel. */
  country?: string | null | undefined;
  /** Locations that must not be used (re-routing after a rejection). */
  excludedLocationIds: readonly string[];
  /**
   * Locations of the channel's group left out of the candidates because they hold none of the
   * order's SKUs (nor their components): counted in the explanation, not listed.
   */
  omittedLocations?: number;
}

export interface Candidate {
  id: string;
  name: string;
  type: LocationType;
  latitude: number | null;
  longitude: number | null;
  /** IANA time zone, e.g. America/Los_Angeles. */
  timezone: string;
  capabilities: readonly LocationCapability[];
  /** Fulfillment orders per day; null = unlimited. */
  dailyCapacity: number | null;
  /** Fulfillment orders accepted or allocated today. */
  capacityUsedToday: number;
  /** 'HH:MM' local time after which a shipment leaves the next day; null = no cut-off. */
  cutoffTime: string | null;
  priority: number;
  /** The location belongs to the location group of the order's channel. */
  inChannelGroup: boolean;
  active: boolean;
}

/** Available-to-promise by location id, then SKU. A missing entry means none; negatives count as none. */
export type StockSnapshot = ReadonlyMap<string, ReadonlyMap<string, number>>;

export const criterionNames = ['shipments', 'distance', 'cost', 'sla', 'balance', 'priority'] as const;
/**
 * shipments: locations used · distance: km from each location to the destination, summed ·
 * cost: carrier rate in minor units, summed · sla: days late against the channel's SLA, summed ·
 * balance: Σ quantity ÷ available per allocation (lower = takes a smaller share of a location's
 * stock) · priority: −Σ location priority (higher priorities lower the total).
 */
export type CriterionName = (typeof criterionNames)[number];
export type Criteria = Record<CriterionName, number>;

export const filterCodes = [
  'inactive',
  'not_in_channel_group',
  'excluded',
  'excluded_by_rules',
  'not_pickup_location',
  'missing_capability',
  'no_coordinates',
  'no_capacity',
  'past_cutoff',
  'no_stock',
] as const;
export type FilterCode = (typeof filterCodes)[number];

export interface Exclusion {
  code: FilterCode;
  reason: string;
}

export interface Allocation {
  locationId: string;
  lineId: string;
  sku: string;
  quantity: number;
  /**
   * A part of a kit split over locations (`bundles: "split_components"`): the parts of one kit
   * share `kitGroup` and count the same bundles; `components` are the leaf units per bundle
   * picked at this location.
   */
  kitGroup?: string;
  components?: KitComponent[];
}

export interface KitComponent {
  sku: string;
  quantity: number;
}

/** Why and how a bundle line's kits were split over locations. */
export interface KitSplit {
  lineId: string;
  sku: string;
  /** Bundles split (the line's other units, if any, were placed whole or wait). */
  quantity: number;
  reason: string;
  /** Where each leaf component's units come from, for all `quantity` bundles. */
  components: { sku: string; locationId: string; quantity: number }[];
}

export interface Backorder {
  lineId: string;
  sku: string;
  quantity: number;
}

export interface Shortfall {
  lineId: string;
  sku: string;
  requested: number;
  /** What the eligible locations could give this line. */
  available: number;
}

export interface Shipment {
  locationId: string;
  deliveryMethod: DeliveryMethod;
  lineIds: string[];
  /** Null when the order has no destination (distance then counts as 0). */
  distanceKm: number | null;
  costMinor: number;
  /** Location-local calendar date, YYYY-MM-DD. */
  promisedDate: string;
  daysLate: number;
  weightGrams: number;
}

export interface Objective {
  total: number;
  /** Raw value of each criterion (units above). */
  criteria: Criteria;
  /** weight × criterion; these add up to total. */
  weighted: Criteria;
}

type PlanStatus = 'allocated' | 'partially_allocated' | 'rejected';

type RejectionCode =
  'no_eligible_location' | 'insufficient_stock' | 'max_shipments_exceeded' | 'pickup_unavailable' | 'no_feasible_plan';

export interface Rejection {
  code: RejectionCode;
  message: string;
  /** `max_shipments_exceeded`: the rules' limit that refused every plan. */
  maxShipments?: number;
}

interface CandidateScores {
  distanceKm: number | null;
  zone: string | null;
  /** Carrier rate for shipping every allocatable unit of the order from here. */
  costMinor: number;
  transitDays: number;
  pastCutoff: boolean;
  promisedDate: string;
  daysLate: number;
  priority: number;
  capacityRemaining: number | null;
  /** Lines this location can fill completely / at least partly. */
  linesCovered: string[];
  linesHeld: string[];
  /** The part of the objective this location adds whatever it ships (shipments, distance, SLA, base rate, priority). */
  fixedScore: number;
}

export interface CandidateExplanation {
  locationId: string;
  name: string;
  type: LocationType;
  eligible: boolean;
  excludedBy: Exclusion[];
  scores: CandidateScores;
  chosen: boolean;
  inRunnerUp: boolean;
}

export interface PlanSummary {
  locationIds: string[];
  description: string;
  total: number;
  criteria: Criteria;
  weighted: Criteria;
  backorderedUnits: number;
}

export interface RunnerUpSummary extends PlanSummary {
  /** runner-up weighted − chosen weighted, per criterion (positive = the runner-up is worse there). */
  deltas: Criteria;
  whyNotChosen: string;
}

export interface SearchReport {
  exhaustive: boolean;
  nodes: number;
  setsEvaluated: number;
  greedyFallback: boolean;
}

interface PlanExplanation {
  summary: string;
  rulesSummary: string;
  requestedDeliveryMethod: DeliveryMethod;
  plannedDeliveryMethod: DeliveryMethod;
  candidates: CandidateExplanation[];
  chosen: PlanSummary | null;
  runnerUp: RunnerUpSummary | null;
  notes: string[];
  search: SearchReport;
  /** Bundle lines whose kits were split over locations, and why. */
  kitSplits?: KitSplit[];
  /** The locations of the group left out of `candidates` (they hold none of the order's SKUs), when any were. */
  omitted?: OmittedLocations;
}

export interface OmittedLocations {
  count: number;
  /** One line, e.g. "1,187 locations of the group hold none of these SKUs". */
  summary: string;
}

export interface PlanResult {
  status: PlanStatus;
  deliveryMethod: DeliveryMethod;
  allocations: Allocation[];
  backorders: Backorder[];
  shortfalls: Shortfall[];
  shipments: Shipment[];
  /** Null when rejected. */
  objective: Objective | null;
  rejection: Rejection | null;
  /** The currency of every freight amount: the rate table's (see explanation.rulesSummary). */
  currency: string;
  explanation: PlanExplanation;
}
