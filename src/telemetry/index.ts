export {
  countExpiredHolds,
  countRead,
  countReadFallback,
  countRoutingDecision,
  countWebhookAttempt,
  observeHoldStatement,
  observePlan,
  processRegistry,
  setReplicaGauges,
} from './registry.ts';
export type { ReadFallbackReason } from './registry.ts';
export {
  nameRequestSpan,
  startStatementSpan,
  startTracing,
  traceRequest,
  traceStatement,
  tracingActive,
} from './tracing.ts';
export type { Tracing } from './tracing.ts';
