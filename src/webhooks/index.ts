export { webhookRoutes } from './routes.ts';
export { createWebhookDispatcher, startWebhookDispatcher } from './dispatcher.ts';
export type { WebhookDispatcher } from './dispatcher.ts';
export { verify } from './signature.ts';
export { targetProblem } from './target.ts';
export { createSubscription, updateSubscription, sealedWebhookSecrets } from './subscriptions.ts';
export { pendingDeliveries, subscriptionBacklog } from './backlog.ts';
export type { DeliveryPerformer, PerformOutcome, RelayRequest } from './perform.ts';
