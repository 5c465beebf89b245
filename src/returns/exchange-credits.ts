import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { creditShares, settledUnits, type CreditRow } from './credit-shares.ts';
import type { Part } from './refund-amount.ts';

/** An exchanged return line that a replacement line stands for, with how far its return got. */
interface Origin {
  return_id: string;
  status: string;
  original_order_id: string;
  original_line_id: string;
  quantity: number;
  received: number;
  refunded: number;
}

/** Units of the exchanged line that its return may still settle (receive and refund). Pure. */
function stillToSettle(origin: Origin): number {
  if (['initiated', 'authorized', 'received'].includes(origin.status)) return origin.quantity - origin.refunded;
  if (['restocked', 'written_off'].includes(origin.status)) return origin.received - origin.refunded;
  return 0;
}

const lineList = (lineIds: string[]) =>
  sql.join(
    lineIds.map((l) => sql`${l}`),
    sql`, `,
  );

async function creditRows(executor: Executor, orderId: string, lineIds: string[]) {
  return query<CreditRow & { line_id: string }>(
    executor,
    sql`select line_id, units_from, units, source_order_id, source_line_id, amount_minor from exchange_credits
        where order_id = ${orderId} and line_id in (${lineList(lineIds)}) order by units_from, id`,
  );
}

/** The exchanged return lines the given lines of a replacement order stand for (none for other orders). */
async function originsOf(executor: Executor, orderId: string, lineIds: string[]) {
  return query<Origin & { line_id: string }>(
    executor,
    sql`select ll.line_id, ll.return_id, r.status, ll.original_order_id, ll.original_line_id, rl.quantity, rl.received, rl.refunded
        from linked_order_lines ll
        join returns r on r.id = ll.return_id
        join return_lines rl on rl.return_id = ll.return_id and rl.line_id = ll.original_line_id
        where ll.order_id = ${orderId} and ll.line_id in (${lineList(lineIds)})`,
  );
}

/**
 * The credits carried by the units about to be refunded, per line: units `[from, from + count)`
 * of each line of `orderId`. A replacement's units whose originals may still come back and be
 * refunded have no settled credit yet: refused with `exchange_not_settled` (refund that return
 * first). Units whose originals never came back carry no credit.
 */
export async function creditsFor(
  executor: Executor,
  orderId: string,
  picked: { lineId: string; from: number; count: number }[],
): Promise<Result<Map<string, Part[]>>> {
  if (picked.length === 0) return ok(new Map());
  const lineIds = picked.map((p) => p.lineId);
  const rows = await creditRows(executor, orderId, lineIds);
  const origins = await originsOf(executor, orderId, lineIds);
  const shares = new Map<string, Part[]>();
  for (const { lineId, from, count } of picked) {
    const ofLine = rows.filter((r) => r.line_id === lineId);
    const origin = origins.find((o) => o.line_id === lineId);
    const pending = origin ? stillToSettle(origin) : 0;
    if (origin && pending > 0 && from + count > settledUnits(ofLine))
      return fail(
        problem(
          'exchange_not_settled',
          `Line ${lineId} replaces units of line ${origin.original_line_id} of order ${origin.original_order_id} that return ${origin.return_id} has not received and refunded yet (${pending} unit(s)); refund that return first.`,
          { line_id: lineId, return_id: origin.return_id, unsettled: pending },
        ),
      );
    shares.set(lineId, creditShares(ofLine, from, count));
  }
  return ok(shares);
}

/**
 * Records what exchanged units leave paid as credits of the replacement line's next `quantity`
 * units: one row per order holding money, the returned line's own order first, then the
 * orders its own credits came from.
 */
export async function carryCredits(
  executor: Executor,
  ret: { id: string; order_id: string },
  lineId: string,
  quantity: number,
  carried: { ownMinor: number; credits: Part[] },
): Promise<void> {
  const target = await queryOne<{ order_id: string; line_id: string; settled: number }>(
    executor,
    sql`select ll.order_id, ll.line_id,
               (select coalesce(max(c.units_from + c.units), 0)::int from exchange_credits c
                where c.order_id = ll.order_id and c.line_id = ll.line_id) as settled
        from linked_order_lines ll
        where ll.return_id = ${ret.id} and ll.original_order_id = ${ret.order_id} and ll.original_line_id = ${lineId}`,
  );
  if (!target) throw new Error(`return ${ret.id} line ${lineId} was exchanged without a replacement line`);
  const parts: Part[] = [{ orderId: ret.order_id, lineId, amountMinor: carried.ownMinor }, ...carried.credits];
  await executor.execute(sql`
    insert into exchange_credits (order_id, line_id, units_from, units, source_order_id, source_line_id, return_id, amount_minor)
    values ${sql.join(
      parts.map(
        (p) =>
          sql`(${target.order_id}, ${target.line_id}, ${target.settled}, ${quantity}, ${p.orderId}, ${p.lineId}, ${ret.id}, ${p.amountMinor})`,
      ),
      sql`, `,
    )}`);
}
