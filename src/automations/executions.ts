import { sql } from 'drizzle-orm';
import { query, toIso, type Executor } from '../db/index.ts';

interface ExecutionRow {
  id: number;
  rule_id: string;
  version: number;
  trigger_key: string;
  event_id: number | null;
  order_id: string | null;
  status: string;
  actions: unknown[];
  results: unknown[];
  attempts: number;
  next_attempt_at: string;
  depth: number;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

const present = (row: ExecutionRow) => ({
  ...row,
  id: Number(row.id),
  event_id: row.event_id === null ? null : Number(row.event_id),
  next_attempt_at: row.status === 'pending' ? toIso(row.next_attempt_at) : null,
  created_at: toIso(row.created_at),
  updated_at: toIso(row.updated_at),
});

/** A rule's executions (or one order's), newest first: which version ran for which event, its actions and outcome. */
export async function listExecutions(
  executor: Executor,
  filter: { ruleId?: string | undefined; orderId?: string | undefined; limit: number },
) {
  const rows = await query<ExecutionRow>(
    executor,
    sql`select * from automation_executions
        where true ${filter.ruleId ? sql`and rule_id = ${filter.ruleId}` : sql``}
                   ${filter.orderId ? sql`and order_id = ${filter.orderId}` : sql``}
        order by id desc limit ${filter.limit}`,
  );
  return rows.map(present);
}
