import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig: NATS', () => {
  it('publishes to CONSIGN_EVENTS under consign unless told otherwise', () => {
    expect(loadConfig({ NATS_URL: 'nats://n:4222' })).toMatchObject({
      natsUrl: 'nats://n:4222',
      natsStream: 'CONSIGN_EVENTS',
      natsSubjectPrefix: 'consign',
      natsStreamReplicas: 1,
    });
    expect(
      loadConfig({ CONSIGN_NATS_STREAM: 'SHOP_EU_EVENTS', CONSIGN_NATS_SUBJECT_PREFIX: 'shop.eu.consign' }),
    ).toMatchObject({ natsStream: 'SHOP_EU_EVENTS', natsSubjectPrefix: 'shop.eu.consign' });
  });

  it('takes a cluster as comma-separated URLs, and the stream replicas a cluster keeps', () => {
    const cluster = 'nats://a:4222,nats://b:4222,nats://c:4222';
    expect(loadConfig({ NATS_URL: cluster, CONSIGN_NATS_STREAM_REPLICAS: '3' })).toMatchObject({
      natsUrl: cluster,
      natsStreamReplicas: 3,
    });
    for (const replicas of ['0', '6', 'three']) {
      expect(() => loadConfig({ CONSIGN_NATS_STREAM_REPLICAS: replicas })).toThrow(/CONSIGN_NATS_STREAM_REPLICAS/);
    }
  });

  it('refuses a stream name or subject prefix NATS would not take', () => {
    for (const stream of ['A.B', 'A B', 'A*', 'A>', 'a/b']) {
      expect(() => loadConfig({ CONSIGN_NATS_STREAM: stream })).toThrow(/CONSIGN_NATS_STREAM/);
    }
    for (const prefix of ['a..b', '.a', 'a.', 'a.*', 'a.>', 'a b']) {
      expect(() => loadConfig({ CONSIGN_NATS_SUBJECT_PREFIX: prefix })).toThrow(/CONSIGN_NATS_SUBJECT_PREFIX/);
    }
  });
});

describe('loadConfig: embedded durability', () => {
  it('fsyncs embedded commits unless CONSIGN_EMBEDDED_FSYNC=off', () => {
    expect(loadConfig({}).embeddedFsync).toBe(true);
    expect(loadConfig({ CONSIGN_EMBEDDED_FSYNC: 'on' }).embeddedFsync).toBe(true);
    expect(loadConfig({ CONSIGN_EMBEDDED_FSYNC: 'off' }).embeddedFsync).toBe(false);
    expect(() => loadConfig({ CONSIGN_EMBEDDED_FSYNC: 'no' })).toThrow(/CONSIGN_EMBEDDED_FSYNC must be on or off/);
  });
});

describe('loadConfig: rate limits and secret keys', () => {
  it('defaults to 200 requests per second per key with bursts of 1000, and reads both', () => {
    expect(loadConfig({}).rateLimit).toEqual({ perSecond: 200, burst: 1000 });
    expect(loadConfig({ CONSIGN_RATE_LIMIT_PER_SECOND: '0', CONSIGN_RATE_LIMIT_BURST: '5' }).rateLimit).toEqual({
      perSecond: 0,
      burst: 5,
    });
    expect(() => loadConfig({ CONSIGN_RATE_LIMIT_PER_SECOND: 'many' })).toThrow(/CONSIGN_RATE_LIMIT_PER_SECOND/);
  });

  it('reads the secret key and the previous keys, comma-separated', () => {
    expect(loadConfig({ CONSIGN_SECRET_KEY: 'k1', CONSIGN_SECRET_KEY_PREVIOUS: 'k0, kx' })).toMatchObject({
      secretKey: 'k1',
      previousSecretKeys: ['k0', 'kx'],
    });
    expect(loadConfig({})).toMatchObject({ secretKey: undefined, previousSecretKeys: [] });
  });
});

describe('loadConfig: the test payment gateway', () => {
  it('is on with CONSIGN_TEST_GATEWAY=1, off with 0, and left to the demo rule when unset', () => {
    expect(loadConfig({ CONSIGN_TEST_GATEWAY: '1' }).testGateway).toBe(true);
    expect(loadConfig({ CONSIGN_TEST_GATEWAY: '0' }).testGateway).toBe(false);
    expect(loadConfig({}).testGateway).toBeUndefined();
    expect(() => loadConfig({ CONSIGN_TEST_GATEWAY: 'true' })).toThrow(/CONSIGN_TEST_GATEWAY/);
  });
});

describe('loadConfig: notifications', () => {
  it('are off without CONSIGN_SMTP_URL, and on with it and a sender', () => {
    expect(loadConfig({ CONSIGN_NOTIFY_FROM: 'a@b.example' }).notifications).toBeUndefined();
    expect(
      loadConfig({
        CONSIGN_SMTP_URL: 'smtp://mail.example:587',
        CONSIGN_NOTIFY_FROM: 'Shop <orders@shop.example>',
        CONSIGN_NOTIFY_WEBHOOK_URL: 'https://sms.example/send',
        CONSIGN_PUBLIC_URL: 'https://oms.shop.example/',
        CONSIGN_NOTIFY_INTERVAL_MS: '250',
      }),
    ).toMatchObject({
      notifications: {
        smtpUrl: 'smtp://mail.example:587',
        from: 'Shop <orders@shop.example>',
        webhookUrl: 'https://sms.example/send',
        publicUrl: 'https://oms.shop.example',
      },
      notifyIntervalMs: 250,
    });
    expect(loadConfig({}).notifyIntervalMs).toBe(1000);
    expect(loadConfig({}).notifyRetentionDays).toBe(90);
    expect(loadConfig({ CONSIGN_NOTIFY_RETENTION_DAYS: '0' }).notifyRetentionDays).toBe(0);
    expect(() => loadConfig({ CONSIGN_NOTIFY_RETENTION_DAYS: '30d' })).toThrow(/CONSIGN_NOTIFY_RETENTION_DAYS/);
  });

  it('keeps every event in the outbox unless a retention is set, and archives each minute then', () => {
    expect(loadConfig({})).toMatchObject({ eventRetentionDays: 0, eventArchiveIntervalMs: 60_000 });
    expect(loadConfig({ CONSIGN_EVENT_RETENTION_DAYS: '90', CONSIGN_EVENT_ARCHIVE_INTERVAL_MS: '5000' })).toMatchObject(
      { eventRetentionDays: 90, eventArchiveIntervalMs: 5000 },
    );
    expect(() => loadConfig({ CONSIGN_EVENT_RETENTION_DAYS: '-1' })).toThrow(/CONSIGN_EVENT_RETENTION_DAYS/);
  });

  it('refuses an SMTP URL of another scheme, a missing sender and a webhook that is not HTTP', () => {
    expect(() => loadConfig({ CONSIGN_SMTP_URL: 'http://mail.example', CONSIGN_NOTIFY_FROM: 'a@b.c' })).toThrow(
      /CONSIGN_SMTP_URL must be a smtp:\/\/ or smtps:\/\/ URL/,
    );
    expect(() => loadConfig({ CONSIGN_SMTP_URL: 'smtp://mail.example' })).toThrow(/CONSIGN_NOTIFY_FROM/);
    expect(() => loadConfig({ CONSIGN_NOTIFY_WEBHOOK_URL: 'ftp://x' })).toThrow(/CONSIGN_NOTIFY_WEBHOOK_URL/);
    expect(() => loadConfig({ CONSIGN_PUBLIC_URL: 'shop' })).toThrow(/CONSIGN_PUBLIC_URL/);
  });
});

describe('loadConfig: the read replica', () => {
  const primary = 'postgres://consign@db1:5432/consign';
  const replica = 'postgres://consign@db2:5432/consign';

  it('is off unless DATABASE_READ_URL is set; its bounds have defaults and can be set', () => {
    expect(loadConfig({ DATABASE_URL: primary }).readUrl).toBeUndefined();
    const config = loadConfig({
      DATABASE_URL: primary,
      DATABASE_READ_URL: replica,
      CONSIGN_READ_AFTER_WAIT_MS: '50',
      CONSIGN_REPLICA_MAX_LAG_MS: '2000',
    });
    expect(config.readUrl).toBe(replica);
    expect(config.readRouting).toEqual({ readAfterWaitMs: 50, maxLagMs: 2000, probeIntervalMs: 1000 });
    expect(loadConfig({}).readRouting).toEqual({ readAfterWaitMs: 200, maxLagMs: 5000, probeIntervalMs: 1000 });
  });

  it('is refused on the embedded engine, as a URL of another scheme, and with a zero lag bound', () => {
    expect(() => loadConfig({ DATABASE_READ_URL: replica })).toThrow(
      /DATABASE_READ_URL is set but DATABASE_URL is not: a read replica serves a PostgreSQL server/,
    );
    expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: 'mysql://db2/consign' })).toThrow(
      /DATABASE_READ_URL must be a postgres:\/\/ or postgresql:\/\/ URL/,
    );
    expect(() => loadConfig({ DATABASE_URL: primary, CONSIGN_REPLICA_MAX_LAG_MS: '0' })).toThrow(
      /CONSIGN_REPLICA_MAX_LAG_MS must be a positive integer/,
    );
  });
});
