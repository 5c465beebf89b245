import path from 'node:path';

/** Runtime configuration, read once from the environment. */
export interface Config {
  port: number;
  host: string;
  /** `postgres://…` for a PostgreSQL server; absent for the embedded database. */
  databaseUrl: string | undefined;
  /**
   * DATABASE_READ_URL: a streaming replica of `databaseUrl` that serves availability, order
   * search, reports and the customer 360 (docs/scaling.md); PostgreSQL only.
   */
  readUrl: string | undefined;
  /** With a replica: the reads' bounds and how often the replica is probed (docs/scaling.md). */
  readRouting: { readAfterWaitMs: number; maxLagMs: number; probeIntervalMs: number };
  dataDir: string;
  /** Embedded database: fsync every commit, so a power loss cannot take acknowledged writes. */
  embeddedFsync: boolean;
  bootstrapAdminKey: string | undefined;
  /** CONSIGN_ADMIN_EMAIL: the first admin's e-mail, made on the first start (default admin@localhost). */
  adminEmail: string;
  /** CONSIGN_PUBLIC_URL: where people reach this server, for the sign-in links Consign prints and mails. */
  publicUrl: string | undefined;
  seedDemoOnFirstStart: boolean;
  /** Single sign-on by OpenID Connect (CONSIGN_OIDC_ISSUER and the rest); absent when no issuer is set. */
  oidc: OidcConfig | undefined;
  logLevel: string;
  sweepIntervalMs: number;
  /** How often waiting back-orders are re-routed against new stock. */
  backorderIntervalMs: number;
  /** How often webhook deliveries are enqueued and sent; 0 runs no dispatcher in this process. */
  webhookIntervalMs: number;
  /** How often automation rules look at new events, scheduled rules and due executions; 0: not in this process. */
  automationIntervalMs: number;
  /** How often due subscriptions place their periods' orders; 0 runs no scheduler in this process. */
  subscriptionIntervalMs: number;
  /** How often connector messages are built and polling channels polled (0: not in this process). */
  connectorIntervalMs: number;
  /** How often idempotency keys older than 24 hours are deleted; 0 prunes none in this process. */
  idempotencyPruneIntervalMs: number;
  /**
   * `nats://host:4222`: publish every event to JetStream; absent = no publishing. Several servers
   * of one cluster are given comma-separated (`nats://a:4222,nats://b:4222,nats://c:4222`).
   */
  natsUrl: string | undefined;
  /** Copies JetStream keeps of the stream when Consign creates it: 1, or 3 (or 5) on a cluster. */
  natsStreamReplicas: number;
  /** The JetStream stream the events go to (created when missing). */
  natsStream: string;
  /** Events are published as `<prefix>.<event type>`. */
  natsSubjectPrefix: string;
  poolSize: number;
  /** Requests per second per API key in each process (0: no limit), and the burst allowed above it. */
  rateLimit: { perSecond: number; burst: number };
  /** Bearer token `/metrics` asks for (CONSIGN_METRICS_TOKEN); public when unset. */
  metricsToken: string | undefined;
  /** CONSIGN_SECRET_KEY: base64 of 32 bytes; seals webhook and connector secrets. */
  secretKey: string | undefined;
  /** CONSIGN_SECRET_KEY_PREVIOUS: keys still accepted for opening secrets (comma-separated), while rotating. */
  previousSecretKeys: string[];
  /**
   * The built-in `test` payment gateway (a simulator): `true` with CONSIGN_TEST_GATEWAY=1, `false`
   * with 0; unset, it is on only for the embedded engine with the demo network loaded.
   */
  testGateway: boolean | undefined;
  /** Customer notifications (docs/notifications.md); absent when CONSIGN_SMTP_URL is not set. */
  notifications: NotificationConfig | undefined;
  /** How often the notifications follower runs (CONSIGN_NOTIFY_INTERVAL_MS); 0: not in this process. */
  notifyIntervalMs: number;
  /** Sent notifications older than this many days are deleted (CONSIGN_NOTIFY_RETENTION_DAYS); 0: kept. */
  notifyRetentionDays: number;
  /**
   * Events older than this many days that every outbox follower has passed move to the archive
   * (CONSIGN_EVENT_RETENTION_DAYS, ADR 0045); 0: every event stays in the live outbox.
   */
  eventRetentionDays: number;
  /** How often the event archiver runs when a retention is set; 0: not in this process. */
  eventArchiveIntervalMs: number;
}

interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** CONSIGN_OIDC_ROLE_CLAIM: the ID token claim with the person's groups (default `groups`). */
  roleClaim: string;
  /** CONSIGN_OIDC_ROLE_MAP: `<claim value>:<role>,…`, e.g. `ops-admins:admin,support:agent`. */
  roleMap: string;
  /** CONSIGN_OIDC_LABEL: the sign-in button says "Sign in with <label>" (default SSO). */
  label: string;
}

/** Single sign-on is on when CONSIGN_OIDC_ISSUER is set; it then needs its client and a role map. */
function oidcFromEnv(env: NodeJS.ProcessEnv): OidcConfig | undefined {
  const issuer = urlFromEnv(env, 'CONSIGN_OIDC_ISSUER', ['http:', 'https:']);
  if (!issuer) return undefined;
  const required = (name: string) => {
    const value = env[name]?.trim();
    if (!value) throw new Error(`${name} must be set when CONSIGN_OIDC_ISSUER is set`);
    return value;
  };
  return {
    issuer,
    clientId: required('CONSIGN_OIDC_CLIENT_ID'),
    clientSecret: required('CONSIGN_OIDC_CLIENT_SECRET'),
    roleClaim: env.CONSIGN_OIDC_ROLE_CLAIM?.trim() || 'groups',
    roleMap: required('CONSIGN_OIDC_ROLE_MAP'),
    label: env.CONSIGN_OIDC_LABEL?.trim() || 'SSO',
  };
}

interface NotificationConfig {
  /** CONSIGN_SMTP_URL: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. */
  smtpUrl: string;
  /** CONSIGN_NOTIFY_FROM: the sender of every mail, e.g. `Shop <orders@shop.example>`. */
  from: string;
  /** CONSIGN_NOTIFY_WEBHOOK_URL: where SMS and push messages are POSTed as JSON; absent = e-mail only. */
  webhookUrl: string | undefined;
  /** CONSIGN_PUBLIC_URL: where customers reach this server (the unsubscribe link); absent = no link. */
  publicUrl: string | undefined;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

function switchFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'on' || raw === 'off') return raw === 'on';
  throw new Error(`${name} must be on or off, got "${raw}"`);
}

/** `CONSIGN_TEST_GATEWAY`: `1` switches the built-in `test` payment gateway on, `0` (or unset) leaves it off. */
export function testGatewayWanted(env: NodeJS.ProcessEnv): boolean {
  const raw = env.CONSIGN_TEST_GATEWAY;
  if (raw === undefined || raw === '' || raw === '0') return false;
  if (raw === '1') return true;
  throw new Error(`CONSIGN_TEST_GATEWAY must be 1 (on) or 0 (off), got "${raw}"`);
}

/** NATS stream names: no whitespace, `.`, `*`, `>` or path separators. */
const STREAM_NAME = /^[^\s.*>/\\]+$/;
/** Subject prefixes: dot-separated tokens, none empty, no whitespace and no wildcards. */
const SUBJECT_PREFIX = /^[^\s.*>]+(\.[^\s.*>]+)*$/;

function nameFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: string, pattern: RegExp, rule: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!pattern.test(raw)) throw new Error(`${name} must be ${rule}, got "${raw}"`);
  return raw;
}

/** JetStream keeps 1 to 5 copies of a stream; more than one needs a cluster of at least as many servers. */
function replicasFromEnv(env: NodeJS.ProcessEnv, name: string): number {
  const replicas = intFromEnv(env, name, 1);
  if (replicas < 1 || replicas > 5)
    throw new Error(`${name} must be 1 to 5 (3 on a three-server cluster), got "${replicas}"`);
  return replicas;
}

function urlFromEnv(env: NodeJS.ProcessEnv, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || !protocols.includes(url.protocol))
    throw new Error(`${name} must be a ${protocols.map((p) => `${p}//`).join(' or ')} URL, got "${raw}"`);
  return raw;
}

/** Notifications are on when CONSIGN_SMTP_URL is set; they then need a sender. */
function notificationsFromEnv(env: NodeJS.ProcessEnv): NotificationConfig | undefined {
  const smtpUrl = urlFromEnv(env, 'CONSIGN_SMTP_URL', ['smtp:', 'smtps:']);
  const webhookUrl = urlFromEnv(env, 'CONSIGN_NOTIFY_WEBHOOK_URL', ['http:', 'https:']);
  const publicUrl = urlFromEnv(env, 'CONSIGN_PUBLIC_URL', ['http:', 'https:'])?.replace(/\/+$/, '');
  if (!smtpUrl) return undefined;
  const from = env.CONSIGN_NOTIFY_FROM;
  if (!from)
    throw new Error('CONSIGN_NOTIFY_FROM must name the sender of notification mails when CONSIGN_SMTP_URL is set');
  return { smtpUrl, from, webhookUrl, publicUrl };
}

/** DATABASE_READ_URL: a PostgreSQL URL, and only next to DATABASE_URL (the embedded engine has no replicas). */
function readUrlFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const readUrl = urlFromEnv(env, 'DATABASE_READ_URL', ['postgres:', 'postgresql:']);
  if (readUrl && !env.DATABASE_URL)
    throw new Error(
      'DATABASE_READ_URL is set but DATABASE_URL is not: a read replica serves a PostgreSQL server, and the embedded database has none. Set DATABASE_URL to the primary, or unset DATABASE_READ_URL.',
    );
  return readUrl;
}

function positiveIntFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = intFromEnv(env, name, fallback);
  if (value === 0) throw new Error(`${name} must be a positive integer, got "0"`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    testGateway: env.CONSIGN_TEST_GATEWAY ? testGatewayWanted(env) : undefined,
    port: intFromEnv(env, 'PORT', 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    readUrl: readUrlFromEnv(env),
    readRouting: {
      readAfterWaitMs: intFromEnv(env, 'CONSIGN_READ_AFTER_WAIT_MS', 200),
      maxLagMs: positiveIntFromEnv(env, 'CONSIGN_REPLICA_MAX_LAG_MS', 5000),
      probeIntervalMs: positiveIntFromEnv(env, 'CONSIGN_REPLICA_PROBE_INTERVAL_MS', 1000),
    },
    dataDir: path.resolve(env.CONSIGN_DATA_DIR ?? './data'),
    embeddedFsync: switchFromEnv(env, 'CONSIGN_EMBEDDED_FSYNC', true),
    bootstrapAdminKey: env.CONSIGN_BOOTSTRAP_ADMIN_KEY || undefined,
    adminEmail: (env.CONSIGN_ADMIN_EMAIL || 'admin@localhost').trim().toLowerCase(),
    publicUrl: urlFromEnv(env, 'CONSIGN_PUBLIC_URL', ['http:', 'https:'])?.replace(/\/+$/, ''),
    seedDemoOnFirstStart: env.CONSIGN_DEMO !== '0',
    oidc: oidcFromEnv(env),
    logLevel: env.LOG_LEVEL ?? 'info',
    sweepIntervalMs: intFromEnv(env, 'CONSIGN_SWEEP_INTERVAL_MS', 1000),
    backorderIntervalMs: intFromEnv(env, 'CONSIGN_BACKORDER_INTERVAL_MS', 2000),
    webhookIntervalMs: intFromEnv(env, 'CONSIGN_WEBHOOK_INTERVAL_MS', 1000),
    automationIntervalMs: intFromEnv(env, 'CONSIGN_AUTOMATION_INTERVAL_MS', 1000),
    subscriptionIntervalMs: intFromEnv(env, 'CONSIGN_SUBSCRIPTION_INTERVAL_MS', 5000),
    connectorIntervalMs: intFromEnv(env, 'CONSIGN_CONNECTOR_INTERVAL_MS', 1000),
    idempotencyPruneIntervalMs: intFromEnv(env, 'CONSIGN_IDEMPOTENCY_PRUNE_INTERVAL_MS', 60_000),
    natsUrl: env.NATS_URL || env.CONSIGN_NATS_URL || undefined,
    natsStream: nameFromEnv(
      env,
      'CONSIGN_NATS_STREAM',
      'CONSIGN_EVENTS',
      STREAM_NAME,
      'a JetStream stream name (no spaces, ".", "*", ">" or slashes)',
    ),
    natsSubjectPrefix: nameFromEnv(
      env,
      'CONSIGN_NATS_SUBJECT_PREFIX',
      'consign',
      SUBJECT_PREFIX,
      'a NATS subject without wildcards (dot-separated tokens, no spaces, "*" or ">")',
    ),
    natsStreamReplicas: replicasFromEnv(env, 'CONSIGN_NATS_STREAM_REPLICAS'),
    poolSize: intFromEnv(env, 'CONSIGN_DB_POOL_SIZE', 16),
    rateLimit: {
      perSecond: intFromEnv(env, 'CONSIGN_RATE_LIMIT_PER_SECOND', 200),
      burst: intFromEnv(env, 'CONSIGN_RATE_LIMIT_BURST', 1000),
    },
    metricsToken: env.CONSIGN_METRICS_TOKEN || undefined,
    secretKey: env.CONSIGN_SECRET_KEY || undefined,
    previousSecretKeys: (env.CONSIGN_SECRET_KEY_PREVIOUS ?? '')
      .split(',')
      .map((key) => key.trim())
      .filter(Boolean),
    notifications: notificationsFromEnv(env),
    notifyIntervalMs: intFromEnv(env, 'CONSIGN_NOTIFY_INTERVAL_MS', 1000),
    notifyRetentionDays: intFromEnv(env, 'CONSIGN_NOTIFY_RETENTION_DAYS', 90),
    eventRetentionDays: intFromEnv(env, 'CONSIGN_EVENT_RETENTION_DAYS', 0),
    eventArchiveIntervalMs: intFromEnv(env, 'CONSIGN_EVENT_ARCHIVE_INTERVAL_MS', 60_000),
  };
}
