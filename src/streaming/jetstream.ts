import { nanos, type JetStreamClient, type JetStreamManager, type NatsError, type PubAck } from 'nats';
import { inTransaction, type Db } from '../db/index.ts';
import { ok } from '../shared/result.ts';
import { advanceCursor, readSettledBatch, type OutboxEvent, type OutboxFollower } from './outbox-follower.ts';

export const DEFAULT_STREAM = 'CONSIGN_EVENTS';
export const DEFAULT_SUBJECT_PREFIX = 'consign';
/** How long JetStream remembers a `Nats-Msg-Id`: a publisher back within this window re-publishes harmlessly. */
const DEFAULT_DUPLICATE_WINDOW_MS = 10 * 60_000;

const STREAM_NOT_FOUND = 10059;

interface StreamTarget {
  stream: string;
  subjectPrefix: string;
}

interface EnsureStreamOptions extends StreamTarget {
  duplicateWindowMs?: number;
  /** Copies of the stream JetStream keeps: 1 on a single server, 3 (or 5) on a cluster. Default 1. */
  replicas?: number;
}

/**
 * Creates the stream when it is missing, with `replicas` copies; adds `<prefix>.>` to its
 * subjects, and raises its duplicate window and replicas, when an existing stream has less.
 * Other settings, and a stream kept on more copies than asked, are the operator's.
 */
export async function ensureEventStream(
  jsm: JetStreamManager,
  options: EnsureStreamOptions,
): Promise<'created' | 'updated' | 'unchanged'> {
  const subject = `${options.subjectPrefix}.>`;
  const duplicateWindow = nanos(options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS);
  const replicas = options.replicas ?? 1;
  const info = await jsm.streams.info(options.stream).catch((error: unknown) => {
    if ((error as NatsError).api_error?.err_code === STREAM_NOT_FOUND) return undefined;
    throw error;
  });
  if (!info) {
    await explained(
      jsm.streams.add({
        name: options.stream,
        subjects: [subject],
        duplicate_window: duplicateWindow,
        num_replicas: replicas,
      }),
      options.stream,
      replicas,
    );
    return 'created';
  }
  const subjects = info.config.subjects ?? [];
  const current = info.config.num_replicas || 1;
  if (subjects.includes(subject) && info.config.duplicate_window >= duplicateWindow && current >= replicas)
    return 'unchanged';
  await explained(
    jsm.streams.update(options.stream, {
      ...info.config,
      subjects: subjects.includes(subject) ? subjects : [...subjects, subject],
      duplicate_window: Math.max(info.config.duplicate_window, duplicateWindow),
      num_replicas: Math.max(current, replicas),
    }),
    options.stream,
    replicas,
  );
  return 'updated';
}

/** JetStream's answers when it cannot keep a stream on as many servers as asked. */
const REPLICAS_REFUSED = new Set([
  10074, // replicas > 1 not supported in non-clustered mode
  10023, // insufficient resources (fewer servers than replicas)
]);

/** The stream operation, its refusal for want of servers restated as what the operator can change. */
async function explained<T>(operation: Promise<T>, stream: string, replicas: number): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    const apiError = (error as NatsError).api_error;
    if (replicas <= 1 || !apiError || !REPLICAS_REFUSED.has(apiError.err_code ?? 0)) throw error;
    throw new Error(
      `JetStream stream ${stream}: CONSIGN_NATS_STREAM_REPLICAS=${replicas} keeps ${replicas} copies of every event, ` +
        `which needs a cluster of at least ${replicas} JetStream servers, and the server refused ("${apiError.description}"). ` +
        'Connect to such a cluster, or set CONSIGN_NATS_STREAM_REPLICAS=1 for a single server.',
      { cause: error },
    );
  }
}

/**
 * `consign.order.created` for `order.created`. Event types are dotted lower-case names; anything
 * a subject cannot carry (spaces, `*`, `>`, empty tokens) becomes `_` rather than stalling the stream.
 */
export function subjectFor(prefix: string, type: string): string {
  const tokens = type.split('.').map((token) => token.replace(/[^A-Za-z0-9_-]/g, '_') || '_');
  return `${prefix}.${tokens.join('.')}`;
}

/** The message body: the same shape as an item of `GET /v1/events`. */
export function messageBody(event: OutboxEvent): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify({
      id: String(event.id),
      type: event.type,
      subject_type: event.subjectType,
      subject_id: event.subjectId,
      data: event.payload,
      created_at: event.createdAt,
    }),
  );
}

/**
 * The `Nats-Msg-Id` of an event: its ID within this installation's. JetStream drops a message
 * whose ID it has seen within the duplicate window, so a bare event ID would drop the events of a
 * second installation publishing to the same stream (both number their events from 1).
 */
function messageId(installationId: string, eventId: number | string): string {
  return `${installationId}:${eventId}`;
}

/** A publish that JetStream acknowledged as a duplicate: stored before, not stored again. */
export interface DuplicatePublish {
  eventId: string;
  msgId: string;
}

export interface PublishOptions extends StreamTarget {
  /** `installationId` of the database: namespaces the message IDs. */
  installationId: string;
  batchSize?: number;
  maxBatches?: number;
  publishTimeoutMs?: number;
  /** Each publish JetStream acknowledged as a duplicate (a re-publish, or another installation's clash). */
  onDuplicate?: (duplicate: DuplicatePublish) => void;
}

interface PublishResult {
  published: number;
  /** Of those, acknowledged by JetStream as duplicates of an earlier publish (same `Nats-Msg-Id`). */
  duplicates: number;
  /** The publish that stopped this run, if one failed; the cursor stands just before it. */
  error?: unknown;
  /** Stopped at `maxBatches` with its last batch full: more events may be waiting. */
  backlog?: boolean;
}

/**
 * Publishes the outbox after the `nats` cursor to JetStream, in ID order, a batch at once with
 * each message conditional on its predecessor so the stream's order is the outbox's
 * (`publishInOrder`). The cursor row stays locked while a
 * batch is published (one publisher at a time across processes) and moves in the same
 * transaction, up to the last acknowledged event. Bounded: `maxBatches` × `batchSize` per call.
 * On the embedded engine the open transaction holds its only connection, so a batch's publishes
 * delay other queries: keep batches small and the publish timeout short there.
 */
export async function publishPendingEvents(
  db: Db,
  js: JetStreamClient,
  follower: OutboxFollower,
  options: PublishOptions,
): Promise<PublishResult> {
  const total: PublishResult = { published: 0, duplicates: 0 };
  const batchSize = options.batchSize ?? 100;
  for (let batch = 0; batch < (options.maxBatches ?? 10); batch++) {
    const result = await inTransaction(db, async (tx) => {
      const read = await readSettledBatch(tx, follower, batchSize);
      if (!read)
        return ok<PublishResult & { read: number; interleaved?: boolean }>({ published: 0, duplicates: 0, read: 0 });
      const outcome = await publishInOrder(js, read.events, options);
      const last = read.events[outcome.published - 1];
      if (last) await advanceCursor(tx, follower.name, last.id);
      return ok({ ...outcome, read: read.events.length });
    });
    if (!result.ok) throw new Error(`publishing to JetStream failed: ${result.problem.detail}`);
    total.published += result.value.published;
    total.duplicates += result.value.duplicates;
    if (result.value.error !== undefined) return { ...total, error: result.value.error };
    if (result.value.interleaved) return { ...total, backlog: true };
    if (result.value.read < batchSize) return total;
  }
  return { ...total, backlog: true };
}

/** JetStream's answer to a publish whose expected last message is not the stream's last. */
const WRONG_LAST_MSG_ID = 10070;

type Publish = { ack: PubAck } | { error: unknown };

/**
 * Publishes a batch at once, in outbox order on one connection, then reads the acknowledgements
 * in that order. Each message but the first expects its predecessor to be the stream's last
 * message (`Nats-Expected-Last-Msg-Id`; JetStream checks duplicates first, so a re-publish still
 * passes): a message whose predecessor was not stored is refused, never stored ahead of it. A
 * refusal of that kind as the first failure means another publisher wrote in between (a second
 * installation on the stream): the batch stops there, unreported, and `interleaved` asks for
 * another run at once, whose first message expects nothing.
 */
async function publishInOrder(
  js: JetStreamClient,
  events: OutboxEvent[],
  options: PublishOptions,
): Promise<PublishResult & { interleaved?: boolean }> {
  const msgIds = events.map((event) => messageId(options.installationId, event.id));
  const sent = events.map((event, i): Promise<Publish> =>
    js
      .publish(subjectFor(options.subjectPrefix, event.type), messageBody(event), {
        msgID: msgIds[i]!,
        expect: { streamName: options.stream, ...(i > 0 ? { lastMsgID: msgIds[i - 1]! } : {}) },
        timeout: options.publishTimeoutMs ?? 5_000,
      })
      .then(
        (ack) => ({ ack }),
        (error: unknown) => ({ error }),
      ),
  );
  let published = 0;
  let duplicates = 0;
  for (const [i, pending] of sent.entries()) {
    const outcome = await pending;
    if ('error' in outcome) {
      if (i > 0 && (outcome.error as NatsError).api_error?.err_code === WRONG_LAST_MSG_ID)
        return { published, duplicates, interleaved: true };
      const reason = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      const refused = new Error(
        `JetStream did not take event ${events[i]!.id} (Nats-Msg-Id ${msgIds[i]}) on stream ${options.stream}: ${reason}`,
        { cause: outcome.error },
      );
      return { published, duplicates, error: refused };
    }
    if (outcome.ack.duplicate) {
      duplicates++;
      options.onDuplicate?.({ eventId: String(events[i]!.id), msgId: msgIds[i]! });
    }
    published++;
  }
  return { published, duplicates };
}
