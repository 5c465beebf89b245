export { eventRoutes } from './routes.ts';
export { recordEvents, recordEventsFrom, insertEvents, listEvents } from './outbox.ts';
export type { NewEvent, ConsignEvent } from './outbox.ts';
