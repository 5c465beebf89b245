export { subscriptionRoutes } from './routes.ts';
export { runDueSubscriptions, startSubscriptionScheduler } from './scheduler.ts';
export type { SchedulerRun } from './scheduler.ts';
export { subscriptionActions, subscriptionStatuses, canTransitionSubscription, refuseAction } from './transitions.ts';
export type { SubscriptionAction, SubscriptionStatus } from './transitions.ts';
