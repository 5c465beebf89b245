/**
 * Scheduled rules (`every_minutes`): every N minutes the rule looks at the open orders and acts
 * on each order whose condition holds — at most once per order and rule, so "cancel unpaid
 * orders older than 30 minutes" cancels each such order once. The look is bounded: the oldest
 * `MAX_ORDERS_PER_LOOK` open orders.
 */
import { sql } from 'drizzle-orm';
import { inTransaction, query, type Db, type Tx } from '../db/index.ts';
import { ok } from '../shared/result.ts';
import { insertExecutions } from './fan-out.ts';
import { orderFacts, subjectFacts } from './fields.ts';
import { conditionHolds } from './match.ts';
import { activeVersions, type ActiveVersion } from './versions.ts';

const MAX_ORDERS_PER_LOOK = 500;
const OPEN_STATUSES = sql`('created', 'confirmed', 'in_process', 'partially_shipped')`;

/** The open orders a scheduled rule acts on now. */
export async function scheduledMatches(tx: Tx | Db, version: ActiveVersion): Promise<string[]> {
  const rows = await query<{ id: string }>(
    tx,
    sql`select id from orders where status in ${OPEN_STATUSES} order by placed_at, id limit ${MAX_ORDERS_PER_LOOK}`,
  );
  const facts = await orderFacts(
    tx,
    rows.map((row) => row.id),
  );
  return rows
    .map((row) => row.id)
    .filter((id) => conditionHolds(version, subjectFacts({ event: null, orderId: id }, facts.get(id))));
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
      const orderIds = await scheduledMatches(tx, version);
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
