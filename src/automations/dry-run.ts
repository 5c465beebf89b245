/**
 * A dry run: what a rule version would have done over the last N events (or, for a scheduled
 * rule, to the open orders now), decided by the same function the follower uses, with nothing
 * done and nothing recorded. Orders are judged as they stand now, as the follower judges them
 * when it reaches an event.
 */
import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { eventsToMatchSql, planExecutions } from './fan-out.ts';
import type { EventToMatch } from './match.ts';
import { scheduledMatches } from './schedule.ts';
import { ruleVersion, type ActiveVersion } from './versions.ts';

interface Match {
  event_id: number | null;
  event_type: string | null;
  order_id: string | null;
  depth: number;
  actions: ActiveVersion['actions'];
}

export async function dryRun(
  executor: Executor,
  ruleId: string,
  options: { last: number; version?: number | undefined },
): Promise<Result<unknown>> {
  const version = await ruleVersion(executor, ruleId, options.version);
  if (!version) {
    const what =
      options.version === undefined ? 'no active version; name one with ?version=' : `no version ${options.version}`;
    return fail(problem('not_found', `Automation ${ruleId} has ${what}.`));
  }
  const head = {
    automation_id: ruleId,
    version: version.version,
    trigger: version.trigger,
    condition: version.condition,
  };
  if ('every_minutes' in version.trigger) {
    const orderIds = await scheduledMatches(executor, version);
    const matches: Match[] = orderIds.map((id) => ({
      event_id: null,
      event_type: null,
      order_id: id,
      depth: 0,
      actions: version.actions,
    }));
    return ok({ ...head, examined: null, matches, skipped: {} });
  }
  const events = (
    await query<EventToMatch>(executor, sql`${eventsToMatchSql} order by e.id desc limit ${options.last}`)
  ).reverse();
  const judged = await planExecutions(executor, [{ ...version, activated_ms: null }], events);
  const matches: Match[] = [];
  const skipped: Record<string, number> = {};
  for (const { event, verdict } of judged) {
    if (verdict.matched) {
      matches.push({
        event_id: Number(event.id),
        event_type: event.type,
        order_id: event.order_id,
        depth: verdict.depth,
        actions: version.actions,
      });
    } else skipped[verdict.reason] = (skipped[verdict.reason] ?? 0) + 1;
  }
  return ok({ ...head, examined: events.length, matches, skipped });
}
