import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { migrate, openDatabase, readMeta, type Database } from './db/index.ts';
import { DEMO_SEEDED_KEY } from './demo/index.ts';
import { setTestGateway } from './payments/index.ts';
import { parseRoleMap, signInLinkUrl, SIGN_IN_LINK_HOURS } from './auth/index.ts';
import { initializeOnFirstStart, type StartKind } from './first-start.ts';
import { buildApp } from './http/app.ts';
import { closeConnectionsOnDrain } from './http/drain.ts';
import { consoleIsBuilt } from './http/console.ts';
import { startIdempotencyPruner } from './http/idempotency.ts';
import { startEventArchiver } from './events/index.ts';
import { startBackorderWorker } from './orders/index.ts';
import { startExpirySweeper } from './reservations/index.ts';
import { gapGraceMsFor, startNatsPublisher } from './streaming/index.ts';
import { startSubscriptionScheduler } from './subscriptions/index.ts';
import { startWebhookDispatcher } from './webhooks/index.ts';
import { startNotifier } from './notifications/index.ts';
import { startTracing } from './telemetry/index.ts';
import { outboundPerformers, startConnectorWorkers } from './connectors/index.ts';
import { startAutomationWorker } from './automations/index.ts';
import { startSimulationWorker } from './simulations/index.ts';
import { resealStoredSecrets } from './reseal-secrets.ts';
import { resolveKeyring, useKeyring, type Keyring, type ResolvedKeyring } from './secrets/index.ts';
import { throttle } from './shared/throttle.ts';

const SHUTDOWN_TIMEOUT_MS = 10_000;

/** The channel migration 0020's trigger notifies when a transaction that wrote events commits. */
const EVENTS_CHANNEL = 'consign_events';

/**
 * Committed events wake the followers at most once per this many ms (ADR 0043): the first commit
 * after a quiet spell wakes them at once; under load, each wake reads the events of many orders
 * instead of every order's events waking every follower for a run of its own.
 */
const FOLLOWER_WAKE_GAP_MS = 20;

/** How often a server looks for routing simulations no process is running (queued, or left by a stopped one). */
const SIMULATION_INTERVAL_MS = 5_000;

export interface RunningServer {
  app: FastifyInstance;
  /** Where a person on this machine reaches the server, e.g. `http://localhost:3000`. */
  url: string;
  port: number;
  /** Stops taking requests and drains those in flight while the workers stop, then closes the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Exit gracefully on SIGTERM and SIGINT (default true); embedders that manage the process pass false. */
  handleSignals?: boolean;
  /** Where the human lines (first-start key, listening URL) go; default stdout. */
  print?: (line: string) => void;
}

/** `0.0.0.0` and `::` mean every address: print one a browser on this machine can open. */
export function displayUrl(host: string, port: number): string {
  const shown = ['', '0.0.0.0', '::', '[::]'].includes(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

/**
 * Runs Consign: opens and migrates the database, finishes the first start (demo network, admin
 * key), serves the API and runs the background workers (expired cart holds, back-orders,
 * webhooks, customer notifications, subscriptions, connectors, idempotency-key and event
 * retention, NATS) until stopped.
 */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const print = options.print ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const secretKeys = resolveKeyring(config); // before anything opens: a server database without a key is refused here
  useKeyring(secretKeys.keyring);
  const tracing = startTracing(); // before the database opens: its connections then trace statements
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    readUrl: config.readUrl,
    dataDir: config.dataDir,
    fsync: config.embeddedFsync,
    poolSize: config.poolSize,
  });
  let app: FastifyInstance | undefined;
  let firstAdmin: Awaited<ReturnType<typeof prepareDatabase>>;
  try {
    app = await buildApp({
      database,
      bootstrapAdminKey: config.bootstrapAdminKey,
      logLevel: config.logLevel,
      rateLimit: config.rateLimit,
      metricsToken: config.metricsToken,
      readRouting: config.readRouting,
      oidc: config.oidc && { ...config.oidc, roleMap: parseRoleMap(config.oidc.roleMap) },
    });
    closeConnectionsOnDrain(app);
    if (tracing) app.log.info({ url: tracing.url }, 'exporting traces over OTLP/HTTP');
    logSecretKey(app.log, secretKeys);
    firstAdmin = await prepareDatabase(app.log, database, config, print);
    await sealPlaintextSecrets(app.log, database, secretKeys.keyring);
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app?.close().catch(() => {});
    await database.close().catch(() => {});
    await tracing?.shutdown().catch(() => {});
    useKeyring(undefined);
    throw error;
  }
  const running = app;
  const sweeper = startExpirySweeper(database.db, {
    intervalMs: config.sweepIntervalMs,
    onError: (error) => running.log.error({ err: error }, 'reservation expiry sweep failed'),
    onSwept: (count) => running.log.info({ count }, 'released expired cart holds'),
  });
  const backorders = startBackorderWorker(database.db, {
    intervalMs: config.backorderIntervalMs,
    onError: (error) => running.log.error({ err: error }, 'back-order re-routing failed'),
  });
  const simulations = startSimulationWorker(database.db, {
    intervalMs: SIMULATION_INTERVAL_MS,
    onError: (error) => running.log.error({ err: error }, 'routing simulation failed'),
  });
  const webhooks =
    config.webhookIntervalMs > 0
      ? startWebhookDispatcher(database.db, {
          intervalMs: config.webhookIntervalMs,
          gapGraceMs: gapGraceMsFor(database.engine),
          performers: outboundPerformers,
          onError: (error) => running.log.error({ err: error }, 'webhook dispatch failed'),
          onTick: (result) => running.log.debug(result, 'webhook dispatch'),
        })
      : undefined;
  const automations =
    config.automationIntervalMs > 0
      ? startAutomationWorker(database.db, {
          intervalMs: config.automationIntervalMs,
          gapGraceMs: gapGraceMsFor(database.engine),
          onError: (error) => running.log.error({ err: error }, 'automation rules failed'),
        })
      : undefined;
  const subscriptions =
    config.subscriptionIntervalMs > 0
      ? startSubscriptionScheduler(database.db, {
          intervalMs: config.subscriptionIntervalMs,
          onError: (error) => running.log.error({ err: error }, 'subscription scheduler failed'),
          onRun: (run) => running.log.debug(run, 'subscription scheduler'),
        })
      : undefined;
  const connectors =
    config.connectorIntervalMs > 0
      ? startConnectorWorkers(database.db, {
          intervalMs: config.connectorIntervalMs,
          gapGraceMs: gapGraceMsFor(database.engine),
          onError: (error) => running.log.error({ err: error }, 'connector work failed'),
        })
      : undefined;
  const idempotencyKeys =
    config.idempotencyPruneIntervalMs > 0
      ? startIdempotencyPruner(database.db, {
          intervalMs: config.idempotencyPruneIntervalMs,
          onError: (error) => running.log.error({ err: error }, 'pruning idempotency keys failed'),
          onPruned: (count) => running.log.info({ count }, 'deleted idempotency keys older than 24 hours'),
        })
      : undefined;
  const eventArchiver =
    config.eventRetentionDays > 0 && config.eventArchiveIntervalMs > 0
      ? startEventArchiver(database.db, {
          intervalMs: config.eventArchiveIntervalMs,
          retentionDays: config.eventRetentionDays,
          onError: (error) => running.log.error({ err: error }, 'archiving events failed'),
          onArchived: (count) =>
            running.log.info(
              { count, retention_days: config.eventRetentionDays },
              'moved events past the retention window to the archive',
            ),
        })
      : undefined;
  const nats = config.natsUrl
    ? startNatsPublisher(database.db, {
        url: config.natsUrl,
        stream: config.natsStream,
        replicas: config.natsStreamReplicas,
        subjectPrefix: config.natsSubjectPrefix,
        gapGraceMs: gapGraceMsFor(database.engine),
        onError: (error) => running.log.warn({ err: error }, 'publishing events to NATS failed; retrying'),
        onDuplicate: ({ eventId, msgId }) =>
          running.log.warn(
            { event_id: eventId, msg_id: msgId, stream: config.natsStream },
            'JetStream already had this message ID and did not store the event again (a re-publish, or another publisher using the same IDs)',
          ),
        onStatus: (status, detail) => running.log.info({ status, detail }, 'NATS publisher'),
      })
    : undefined;
  const notifier =
    config.notifyIntervalMs > 0
      ? startNotifier(database.db, {
          intervalMs: config.notifyIntervalMs,
          settings: config.notifications,
          retentionDays: config.notifyRetentionDays,
          gapGraceMs: gapGraceMsFor(database.engine),
          onError: (error) => running.log.error({ err: error }, 'customer notifications failed'),
          onTick: (result) => running.log.debug(result, 'customer notifications'),
        })
      : undefined;
  if (!config.notifications) running.log.info('customer notifications are off (CONSIGN_SMTP_URL is not set)');
  // Committed events wake the outbox's followers, at most once per gap; their ticks remain the fallback.
  const followers = [webhooks, connectors, automations, nats, notifier];
  const wakeFollowers = throttle(() => followers.forEach((follower) => follower?.wake()), FOLLOWER_WAKE_GAP_MS);
  const stopListening = await database.listen(EVENTS_CHANNEL, wakeFollowers.call).catch((error: unknown) => {
    running.log.warn({ err: error }, 'could not LISTEN for committed events; followers run on their ticks only');
    return undefined;
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = displayUrl(config.host, port);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const workers = [
        sweeper,
        backorders,
        simulations,
        connectors,
        webhooks,
        automations,
        notifier,
        subscriptions,
        idempotencyKeys,
        eventArchiver,
        nats,
      ];
      await stopListening?.();
      wakeFollowers.cancel();
      await Promise.all([running.close(), ...workers.map((worker) => worker?.stop())]);
      await database.close();
      await tracing?.shutdown();
      useKeyring(undefined);
    })());
  // Signal handlers first: whoever reads the "listening" line may send SIGTERM at once.
  if (options.handleSignals ?? true) exitGracefullyOnSignals(app.log, stop);
  print(`Consign listening on ${url} (console: ${url}/, API docs: ${url}/docs)`);
  if (firstAdmin) printAdminSignIn(print, config.publicUrl ?? url, firstAdmin);
  if (!consoleIsBuilt())
    print('The console is not built yet: `npm run build:console` builds it (`npm start` does it first).');
  return { app, url, port, stop };
}

async function prepareDatabase(
  log: FastifyBaseLogger,
  database: Database,
  config: Config,
  print: (line: string) => void,
) {
  const { applied } = await migrate(database.db);
  log.info({ database: database.describe, applied }, applied > 0 ? 'applied migrations' : 'database schema is current');
  // The demo's orders are placed on the first start with `test` authorizations: switched on first.
  setTestGateway(config.testGateway ?? (database.engine === 'pglite' && config.seedDemoOnFirstStart));
  const start = await initializeOnFirstStart(database.db, {
    seedDemo: config.seedDemoOnFirstStart,
    adminEmail: config.adminEmail,
  });
  await switchTestGateway(log, database, config, print);
  if (!start.firstStart) return undefined;
  logFirstStart(log, start);
  if (start.adminKey) printAdminKey(print, start.adminKey.secret);
  return start.admin;
}

/** The first admin's one-time sign-in link, printed once the server listens (the link needs its address). */
function printAdminSignIn(print: (line: string) => void, base: string, admin: { email: string; linkToken: string }) {
  print('');
  print(`First start: sign in to the console as ${admin.email}. Open this one-time link to choose a password:`);
  print('');
  print(`  ${signInLinkUrl(base, admin.linkToken)}`);
  print('');
  print(
    `It works once, for ${SIGN_IN_LINK_HOURS} hours; \`consign users reset-link ${admin.email}\` makes a new one. \`consign users add\` invites more people.`,
  );
}

function logSecretKey(log: FastifyBaseLogger, resolved: ResolvedKeyring): void {
  const keyId = resolved.keyring.current.id;
  if (resolved.source === 'new key file') {
    log.warn(
      { key_id: keyId, key_file: resolved.keyFile },
      'generated the key that seals webhook and connector secrets and stored it in the data directory; back it up with the data, or set CONSIGN_SECRET_KEY (see docs/security.md)',
    );
  } else log.info({ key_id: keyId, source: resolved.source }, 'secrets are sealed with this key');
}

/** Seals secrets stored before they were encrypted (or written by an older version) in place. */
async function sealPlaintextSecrets(log: FastifyBaseLogger, database: Database, keyring: Keyring): Promise<void> {
  const { sealed } = await resealStoredSecrets(database.db, keyring, { only: 'plaintext' });
  if (sealed > 0) log.info({ sealed }, 'sealed secrets that were stored in plaintext');
}

/**
 * The `test` gateway simulates payments: on when CONSIGN_TEST_GATEWAY=1, and in the embedded
 * demo (unless CONSIGN_TEST_GATEWAY=0), so the demo's orders capture and refund; off otherwise.
 */
async function switchTestGateway(
  log: FastifyBaseLogger,
  database: Database,
  config: Config,
  print: (line: string) => void,
): Promise<void> {
  const demo = database.engine === 'pglite' && (await readMeta(database.db, DEMO_SEEDED_KEY)) !== undefined;
  const on = config.testGateway ?? demo;
  setTestGateway(on);
  log.info({ test_gateway: on }, on ? 'the test payment gateway is on' : 'the test payment gateway is off');
  if (on && config.testGateway === undefined)
    print('The test payment gateway is on for the demo (it moves no money); CONSIGN_TEST_GATEWAY=0 turns it off.');
}

function logFirstStart(log: FastifyBaseLogger, start: Extract<StartKind, { firstStart: true }>): void {
  const demo = start.demo;
  if (demo.status === 'seeded') log.info({ demo: demo.summary }, 'first start: loaded the demo network');
  else if (demo.status === 'not_empty')
    log.info('first start: the database has data of its own; demo network not loaded');
  else if (demo.status === 'disabled') log.info('first start: demo network not loaded (CONSIGN_DEMO=0)');
  if (start.adminKey) log.info({ key_id: start.adminKey.id }, 'first start: created an admin API key');
}

function printAdminKey(print: (line: string) => void, secret: string): void {
  print('First start: created an admin API key. It is shown only this once; store it now:');
  print('');
  print(`  ${secret}`);
  print('');
  print('Send it as "Authorization: Bearer <key>". `consign keys create --role admin` makes more keys;');
  print('CONSIGN_BOOTSTRAP_ADMIN_KEY, when set, is accepted as an admin key too.');
}

/**
 * SIGTERM or SIGINT: stop taking work, drain in-flight requests, close the database, exit 0.
 * A second signal, or a drain longer than 10 s, exits 1 at once.
 */
function exitGracefullyOnSignals(log: FastifyBaseLogger, stop: () => Promise<void>): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      log.warn({ signal }, 'second signal: exiting without finishing the shutdown');
      process.exit(1);
    }
    signalled = true;
    log.info({ signal }, 'shutting down: draining in-flight requests');
    setTimeout(() => {
      log.error({ timeout_ms: SHUTDOWN_TIMEOUT_MS }, 'shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    stop().then(
      () => {
        log.info('shut down cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
