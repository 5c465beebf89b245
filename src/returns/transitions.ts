import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';
import { problem, type Problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { recordReturnEvent } from './events.ts';

/**
 * The return lifecycle as data. `received` means units are coming in; once every unit is in
 * (or receiving is closed) the return is `restocked` (some units went back to stock) or
 * `written_off` (none did), then `refunded` once every received unit is refunded.
 */
export const returnStatuses = [
  'initiated',
  'authorized',
  'received',
  'restocked',
  'written_off',
  'refunded',
  'rejected',
  'cancelled',
] as const;
export type ReturnStatus = (typeof returnStatuses)[number];

export const returnTransitions = {
  initiated: ['authorized', 'rejected', 'cancelled'],
  authorized: ['received', 'cancelled'],
  received: ['restocked', 'written_off'],
  restocked: ['refunded'],
  written_off: ['refunded'],
  refunded: [],
  rejected: [],
  cancelled: [],
} as const satisfies Record<ReturnStatus, readonly ReturnStatus[]>;

/** Why `from → to` is not allowed, or null when it is. */
export function transitionProblem(id: string, from: ReturnStatus, to: ReturnStatus): Problem | null {
  if ((returnTransitions[from] as readonly ReturnStatus[]).includes(to)) return null;
  return problem('illegal_transition', `Return ${id} is ${from}; it cannot become ${to}.`, {
    return_id: id,
    from,
    to,
    allowed: returnTransitions[from],
  });
}

export interface ReturnRef {
  id: string;
  order_id: string;
  channel_id: string;
  status: ReturnStatus;
  version: number;
}

/**
 * Moves a return along the table by compare-and-set on (status, version) and records
 * `return.status_changed`. Zero rows updated means someone else moved it first: a conflict.
 */
export async function transitionReturn(
  executor: Executor,
  ret: ReturnRef,
  to: ReturnStatus,
  actor: string | null,
  data: Record<string, unknown> = {},
): Promise<Result<ReturnRef>> {
  const refused = transitionProblem(ret.id, ret.status, to);
  if (refused) return fail(refused);
  const moved = await queryOne<{ version: number }>(
    executor,
    sql`update returns set status = ${to}, version = version + 1, updated_at = now()
        where id = ${ret.id} and status = ${ret.status} and version = ${ret.version} returning version`,
  );
  if (!moved)
    return fail(
      problem('conflict', `Return ${ret.id} changed meanwhile; read it again and retry.`, { return_id: ret.id }),
    );
  await recordReturnEvent(executor, ret, 'return.status_changed', actor, { from: ret.status, to, ...data });
  return ok({ ...ret, status: to, version: moved.version });
}

/** Locks a return row for the rest of the transaction: every use case on a return starts here. */
export async function lockReturn(executor: Executor, id: string): Promise<ReturnRef | undefined> {
  return queryOne<ReturnRef>(
    executor,
    sql`select id, order_id, channel_id, status, version from returns where id = ${id} for update`,
  );
}

/** A return as it is now, without locking it: for reads that change nothing (a refund preview). */
export async function readReturnRef(executor: Executor, id: string): Promise<ReturnRef | undefined> {
  return queryOne<ReturnRef>(
    executor,
    sql`select id, order_id, channel_id, status, version from returns where id = ${id}`,
  );
}
