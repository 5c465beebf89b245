/** Global search: one box that finds orders, customers, SKUs and returns through the modules that own them. */
export { searchRoutes } from './routes.ts';
