export { returnRoutes } from './routes.ts';
export { returnPolicyRoutes } from './policy-routes.ts';
export { insertImportedReturns } from './import-returns.ts';
export type { ImportedReturn } from './import-returns.ts';
export { returnReasons } from './policy.ts';
export { returnStatuses } from './transitions.ts';
export { getReturn } from './read.ts';
