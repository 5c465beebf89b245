export { fulfillmentRoutes } from './routes.ts';
export { shipFulfillmentOrder } from './ship.ts';
export { pickFulfillmentOrder, simpleStep } from './steps.ts';
export { setShipmentStatus } from './shipment-status.ts';
export { insertImportedShipments } from './import-shipments.ts';
export type { ImportedShipment } from './import-shipments.ts';
