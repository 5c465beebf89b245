export { taxRoutes } from './routes.ts';
export { quoteOrderTax } from './quote-order.ts';
export { adjustTaxForRefund, commitOrderTax } from './commit-adjust.ts';
export { adjustOrderTax, type TaxAdjustment } from './adjust-change.ts';
