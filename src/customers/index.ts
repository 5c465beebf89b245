export { customerRoutes } from './routes.ts';
export { listCustomers } from './list-customers.ts';
export type { CustomerSummary } from './list-customers.ts';
export { getCustomer, CUSTOMER_ORDER_LIMIT } from './read-customer.ts';
