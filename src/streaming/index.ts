export { startNatsPublisher } from './nats-publisher.ts';
export type { NatsPublisherOptions } from './nats-publisher.ts';
export {
  DEFAULT_STREAM,
  DEFAULT_SUBJECT_PREFIX,
  ensureEventStream,
  messageBody,
  messageId,
  publishPendingEvents,
  subjectFor,
} from './jetstream.ts';
export type { DuplicatePublish, PublishOptions, PublishResult, StreamTarget } from './jetstream.ts';
export {
  advanceCursor,
  createOutboxFollower,
  cursorPosition,
  readSettledBatch,
  readSettledIds,
} from './outbox-follower.ts';
export type { OutboxEvent, OutboxFollower, SettledBatch, SettledIds } from './outbox-follower.ts';
export { DEFAULT_GAP_GRACE_MS, gapGraceMsFor } from './settle.ts';
