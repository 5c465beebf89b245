export { startNatsPublisher } from './nats-publisher.ts';
export { ensureEventStream, publishPendingEvents } from './jetstream.ts';
export {
  advanceCursor,
  createOutboxFollower,
  cursorPosition,
  outboxLag,
  readSettledBatch,
  readSettledIds,
} from './outbox-follower.ts';
export type { OutboxEvent, OutboxFollower, OutboxWorker } from './outbox-follower.ts';
export { gapGraceMsFor } from './settle.ts';
