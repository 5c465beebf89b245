export { trackingRoutes } from './routes.ts';
export { recordTrackingEvents } from './record-events.ts';
export { getShipment } from './read-shipment.ts';
export { ownEvents } from './own-format.ts';
export { trackingStatuses } from './statuses.ts';
