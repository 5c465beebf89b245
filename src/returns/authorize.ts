import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { cancelOrder, releaseRequestedUnits } from '../orders/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { placeExchangeOrder } from './linked-orders.ts';
import { lockReturn, transitionReturn, type ReturnRef, type ReturnStatus } from './transitions.ts';

async function locked(executor: Executor, id: string, channelOfKey: string | null = null): Promise<Result<ReturnRef>> {
  const ret = await lockReturn(executor, id);
  if (!ret || (channelOfKey && ret.channel_id !== channelOfKey)) return fail(problem('not_found', `No return ${id}.`));
  return ok(ret);
}

/** Authorizes a return the caller has locked; an exchange gets its replacement order now. */
export async function authorizeLocked(
  executor: Executor,
  ret: ReturnRef,
  actor: string,
  by: 'policy' | 'manual',
): Promise<Result<ReturnRef>> {
  const moved = await transitionReturn(executor, ret, 'authorized', actor, { by });
  if (!moved.ok) return moved;
  const exchange = await placeExchangeOrder(executor, moved.value, actor);
  if (!exchange.ok) return exchange;
  return moved;
}

export async function authorizeReturn(executor: Executor, id: string, actor: string): Promise<Result<ReturnRef>> {
  const ret = await locked(executor, id);
  if (!ret.ok) return ret;
  return authorizeLocked(executor, ret.value, actor, 'manual');
}

/**
 * Rejects (from `initiated`) or cancels (before anything is received) a return: the units it
 * held go back to returnable, and an exchange's replacement order is cancelled as far as it
 * still can be.
 */
export async function closeReturn(
  executor: Executor,
  id: string,
  to: Extract<ReturnStatus, 'rejected' | 'cancelled'>,
  input: { reason: string; actor: string; channelOfKey?: string | null },
): Promise<Result<ReturnRef>> {
  const ret = await locked(executor, id, input.channelOfKey ?? null);
  if (!ret.ok) return ret;
  const moved = await transitionReturn(executor, ret.value, to, input.actor, { reason: input.reason });
  if (!moved.ok) return moved;
  await releaseOpenUnits(executor, id);
  const exchange = await query<{ exchange_order_id: string }>(
    executor,
    sql`select exchange_order_id from returns where id = ${id} and exchange_order_id is not null`,
  );
  for (const { exchange_order_id } of exchange) {
    // Units already on their way stay with the customer; the rest is released.
    await cancelOrder(executor, exchange_order_id, { reason: `return ${id} ${to}`, actor: input.actor });
  }
  return moved;
}

/** Units on the return that have not arrived stop counting as requested on the order lines. */
export async function releaseOpenUnits(executor: Executor, returnId: string): Promise<void> {
  await releaseRequestedUnits(executor, returnId);
}
