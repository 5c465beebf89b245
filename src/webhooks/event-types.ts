import { sql } from 'drizzle-orm';

/**
 * What a subscription listens to: exact event types (`order.created`), prefix wildcards that
 * match every type below a prefix (`order.*` matches `order.created` and `order.lines_cancelled`,
 * not `orders.x`), or `*` for everything.
 */
export const EVENT_TYPE_PATTERN = '^(\\*|[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*(\\.\\*)?)$';

/**
 * True when subscription `s` wants event `e` (SQL over the aliases `s` = webhook_subscriptions
 * and `e` = events): a pattern matches the type, and a channel-scoped subscription only gets
 * events whose payload names that channel (`channel_id`).
 */
export const subscriptionWantsEvent = sql`
  exists (
    select 1 from unnest(s.event_types) as p(pattern)
    where p.pattern = '*' or p.pattern = e.type
       or (right(p.pattern, 2) = '.*' and starts_with(e.type, left(p.pattern, -1))))
  and (s.channel_id is null or e.payload ->> 'channel_id' = s.channel_id)`;
