export { fulfillmentRoutes } from './routes.ts';
export { listFulfillmentOrders, getFulfillmentOrder } from './queue.ts';
export { shipFulfillmentOrder, readyForPickup, pickedUp } from './ship.ts';
export { rejectFulfillmentOrder, pickFulfillmentOrder, simpleStep } from './steps.ts';
export { setShipmentStatus } from './shipment-status.ts';
