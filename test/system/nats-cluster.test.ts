import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installationId } from '../../src/db/index.ts';
import { cursorPosition, ensureEventStream, gapGraceMsFor, startNatsPublisher } from '../../src/streaming/index.ts';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { natsServerBinary, startNatsCluster, type NatsCluster } from '../support/nats-cluster.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { listAllEvents } from '../support/outbox.ts';
import { serviceOrSkip } from '../support/required-service.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/wait.ts';

const installed = serviceOrSkip(
  natsServerBinary() !== undefined,
  'The NATS cluster test starts three nats-server processes, and none is installed (apt-get install nats-server).',
);

const ORDERS = 40;
/** The stream's leader is killed once this many orders are placed; the rest are placed without it. */
const KILL_AFTER = 15;
const target = { stream: 'CONSIGN_CLUSTER_TEST', subjectPrefix: 'consign_cluster_test' };

describe.skipIf(!installed)('NATS JetStream cluster: a node killed mid-stream', () => {
  let cluster: NatsCluster;
  let database: TestDatabase;
  let server: TestServer;
  let net: SmallNetwork;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    [cluster, database] = await Promise.all([startNatsCluster(3), createTestDatabase()]);
    server = await startTestServer(database);
    net = await createSmallNetwork(server, 2);
    for (const store of [net.storeA, net.storeB]) {
      await server.request('PATCH', `/v1/locations/${store}`, { body: { latitude: 40.75, longitude: -73.99 } });
    }
    for (const sku of net.skus) {
      await setStock(server, net.storeA, sku, 1_000);
      await setStock(server, net.storeB, sku, 1_000);
    }
    nc = await connect({ servers: cluster.url.split(',') });
    jsm = await nc.jetstreamManager();
  });
  afterAll(async () => {
    await nc?.close();
    await server?.close();
    await database?.close();
    await cluster?.stop();
  });

  it('publishes every event exactly once, in outbox order, while the stream leader is killed and comes back', async () => {
    const errors: unknown[] = [];
    const statuses: string[] = [];
    const publisher = startNatsPublisher(database.db, {
      url: cluster.url,
      ...target,
      replicas: 3,
      intervalMs: 20,
      publishTimeoutMs: 2_000,
      gapGraceMs: gapGraceMsFor(testEngine()),
      onError: (error) => errors.push(error),
      onStatus: (status) => statuses.push(status),
    });
    const published = () => cursorPosition(database.db, 'nats');
    let killed: { name: string; atEvent: number; publishedBefore: number; at: number } | undefined;
    try {
      const created = await waitFor(
        'the publisher to create the stream on three nodes, with a leader',
        async () => {
          const info = await jsm.streams.info(target.stream).catch(() => undefined);
          return info?.cluster?.leader ? info : false;
        },
        { timeoutMs: 15_000, describe: () => errors.map(String).join('; ') },
      );
      expect(created.config.num_replicas).toBe(3);
      const peers = [created.cluster?.leader, ...(created.cluster?.replicas ?? []).map((peer) => peer.name)];
      expect(new Set(peers), JSON.stringify(created.cluster)).toEqual(new Set(cluster.nodes.map((node) => node.name)));

      for (let i = 1; i <= ORDERS; i++) {
        const sku = net.skus[i % net.skus.length]!;
        const placed = await placeOrder(server, orderBody(`NC-${i}`, [{ sku, quantity: 1 }]));
        expect(placed.status, JSON.stringify(placed.body)).toBe(201);
        if (i === KILL_AFTER) {
          // Mid-stream: the order's events are committed and the publisher is at them right now.
          const leader = (await jsm.streams.info(target.stream)).cluster?.leader;
          if (!leader) throw new Error('the stream reports no leader');
          const publishedBefore = await published();
          await cluster.node(leader).kill();
          const at = Date.now();
          const atEvent = Number((await listAllEvents(server.request)).at(-1)!.id);
          killed = { name: leader, atEvent, publishedBefore, at };
        }
      }
      const events = await listAllEvents(server.request);
      const last = Number(events.at(-1)!.id);
      await waitFor('the publisher to pass every event after the kill', async () => (await published()) >= last, {
        timeoutMs: 30_000,
        describe: async () => `at ${await published()} of ${last}; ${errors.map(String).join('; ')}`,
      });
      const caughtUpMs = Date.now() - killed!.at;
      const newLeader = (await jsm.streams.info(target.stream)).cluster?.leader;
      expect(newLeader).not.toBe(killed!.name);

      // The killed node comes back and catches up from the others.
      const restartedAt = Date.now();
      await cluster.node(killed!.name).restart();
      await waitFor(
        'the restarted node to hold the whole stream again',
        async () => {
          const info = await jsm.streams.info(target.stream);
          const replica = info.cluster?.replicas?.find((peer) => peer.name === killed!.name);
          return replica?.current === true && (replica.lag ?? 0) === 0 && info.state.messages === events.length;
        },
        { timeoutMs: 20_000, describe: async () => JSON.stringify((await jsm.streams.info(target.stream)).cluster) },
      );
      const rejoinMs = Date.now() - restartedAt;

      // A consumer reads the whole stream: each event once, in the outbox's order.
      const installation = await installationId(database.db);
      const { state } = await jsm.streams.info(target.stream);
      const consumer = await nc.jetstream().consumers.get(target.stream);
      const read: { id: string; msgId: string | undefined; subjectId: string }[] = [];
      for await (const message of await consumer.fetch({ max_messages: state.messages, expires: 5_000 })) {
        const body = message.json<{ id: string; subject_id: string }>();
        read.push({ id: body.id, msgId: message.headers?.get('Nats-Msg-Id'), subjectId: body.subject_id });
        if (read.length === state.messages) break;
      }
      const counts = new Map<string, number>();
      for (const { id } of read) counts.set(id, (counts.get(id) ?? 0) + 1);
      expect([...counts.values()].filter((count) => count !== 1)).toEqual([]);
      expect(new Set(counts.keys())).toEqual(new Set(events.map((event) => event.id)));
      expect(read.map((message) => message.id)).toEqual(events.map((event) => event.id));
      expect(read.map((message) => message.msgId)).toEqual(events.map((event) => `${installation}:${event.id}`));
      // Each order's events in the order they were committed.
      const orderIds = new Set(events.filter((e) => e.type === 'order.created').map((e) => e.subject_id));
      expect(orderIds.size).toBe(ORDERS);
      for (const orderId of orderIds) {
        const streamed = read.filter((m) => m.subjectId === orderId).map((m) => Number(m.id));
        expect(streamed).toEqual([...streamed].sort((a, b) => a - b));
      }

      console.info(
        `NATS cluster (${testEngine()}): ${events.length} events from ${ORDERS} orders; leader ${killed!.name} killed ` +
          `after order ${KILL_AFTER} (outbox at event ${killed!.atEvent}, ${killed!.publishedBefore} published), ` +
          `new leader ${newLeader}; every event published ${caughtUpMs} ms after the kill; ` +
          `the node rejoined and caught up in ${rejoinMs} ms; ${errors.length} publish errors retried (${errors.map(String).join(' | ')}); statuses ${statuses.join(',')}`,
      );
    } finally {
      await publisher.stop();
    }
  });

  it('raises the replicas of a stream that has fewer, and never lowers them', async () => {
    const single = { stream: 'CONSIGN_CLUSTER_SINGLE', subjectPrefix: 'consign_cluster_single' };
    try {
      expect(await ensureEventStream(jsm, single)).toBe('created');
      expect((await jsm.streams.info(single.stream)).config.num_replicas).toBe(1);
      expect(await ensureEventStream(jsm, { ...single, replicas: 3 })).toBe('updated');
      expect((await jsm.streams.info(single.stream)).config.num_replicas).toBe(3);
      expect(await ensureEventStream(jsm, { ...single, replicas: 1 })).toBe('unchanged');
      expect((await jsm.streams.info(single.stream)).config.num_replicas).toBe(3);
    } finally {
      await jsm.streams.delete(single.stream).catch(() => {});
    }
  });
});
