/**
 * Shadow (parallel-run) mode: a shadow channel's orders decided without reserving or sending
 * anything, the legacy system's outcomes and stock beside them, and their reconciliation
 * (docs/shadow-mode.md, ADR 0048).
 */
export { shadowRoutes } from './routes.ts';
export { recordShadowOrder } from './orders.ts';
export type { ShadowOrder } from './orders.ts';
export { ingestOutcomes } from './outcomes.ts';
export { ingestStock } from './stock.ts';
export { daysCsv, reconciliationReport, reportCsv, reportWindow } from './report.ts';
