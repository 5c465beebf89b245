export {
  countExpiredHolds,
  countRoutingDecision,
  countWebhookAttempt,
  observePlan,
  processRegistry,
} from './registry.ts';
