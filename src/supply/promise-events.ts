import type { Executor } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';
import { planSupply, promisedDates } from '../inventory/index.ts';
import type { Result } from '../shared/result.ts';

/**
 * Runs a change to supply for `skus` and announces every waiting order line whose promised date
 * it moved (`order.promise_changed`, on the order): the promises are derived (`planSupply`), so
 * they are read before and after the change, in its transaction.
 */
export async function withPromiseEvents<T>(
  executor: Executor,
  skus: string[],
  actor: string | null,
  change: () => Promise<Result<T>>,
): Promise<Result<T>> {
  const before = promisedDates(await planSupply(executor, skus));
  const result = await change();
  if (!result.ok) return result;
  const after = await planSupply(executor, skus);
  const moved = after.lines.filter((line) => {
    const key = `${line.order_id}/${line.line_id}`;
    return before.has(key) && before.get(key) !== line.promised_on;
  });
  await recordEvents(
    executor,
    moved.map((line) => ({
      type: 'order.promise_changed',
      subjectType: 'order',
      subjectId: line.order_id,
      payload: {
        order_id: line.order_id,
        line_id: line.line_id,
        sku: line.sku,
        waiting: line.waiting,
        previous_promised_on: before.get(`${line.order_id}/${line.line_id}`) ?? null,
        promised_on: line.promised_on,
        actor,
      },
    })),
  );
  return result;
}
