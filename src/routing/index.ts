/**
 * Routing (distributed order management): the pure planner that decides which locations fulfil
 * an order, with the rules that steer it and an explanation of every decision.
 */
export { plan, DEFAULT_MAX_SEARCH_NODES } from './planner.ts';
export type { PlanOptions } from './planner.ts';
export { defaultRoutingRules, validateRules } from './rules.ts';
export type { RoutingRules, RuleViolation, RateBand, ZoneRate, TransitBand } from './rules.ts';
export { filterDescriptions } from './filters.ts';
export { stockSnapshot } from './stock.ts';
export type { StockRow } from './stock.ts';
export { coordinatesForPostalCode } from './zip.ts';
export { haversineKm } from './geo.ts';
export { criterionNames, filterCodes } from './types.ts';
export type {
  Allocation,
  Backorder,
  Candidate,
  CandidateExplanation,
  CandidateScores,
  Coordinates,
  Criteria,
  CriterionName,
  DeliveryMethod,
  Exclusion,
  FilterCode,
  LocationCapability,
  LocationType,
  Objective,
  PlanExplanation,
  PlanLine,
  PlanOrder,
  PlanResult,
  PlanStatus,
  PlanSummary,
  Rejection,
  RejectionCode,
  RunnerUpSummary,
  SearchReport,
  Shipment,
  Shortfall,
  StockSnapshot,
} from './types.ts';
export {
  activeRules,
  activeRulesSql,
  presentActiveRules,
  listRuleVersions,
  saveDraft,
  activateVersion,
} from './rule-versions.ts';
export type { ActiveRules, RuleVersion } from './rule-versions.ts';
export { routingRoutes } from './routes.ts';
