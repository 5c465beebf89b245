import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import { sql } from 'drizzle-orm';
import { connect, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOutboxFollower,
  cursorPosition,
  ensureEventStream,
  gapGraceMsFor,
  publishPendingEvents,
  startNatsPublisher,
} from '../../src/streaming/index.ts';
import { installationId } from '../../src/db/index.ts';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { serviceOrSkip } from '../support/required-service.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const HOST = '127.0.0.1';
const PORT = 4222;

/** True when something accepts TCP connections on the NATS port. */
function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true)).once('error', () => done(false));
    socket.connect(port, host);
  });
}

const natsUp = serviceOrSkip(
  await listening(HOST, PORT),
  `The NATS tests need a JetStream server on ${HOST}:${PORT}, and nothing listens there (start nats-server -js).`,
);

// Each run gets a stream and subject prefix of its own, so both engines can run side by side.
const suffix = randomBytes(4).toString('hex');
const target = { stream: `CONSIGN_TEST_${suffix.toUpperCase()}`, subjectPrefix: `consign_test_${suffix}` };

interface StreamedEvent {
  subject: string;
  msgId: string | undefined;
  body: {
    id: string;
    type: string;
    subject_type: string;
    subject_id: string;
    data: Record<string, unknown>;
    created_at: string;
  };
}

describe.skipIf(!natsUp)(`NATS JetStream publishing (${HOST}:${PORT})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let net: SmallNetwork;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let js: JetStreamClient;
  let installation: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database);
    net = await createSmallNetwork(server, 3);
    for (const [i, sku] of net.skus.entries()) {
      await setStock(server, net.dc, sku, 10 + i);
      await setStock(server, net.storeA, sku, 20 + i);
    }
    nc = await connect({ servers: `${HOST}:${PORT}` });
    jsm = await nc.jetstreamManager();
    js = nc.jetstream();
    installation = await installationId(database.db);
  });
  afterAll(async () => {
    await jsm?.streams.delete(target.stream).catch(() => {});
    await nc?.close();
    await server?.close();
    await database?.close();
  });

  const outbox = async () =>
    (await server.request('GET', '/v1/events?limit=500')).body.data as {
      id: string;
      type: string;
      subject_id: string;
    }[];

  /** Everything in the stream, in stream order, read with an ordered consumer. */
  async function readStream(stream = target.stream): Promise<StreamedEvent[]> {
    const { state } = await jsm.streams.info(stream);
    if (state.messages === 0) return [];
    const consumer = await js.consumers.get(stream);
    const messages = await consumer.fetch({ max_messages: state.messages, expires: 5_000 });
    const read: StreamedEvent[] = [];
    for await (const message of messages) {
      read.push({ subject: message.subject, msgId: message.headers?.get('Nats-Msg-Id'), body: message.json() });
      if (read.length === state.messages) break;
    }
    return read;
  }

  it('creates the stream once, and adds its subjects to a stream that lacks them', async () => {
    expect(await ensureEventStream(jsm, target)).toBe('created');
    expect(await ensureEventStream(jsm, target)).toBe('unchanged');
    const info = await jsm.streams.info(target.stream);
    expect(info.config.subjects).toEqual([`${target.subjectPrefix}.>`]);
    expect(info.config.duplicate_window).toBe(10 * 60 * 1e9);

    const other = { stream: `${target.stream}_OTHER`, subjectPrefix: `${target.subjectPrefix}_other` };
    await jsm.streams.add({ name: other.stream, subjects: [`${other.subjectPrefix}_legacy.>`] });
    expect(await ensureEventStream(jsm, other)).toBe('updated');
    expect((await jsm.streams.info(other.stream)).config.subjects).toEqual([
      `${other.subjectPrefix}_legacy.>`,
      `${other.subjectPrefix}.>`,
    ]);
    await jsm.streams.delete(other.stream);
  });

  it('says what to change when the server cannot keep the replicas asked for', async () => {
    const replicated = { stream: `${target.stream}_R3`, subjectPrefix: `${target.subjectPrefix}_r3`, replicas: 3 };
    await expect(ensureEventStream(jsm, replicated)).rejects.toThrow(
      /CONSIGN_NATS_STREAM_REPLICAS=3 .*3 JetStream servers.*set CONSIGN_NATS_STREAM_REPLICAS=1/,
    );
    await expect(jsm.streams.info(replicated.stream)).rejects.toThrow(/stream not found/);
  });

  it('publishes every outbox event in order, as <prefix>.<type> with Nats-Msg-Id = <installation>:<event ID>', async () => {
    const events = await outbox();
    expect(events.length).toBeGreaterThanOrEqual(6);
    const follower = createOutboxFollower('nats', { gapGraceMs: gapGraceMsFor(testEngine()) });
    const result = await publishPendingEvents(database.db, js, follower, {
      ...target,
      installationId: installation,
      batchSize: 4,
    });
    expect(result).toEqual({ published: events.length, duplicates: 0 });
    expect(await cursorPosition(database.db, 'nats')).toBe(Number(events.at(-1)!.id));

    const streamed = await readStream();
    expect(streamed.map((m) => m.body.id)).toEqual(events.map((e) => e.id));
    expect(installation).toMatch(/^ins_/);
    expect(streamed.map((m) => m.msgId)).toEqual(events.map((e) => `${installation}:${e.id}`));
    expect(streamed.map((m) => m.subject)).toEqual(events.map((e) => `${target.subjectPrefix}.${e.type}`));
    expect(streamed[0]!.body).toMatchObject({
      type: 'inventory.availability_changed',
      subject_type: 'stock_level',
      data: { sku: net.skus[0] },
    });
    expect(await publishPendingEvents(database.db, js, follower, { ...target, installationId: installation })).toEqual({
      published: 0,
      duplicates: 0,
    });
  });

  it('publishing again after the cursor was reset adds nothing: JetStream drops the duplicates', async () => {
    const before = (await jsm.streams.info(target.stream)).state.messages;
    await database.db.execute(sql`update outbox_cursors set last_event_id = 0 where name = 'nats'`);
    const follower = createOutboxFollower('nats', { gapGraceMs: gapGraceMsFor(testEngine()) });
    const reported: { eventId: string; msgId: string }[] = [];
    const result = await publishPendingEvents(database.db, js, follower, {
      ...target,
      installationId: installation,
      onDuplicate: (duplicate) => reported.push(duplicate),
    });
    expect(result).toEqual({ published: before, duplicates: before });
    const ids = (await outbox()).map((e) => e.id);
    expect(reported).toEqual(ids.map((id) => ({ eventId: id, msgId: `${installation}:${id}` })));
    expect((await jsm.streams.info(target.stream)).state.messages).toBe(before);
    expect((await readStream()).map((m) => m.body.id)).toEqual((await outbox()).map((e) => e.id));
  });

  it('reports a refused stream once per retry, not on every tick, and publishes nothing meanwhile', async () => {
    const errors: Error[] = [];
    const before = await cursorPosition(database.db, 'nats');
    const publisher = startNatsPublisher(database.db, {
      url: `nats://${HOST}:${PORT}`,
      stream: `${target.stream}_REFUSED`,
      subjectPrefix: `${target.subjectPrefix}_refused`,
      replicas: 3,
      intervalMs: 20,
      streamRetryMs: 60_000,
      gapGraceMs: gapGraceMsFor(testEngine()),
      onError: (error) => errors.push(error as Error),
    });
    try {
      const deadline = Date.now() + 10_000;
      while (errors.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      await new Promise((resolve) => setTimeout(resolve, 500)); // 25 ticks
    } finally {
      await publisher.stop();
    }
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('set CONSIGN_NATS_STREAM_REPLICAS=1')]);
    expect(await cursorPosition(database.db, 'nats')).toBe(before);
  });

  it('never stores an event ahead of one JetStream did not take: that batch stops, the next run goes on', async () => {
    const own = { stream: `${target.stream}_ORDER`, subjectPrefix: `${target.subjectPrefix}_order` };
    await ensureEventStream(jsm, own);
    try {
      const events = await outbox();
      // Another publisher stored the second event's message first, so the stream's last message is
      // not the first event's when the third is published (which expects it to be).
      const [, second] = events;
      await js.publish(
        `${own.subjectPrefix}.${second!.type}`,
        new TextEncoder().encode(JSON.stringify({ id: second!.id })),
        {
          msgID: `${installation}:${second!.id}`,
        },
      );
      const follower = createOutboxFollower('nats-order', { gapGraceMs: gapGraceMsFor(testEngine()) });
      const options = { ...own, installationId: installation, batchSize: 4 };
      expect(await publishPendingEvents(database.db, js, follower, { ...options, maxBatches: 1 })).toEqual({
        published: 2,
        duplicates: 1,
        backlog: true,
      });
      expect(await cursorPosition(database.db, 'nats-order')).toBe(Number(second!.id));
      expect((await readStream(own.stream)).map((m) => m.body.id)).toEqual([second!.id, events[0]!.id]);

      const rest = await publishPendingEvents(database.db, js, follower, options);
      expect(rest).toEqual({ published: events.length - 2, duplicates: 0 });
      const streamed = (await readStream(own.stream)).map((m) => m.body.id);
      expect(streamed).toEqual([second!.id, events[0]!.id, ...events.slice(2).map((e) => e.id)]);
    } finally {
      await jsm.streams.delete(own.stream).catch(() => {});
    }
  });

  it('startNatsPublisher follows the outbox on its own and stops cleanly', async () => {
    const errors: unknown[] = [];
    const statuses: string[] = [];
    const publisher = startNatsPublisher(database.db, {
      url: `nats://${HOST}:${PORT}`,
      ...target,
      intervalMs: 20,
      gapGraceMs: gapGraceMsFor(testEngine()),
      onError: (error) => errors.push(error),
      onStatus: (status) => statuses.push(status),
    });
    try {
      await setStock(server, net.storeB, net.skus[0]!, 42);
      const last = (await outbox()).at(-1)!;
      const deadline = Date.now() + 10_000;
      while ((await cursorPosition(database.db, 'nats')) < Number(last.id) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      await publisher.stop();
    }
    expect(errors).toEqual([]);
    expect(statuses).toContain('connected');
    const streamed = await readStream();
    expect(streamed.at(-1)!.body).toMatchObject({
      type: 'inventory.availability_changed',
      data: { location_id: net.storeB, on_hand: 42 },
    });
    expect(streamed.map((m) => m.body.id)).toEqual((await outbox()).map((e) => e.id));
  });

  it('two installations on one stream: a consumer sees every event of both', async () => {
    const shared = { stream: `${target.stream}_SHARED`, subjectPrefix: `${target.subjectPrefix}_shared` };
    const installations: { database: TestDatabase; server: TestServer }[] = [];
    const publishers: { stop: () => Promise<void> }[] = [];
    const errors: unknown[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        // Each its own database, so both number their events from 1.
        const own = await createTestDatabase();
        const ownServer = await startTestServer(own);
        installations.push({ database: own, server: ownServer });
        const ownNet = await createSmallNetwork(ownServer, 2);
        for (const sku of ownNet.skus) await setStock(ownServer, ownNet.dc, sku, 5 + i);
      }
      await ensureEventStream(jsm, shared);
      for (const { database: own } of installations) {
        publishers.push(
          startNatsPublisher(own.db, {
            url: `nats://${HOST}:${PORT}`,
            ...shared,
            intervalMs: 20,
            gapGraceMs: gapGraceMsFor(testEngine()),
            onError: (error) => errors.push(error),
          }),
        );
      }
      const outboxes = await Promise.all(
        installations.map(async ({ server: s }) => (await s.request('GET', '/v1/events?limit=500')).body.data),
      );
      const deadline = Date.now() + 15_000;
      for (const [i, { database: own }] of installations.entries()) {
        const last = Number(outboxes[i]!.at(-1).id);
        while ((await cursorPosition(own.db, 'nats')) < last && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      }
      const ids = outboxes.map((events: { id: string }[]) => events.map((e) => e.id));
      expect(ids[0]![0]).toBe(ids[1]![0]); // the same event IDs on both sides
      const { state } = await jsm.streams.info(shared.stream);
      expect(state.messages).toBe(ids[0]!.length + ids[1]!.length);
      const prefixes = await Promise.all(installations.map(({ database: own }) => installationId(own.db)));
      expect(new Set(prefixes).size).toBe(2);
      const consumer = await js.consumers.get(shared.stream);
      const seen = new Set<string>();
      for await (const message of await consumer.fetch({ max_messages: state.messages, expires: 5_000 })) {
        seen.add(message.headers!.get('Nats-Msg-Id'));
        if (seen.size === state.messages) break;
      }
      expect(seen).toEqual(new Set(prefixes.flatMap((prefix, i) => ids[i]!.map((id) => `${prefix}:${id}`))));
      expect(errors).toEqual([]);
    } finally {
      for (const publisher of publishers) await publisher.stop();
      await jsm.streams.delete(shared.stream).catch(() => {});
      for (const { server: s, database: own } of installations) {
        await s.close();
        await own.close();
      }
    }
  });

  it('keeps trying while NATS is unreachable, and stops without hanging', async () => {
    const errors: unknown[] = [];
    const publisher = startNatsPublisher(database.db, {
      url: `nats://${HOST}:1`,
      ...target,
      connectRetryMs: 20,
      onError: (error) => errors.push(error),
    });
    const deadline = Date.now() + 5_000;
    while (errors.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await publisher.stop();
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(String(errors[0])).toMatch(/CONNECTION_REFUSED|ECONNREFUSED/);
  });
});
