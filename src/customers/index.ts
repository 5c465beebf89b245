export { customerRoutes } from './routes.ts';
export { listCustomers } from './list-customers.ts';
