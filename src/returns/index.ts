export { returnRoutes } from './routes.ts';
export { returnPolicyRoutes } from './policy-routes.ts';
export { returnsOfOrder, getReturn, listReturns } from './read.ts';
export { returnStatuses, returnTransitions } from './transitions.ts';
export type { ReturnStatus } from './transitions.ts';
export { refundAmount } from './refund-amount.ts';
