export { catalogRoutes } from './routes.ts';
export { createProduct, listProducts, CreateProduct, productNameOf, skuOrNameContains } from './products.ts';
export { bundleLeavesSql } from './bundles.ts';
export { readLeaves } from './bundles.ts';
export { readComponents } from './bundles.ts';
export { freezeBundleDefinitions } from './bundles.ts';
export { addMissingProducts } from './import-products.ts';
