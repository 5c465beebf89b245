export { catalogRoutes } from './routes.ts';
export { createProduct, getProduct, listProducts, updateProduct, CreateProduct, UpdateProduct } from './products.ts';
export type { Product } from './products.ts';
