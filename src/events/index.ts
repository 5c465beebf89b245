export { eventRoutes } from './routes.ts';
export { recordEvents, listEvents } from './outbox.ts';
export type { NewEvent, ConsignEvent } from './outbox.ts';
