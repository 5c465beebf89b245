/**
 * Routing (distributed order management): the pure planner that decides which locations fulfil
 * an order, with the rules that steer it and an explanation of every decision.
 */
export { plan } from './planner.ts';
export { planWithKits } from './kits.ts';
export type { BundleLeaves } from './kits.ts';
export { defaultRoutingRules } from './rules.ts';
export type { RoutingRules } from './rules.ts';
export { AT_RISK_MS, slaDueSql } from './sla.ts';
export { stockSnapshot } from './stock.ts';
export type { StockRow } from './stock.ts';
export { coordinatesForPostalCode } from './zip.ts';
export { haversineKm } from './geo.ts';
export type { Allocation, Candidate, Coordinates, PlanOrder, PlanResult, StockSnapshot } from './types.ts';
export { activeRules, activeRulesSql, presentActiveRules, readRuleVersion, ruleViolations } from './rule-versions.ts';
export type { ActiveRules } from './rule-versions.ts';
export { routingRoutes } from './routes.ts';
export { decisionText } from './explanation-text.ts';
