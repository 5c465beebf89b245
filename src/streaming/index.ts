export { startNatsPublisher } from './nats-publisher.ts';
export { ensureEventStream, publishPendingEvents } from './jetstream.ts';
export {
  advanceCursor,
  createOutboxFollower,
  cursorPosition,
  readSettledBatch,
  readSettledIds,
} from './outbox-follower.ts';
export type { OutboxEvent, OutboxFollower } from './outbox-follower.ts';
export { gapGraceMsFor } from './settle.ts';
