import { Type, type Static } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import { queryOne, toIso, type Executor, type Tx } from '../db/index.ts';
import { getChannel, namedIdSql } from '../network/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { createSubscription, updateSubscription } from '../webhooks/index.ts';
import { openSecret, sealSecret, type SealedColumn } from '../secrets/index.ts';
import { platforms, type Platform } from './mapping.ts';

/** The event type that carries a connector's outbound message (its body is the platform's shape). */
export const OUTBOUND_EVENT = 'connector.outbound';

export const PollingSettings = Type.Object(
  {
    base_url: Type.String({ format: 'uri', maxLength: 500, description: 'The SP-API endpoint (region host)' }),
    api_version: Type.Union([Type.Literal('v0'), Type.Literal('2026-01-01')]),
    marketplace_ids: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { minItems: 1, maxItems: 20 }),
    interval_ms: Type.Optional(Type.Integer({ minimum: 100, maximum: 3_600_000, default: 60_000 })),
    access_token: Type.Optional(Type.String({ maxLength: 4000, description: 'Sent as x-amz-access-token' })),
    start_after: Type.Optional(Type.String({ format: 'date-time', description: 'First LastUpdatedAfter' })),
  },
  { additionalProperties: false },
);
export type PollingSettings = Static<typeof PollingSettings>;

export const ConnectorSettings = Type.Object(
  {
    platform: Type.Union(platforms.map((p) => Type.Literal(p))),
    secret: Type.String({ minLength: 8, maxLength: 500, description: 'The platform webhook secret; never shown' }),
    on_mismatch: Type.Optional(Type.Union([Type.Literal('reject'), Type.Literal('review_hold')])),
    location_map: Type.Optional(
      Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 64 }), { maxProperties: 500 }),
    ),
    outbound: Type.Optional(
      Type.Union([
        Type.Null(),
        Type.Object(
          {
            url: Type.String({ maxLength: 2000 }),
            secret: Type.String({
              pattern: '^whsec_[A-Za-z0-9+/]{16,}={0,2}$',
              description: 'Standard Webhooks secret',
            }),
          },
          { additionalProperties: false },
        ),
      ]),
    ),
    polling: Type.Optional(Type.Union([Type.Null(), PollingSettings])),
  },
  { additionalProperties: false },
);
export type ConnectorSettings = Static<typeof ConnectorSettings>;

export interface ConnectorRow {
  channel_id: string;
  platform: Platform;
  secret: string;
  on_mismatch: 'reject' | 'review_hold';
  location_map: Record<string, string>;
  outbound_url: string | null;
  outbound_subscription_id: string | null;
  polling: PollingSettings | null;
  poll_cursor: { updated_after?: string; next_token?: string } | null;
  polled_at: string | null;
  created_at: string;
  updated_at: string;
}

/** The public shape: secrets (the platform's, the outbound one, the polling token) are never shown. */
export function presentConnector(row: ConnectorRow) {
  const polling = row.polling ? { ...row.polling, access_token: undefined } : null;
  return {
    channel_id: row.channel_id,
    platform: row.platform,
    on_mismatch: row.on_mismatch,
    location_map: row.location_map,
    outbound: row.outbound_url ? { url: row.outbound_url, subscription_id: row.outbound_subscription_id } : null,
    polling,
    poll_cursor: row.poll_cursor,
    polled_at: toIso(row.polled_at),
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}

/** Where a connector's secrets are sealed (the contexts they are sealed for; see src/secrets). */
const secretContext = (channelId: string) => `channel_connectors.secret:${channelId}`;
const accessTokenContext = (channelId: string) => `channel_connectors.polling.access_token:${channelId}`;

/** A stored connector with its secrets opened. */
function openConnector(row: ConnectorRow): ConnectorRow {
  const token = row.polling?.access_token;
  return {
    ...row,
    secret: openSecret(row.secret, secretContext(row.channel_id)),
    polling:
      row.polling && token !== undefined
        ? { ...row.polling, access_token: openSecret(token, accessTokenContext(row.channel_id)) }
        : row.polling,
  };
}

/** The platform secrets and polling tokens, sealed at rest: how `consign secrets rotate` finds and rewrites them. */
export const sealedConnectorSecrets: SealedColumn[] = [
  {
    select: (afterId, skipLike, limit) =>
      sql`select channel_id as id, secret as value from channel_connectors
          where channel_id > ${afterId} and secret not like ${skipLike} order by channel_id limit ${limit}`,
    update: (id, old, value) =>
      sql`update channel_connectors set secret = ${value} where channel_id = ${id} and secret = ${old}`,
    context: secretContext,
  },
  {
    select: (afterId, skipLike, limit) =>
      sql`select channel_id as id, polling->>'access_token' as value from channel_connectors
          where channel_id > ${afterId} and polling->>'access_token' not like ${skipLike} order by channel_id limit ${limit}`,
    update: (id, old, value) =>
      sql`update channel_connectors set polling = jsonb_set(polling, '{access_token}', to_jsonb(${value}::text))
          where channel_id = ${id} and polling->>'access_token' = ${old}`,
    context: accessTokenContext,
  },
];

export async function readConnector(executor: Executor, channelId: string): Promise<ConnectorRow | undefined> {
  const row = await queryOne<ConnectorRow>(
    executor,
    sql`select * from channel_connectors where channel_id = ${channelId}`,
  );
  return row && openConnector(row);
}

/**
 * The connector an inbound call is for: the one of `channel` (ID or code), or, without it, the
 * only channel using that platform.
 */
export async function findConnector(
  executor: Executor,
  platform: Platform,
  channel: string | undefined,
): Promise<Result<ConnectorRow>> {
  const rows = await executor.execute(sql`
    select c.* from channel_connectors c join channels ch on ch.id = c.channel_id
    where c.platform = ${platform} ${channel === undefined ? sql`` : sql`and ch.id = ${namedIdSql('channels', channel)}`}
    limit 2`);
  const found = (rows as unknown as { rows: ConnectorRow[] }).rows;
  if (found.length === 1) return ok(openConnector(found[0]!));
  if (found.length === 0) {
    return fail(problem('not_found', `No channel${channel ? ` ${channel}` : ''} has a ${platform} connector.`));
  }
  return fail(
    problem('validation_failed', `Several channels use ${platform}: name one with ?channel=<id or code>.`, {
      errors: [{ pointer: '/query/channel', message: 'is required when several channels use this platform' }],
    }),
  );
}

/** Creates or replaces a channel's connector; its outbound endpoint is a channel-scoped webhook subscription. */
export async function putConnector(tx: Tx, channelId: string, input: ConnectorSettings): Promise<Result<ConnectorRow>> {
  if (!(await getChannel(tx, channelId))) return fail(problem('not_found', `No channel ${channelId}.`));
  const before = await readConnector(tx, channelId);
  const subscription = await outboundSubscription(tx, channelId, before?.outbound_subscription_id ?? null, input);
  if (!subscription.ok) return subscription;
  const samePolling = JSON.stringify(before?.polling ?? null) === JSON.stringify(input.polling ?? null);
  const token = input.polling?.access_token;
  const polling = input.polling && {
    ...input.polling,
    ...(token !== undefined && { access_token: sealSecret(token, accessTokenContext(channelId)) }),
  };
  await tx.execute(sql`
    insert into channel_connectors (channel_id, platform, secret, on_mismatch, location_map, outbound_url,
      outbound_subscription_id, polling, poll_cursor)
    values (${channelId}, ${input.platform}, ${sealSecret(input.secret, secretContext(channelId))}, ${input.on_mismatch ?? 'reject'},
      ${JSON.stringify(input.location_map ?? {})}::jsonb, ${input.outbound?.url ?? null}, ${subscription.value},
      ${polling ? JSON.stringify(polling) : null}::jsonb, null)
    on conflict (channel_id) do update set platform = excluded.platform, secret = excluded.secret,
      on_mismatch = excluded.on_mismatch, location_map = excluded.location_map, outbound_url = excluded.outbound_url,
      outbound_subscription_id = excluded.outbound_subscription_id, polling = excluded.polling,
      poll_cursor = ${samePolling ? sql`channel_connectors.poll_cursor` : sql`null`}, updated_at = now()`);
  return ok((await readConnector(tx, channelId))!);
}

async function outboundSubscription(
  tx: Tx,
  channelId: string,
  existing: string | null,
  input: ConnectorSettings,
): Promise<Result<string | null>> {
  const outbound = input.outbound ?? null;
  if (existing) {
    const updated = await updateSubscription(
      tx,
      existing,
      outbound ? { url: outbound.url, active: true } : { active: false },
      outbound?.secret,
    );
    return updated.ok ? ok(existing) : updated;
  }
  if (!outbound) return ok(null);
  const created = await createSubscription(
    tx,
    {
      url: outbound.url,
      event_types: [OUTBOUND_EVENT],
      channel_id: channelId,
      description: `${input.platform} connector outbound`,
    },
    outbound.secret,
  );
  return created.ok ? ok(created.value.id) : created;
}
