export { eventRoutes } from './routes.ts';
export { recordEvents, recordEventsFrom, insertEvents } from './outbox.ts';
export type { NewEvent } from './outbox.ts';
export { archiveEvents, startEventArchiver } from './archive.ts';
