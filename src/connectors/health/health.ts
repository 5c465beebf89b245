import { sql } from 'drizzle-orm';
import { query, toIso, type Executor } from '../../db/index.ts';
import type { Problem } from '../../shared/problem.ts';
import { storableText } from '../../shared/text.ts';
import { subscriptionBacklog } from '../../webhooks/index.ts';

type ErrorSource = 'inbound' | 'polling' | 'outbound';

/** Keeps the last thing that went wrong on a channel's connector (one row per channel). */
export async function recordConnectorError(
  executor: Executor,
  channelId: string,
  source: ErrorSource,
  refused: Pick<Problem, 'code' | 'detail'>,
): Promise<void> {
  // A detail may quote what was sent (a parser's message about a NUL byte): stored cleaned (ADR 0015).
  const detail = storableText(refused.detail.slice(0, 2000));
  const recorded = JSON.stringify({ source, code: refused.code, detail });
  await executor.execute(sql`
    insert into connector_errors (channel_id, problem, occurred_at) values (${channelId}, ${recorded}::jsonb, now())
    on conflict (channel_id) do update set problem = excluded.problem, occurred_at = excluded.occurred_at`);
}

interface HealthFacts {
  channel_id: string;
  platform: string;
  outbound_subscription_id: string | null;
  polled_at: string | null;
  last_order_at: string | null;
  last_held_at: string | null;
  held: number;
  error: { source: ErrorSource; code: string; detail: string } | null;
  error_at: string | null;
}

const later = (a: string | null, b: string | null) => (!a ? b : !b ? a : a > b ? a : b);

/** The facts of the channels' connectors (all of them, or one). */
function healthFacts(executor: Executor, channelId?: string) {
  return query<HealthFacts>(
    executor,
    sql`select c.channel_id, c.platform, c.outbound_subscription_id, c.polled_at,
          (select max(o.created_at) from orders o
            where o.channel_id = c.channel_id and o.metadata ->> 'platform' is not null) as last_order_at,
          (select max(r.created_at) from connector_reviews r where r.channel_id = c.channel_id) as last_held_at,
          (select count(*)::int from connector_reviews r where r.channel_id = c.channel_id and r.status = 'held') as held,
          e.problem as error, e.occurred_at as error_at
        from channel_connectors c left join connector_errors e on e.channel_id = c.channel_id
        ${channelId === undefined ? sql`` : sql`where c.channel_id = ${channelId}`}
        order by c.channel_id`,
  );
}

/**
 * One channel's connector at a glance: the last platform order received (placed or held), the
 * last error (an order refused, a poll or an outbound delivery that failed), the review queue,
 * and what the outbound endpoint has not received yet.
 */
async function present(executor: Executor, facts: HealthFacts) {
  const outbound = facts.outbound_subscription_id
    ? await subscriptionBacklog(executor, facts.outbound_subscription_id)
    : null;
  const outboundError = outbound?.last_failure
    ? {
        source: 'outbound' as const,
        code: 'delivery_failed',
        detail: `${outbound.last_failure.status_code ?? 'no response'}: ${outbound.last_failure.error}`,
        at: outbound.last_failure.at,
      }
    : null;
  const recorded = facts.error ? { ...facts.error, at: toIso(facts.error_at)! } : null;
  const lastError = !recorded
    ? outboundError
    : !outboundError || recorded.at >= outboundError.at
      ? recorded
      : outboundError;
  return {
    channel_id: facts.channel_id,
    platform: facts.platform,
    last_order_received_at: later(toIso(facts.last_order_at), toIso(facts.last_held_at)),
    last_polled_at: toIso(facts.polled_at),
    last_error: lastError,
    review_queue: facts.held,
    outbound: outbound
      ? { backlog: outbound.undelivered, oldest_undelivered_at: outbound.oldest_undelivered_at }
      : null,
  };
}
type ConnectorHealth = Awaited<ReturnType<typeof present>>;

export async function connectorHealth(executor: Executor, channelId: string): Promise<ConnectorHealth | undefined> {
  const [facts] = await healthFacts(executor, channelId);
  return facts ? present(executor, facts) : undefined;
}

export async function listConnectorHealth(executor: Executor): Promise<ConnectorHealth[]> {
  const all = await healthFacts(executor);
  const out: ConnectorHealth[] = [];
  for (const facts of all) out.push(await present(executor, facts));
  return out;
}
