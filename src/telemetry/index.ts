export {
  countExpiredHolds,
  countRoutingDecision,
  countWebhookAttempt,
  observePlan,
  processRegistry,
} from './registry.ts';
export {
  nameRequestSpan,
  startStatementSpan,
  startTracing,
  traceRequest,
  traceStatement,
  tracingActive,
} from './tracing.ts';
export type { Tracing } from './tracing.ts';
