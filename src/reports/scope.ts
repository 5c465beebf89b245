import { Type } from '@sinclair/typebox';
import { sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../auth/index.ts';
import type { Executor } from '../db/index.ts';
import { resolveChannelId } from '../network/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';

/** Query parameters every report takes. */
export const RangeQuery = {
  from: Type.Optional(
    Type.String({
      format: 'date',
      description: 'First day (UTC, YYYY-MM-DD), inclusive; default: 29 days before `to`',
    }),
  ),
  to: Type.Optional(
    Type.String({ format: 'date', description: 'Last day (UTC, YYYY-MM-DD), inclusive; default: today' }),
  ),
  channel: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: 'Channel ID or code; channel keys: their own only' }),
  ),
};

export interface RangeParams {
  from?: string | undefined;
  to?: string | undefined;
  channel?: string | undefined;
}

/** The days and channel a report covers; the range is `[startsAt, endsBefore)` in UTC. */
export interface ReportScope {
  from: string;
  to: string;
  startsAt: string;
  endsBefore: string;
  days: number;
  channelId: string | null;
}

const DAY_MS = 86_400_000;
const DEFAULT_RANGE_DAYS = 30;
/** A bound on every report's scan: one year (a leap year's worth of days). */
const MAX_RANGE_DAYS = 366;

const startOf = (day: string) => Date.parse(`${day}T00:00:00Z`);
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function invalid(field: string, message: string) {
  return fail(
    problem('validation_failed', `${field} ${message}.`, { errors: [{ pointer: `/querystring/${field}`, message }] }),
  );
}

/** Resolves `from`/`to` (inclusive days) against their defaults: the 30 days ending today. */
function resolveRange(params: RangeParams, nowMs = Date.now()) {
  const to = params.to ?? dayOf(nowMs);
  const from = params.from ?? dayOf(startOf(to) - (DEFAULT_RANGE_DAYS - 1) * DAY_MS);
  const days = (startOf(to) - startOf(from)) / DAY_MS + 1;
  if (days < 1) return invalid('from', `must not be after to (${to})`);
  if (days > MAX_RANGE_DAYS) return invalid('from', `must be at most ${MAX_RANGE_DAYS} days before to`);
  const endsBefore = new Date(startOf(to) + DAY_MS).toISOString();
  return ok({ from, to, days, startsAt: new Date(startOf(from)).toISOString(), endsBefore });
}

/**
 * The channel a request may see: channel keys are held to their own channel (asking for
 * another is a 403); other keys get the one they ask for (ID or code), or every channel.
 */
async function resolveChannel(
  executor: Executor,
  principal: Principal,
  requested: string | undefined,
): Promise<Result<string | null>> {
  const found = requested ? await resolveChannelId(executor, requested) : undefined;
  if (principal.role === 'channel') {
    if (requested && found !== principal.channelId) {
      return fail(problem('forbidden', 'A channel key sees only its own channel’s figures.'));
    }
    return ok(principal.channelId ?? 'none');
  }
  if (requested && !found) return invalid('channel', `names no channel (${requested})`);
  return ok(found ?? null);
}

export async function resolveScope(
  executor: Executor,
  principal: Principal,
  params: RangeParams,
): Promise<Result<ReportScope>> {
  const range = resolveRange(params);
  if (!range.ok) return range;
  const channel = await resolveChannel(executor, principal, params.channel);
  if (!channel.ok) return channel;
  return ok({ ...range.value, channelId: channel.value });
}

/** Every day of the scope, `YYYY-MM-DD`, first to last. */
export function everyDay(scope: ReportScope): string[] {
  return Array.from({ length: scope.days }, (_, i) => dayOf(startOf(scope.from) + i * DAY_MS));
}

/** The period of the same length just before the scope, for the same channel. */
export function previousPeriod(scope: ReportScope): ReportScope {
  const endsBefore = scope.startsAt;
  const startsAt = new Date(startOf(scope.from) - scope.days * DAY_MS).toISOString();
  return {
    from: startsAt.slice(0, 10),
    to: dayOf(startOf(scope.from) - DAY_MS),
    startsAt,
    endsBefore,
    days: scope.days,
    channelId: scope.channelId,
  };
}

/** `o` (orders) placed in the scope's days, of its channel. */
export function ordersInScope(scope: ReportScope): SQL {
  return sql`o.placed_at >= ${scope.startsAt}::timestamptz and o.placed_at < ${scope.endsBefore}::timestamptz
    ${scope.channelId ? sql`and o.channel_id = ${scope.channelId}` : sql``}`;
}

/** `s` (shipments) that left in the scope's days, for orders of its channel. */
export function shipmentsInScope(scope: ReportScope): SQL {
  return sql`s.shipped_at >= ${scope.startsAt}::timestamptz and s.shipped_at < ${scope.endsBefore}::timestamptz
    ${scope.channelId ? sql`and exists (select 1 from orders o where o.id = s.order_id and o.channel_id = ${scope.channelId})` : sql``}`;
}

/** `column` is a location the scope's channel sells from (any location without a channel). */
export function locationInScope(scope: ReportScope, column: SQL): SQL {
  if (!scope.channelId) return sql`true`;
  return sql`${column} in (select m.location_id from location_group_members m
    join channels c on c.location_group_id = m.group_id where c.id = ${scope.channelId})`;
}

/** The fields every report answer starts with. */
export function header(name: string, scope: ReportScope) {
  return { name, from: scope.from, to: scope.to, generated_at: new Date().toISOString(), channel: scope.channelId };
}
