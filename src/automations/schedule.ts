/**
 * Scheduled rules (`every_minutes`): every N minutes the rule looks at the open orders and acts
 * on each order whose condition holds — at most once per order and rule, so "cancel unpaid
 * orders older than 30 minutes" cancels each such order once. The look pages through every open
 * order, oldest first, `PAGE` at a time, passing over the orders the rule already acted on: a
 * matching order is reached however many older open orders there are.
 */
import { sql } from 'drizzle-orm';
import { inTransaction, query, type Db, type Tx } from '../db/index.ts';
import { ok } from '../shared/result.ts';
import { insertExecutions } from './fan-out.ts';
import { orderFacts, subjectFacts } from './fields.ts';
import { conditionHolds } from './match.ts';
import { activeVersions, type ActiveVersion } from './versions.ts';

const PAGE = 500;
const OPEN_STATUSES = sql`('created', 'confirmed', 'in_process', 'partially_shipped')`;

/**
 * The open orders a scheduled rule acts on now. With `skipActedOn`, orders the rule has already
 * acted on (any version) are passed over, as the look that plans executions does.
 */
export async function scheduledMatches(
  executor: Tx | Db,
  version: ActiveVersion,
  options: { skipActedOn?: boolean } = {},
): Promise<string[]> {
  const matches: string[] = [];
  let after: { placed_at: string; id: string } | null = null;
  for (;;) {
    const rows: { id: string; placed_at: string }[] = await query<{ id: string; placed_at: string }>(
      executor,
      sql`select o.id, o.placed_at::text as placed_at from orders o
          where o.status in ${OPEN_STATUSES}
            ${after ? sql`and (o.placed_at, o.id) > (${after.placed_at}::timestamptz, ${after.id})` : sql``}
            ${
              options.skipActedOn
                ? sql`and not exists (select 1 from automation_executions x
                                      where x.rule_id = ${version.rule_id} and x.trigger_key = 'order:' || o.id)`
                : sql``
            }
          order by o.placed_at, o.id limit ${PAGE}`,
    );
    const facts = await orderFacts(
      executor,
      rows.map((row) => row.id),
    );
    for (const { id } of rows)
      if (conditionHolds(version, subjectFacts({ event: null, orderId: id }, facts.get(id)))) matches.push(id);
    if (rows.length < PAGE) return matches;
    after = rows.at(-1)!;
  }
}

/**
 * Looks for every scheduled rule whose period began since this process last looked (`looked`
 * remembers the period per rule version). Several processes may look in one period: the unique
 * key (rule, `order:<id>`) keeps each order's execution single.
 */
export async function lookScheduled(db: Db, looked: Map<string, number>, now: number = Date.now()): Promise<number> {
  const versions = (await activeVersions(db)).filter(
    (v): v is ActiveVersion & { trigger: { every_minutes: number } } => 'every_minutes' in v.trigger,
  );
  let planned = 0;
  for (const version of versions) {
    const key = `${version.rule_id}:${version.version}`;
    const period = Math.floor(now / (version.trigger.every_minutes * 60_000));
    if (looked.get(key) === period) continue;
    const result = await inTransaction(db, async (tx) => {
      const orderIds = await scheduledMatches(tx, version, { skipActedOn: true });
      return ok(
        await insertExecutions(
          tx,
          orderIds.map((orderId) => ({
            rule_id: version.rule_id,
            version: version.version,
            event_id: null,
            order_id: orderId,
            depth: 0,
            actions: version.actions,
          })),
        ),
      );
    });
    if (result.ok) planned += result.value;
    looked.set(key, period);
  }
  return planned;
}
