export { returnRoutes } from './routes.ts';
export { returnPolicyRoutes } from './policy-routes.ts';
export { getReturn } from './read.ts';
export type { ReturnView } from './read.ts';
export { returnStatuses, returnTransitions } from './transitions.ts';
export type { ReturnStatus } from './transitions.ts';
export { refundAmount } from './refund-amount.ts';
