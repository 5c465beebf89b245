export { returnRoutes } from './routes.ts';
export { returnPolicyRoutes } from './policy-routes.ts';
