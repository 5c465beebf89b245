import { sql } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';
import { applyMovement, ensureLevels } from '../inventory/index.ts';
import { serveBackorders } from '../orders/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { withPromiseEvents } from './promise-events.ts';
import type { ReceiveSupply } from './schemas.ts';
import { getSupply, lockOpenSupply, supplyEvent, type SupplyView } from './supplies.ts';

/** What arrived per SKU of the supply: as sent, or (none sent) what was expected; unknown SKUs refused. */
function receivedCounts(supply: SupplyView, input: ReceiveSupply): Result<Map<string, number>> {
  if (!input.lines) return ok(new Map(supply.lines.map((l) => [l.sku, l.quantity])));
  const counts = new Map(supply.lines.map((l) => [l.sku, 0]));
  const seen = new Set<string>();
  for (const [i, line] of input.lines.entries()) {
    if (!counts.has(line.sku) || seen.has(line.sku)) {
      const why = seen.has(line.sku) ? 'is on an earlier line too' : `is not on supply ${supply.id}`;
      return fail(
        problem('validation_failed', `Line ${i}: SKU ${line.sku} ${why}.`, {
          errors: [{ pointer: `/lines/${i}/sku`, message: why }],
        }),
      );
    }
    seen.add(line.sku);
    counts.set(line.sku, line.quantity);
  }
  return ok(counts);
}

/**
 * Receives an open supply: every SKU's units arrive on hand at its location (a `receipt` ledger
 * row referencing the supply, through inventory), the supply closes as received
 * (`supply.received`, with what was expected and what came), and the orders waiting for its
 * SKUs are served oldest first in the same transaction, by the back-order path. Fewer units than
 * expected leave the later promises on the next supply or on none, more serve more orders; every
 * promise that moves is announced.
 */
export async function receiveSupply(
  executor: Executor,
  id: string,
  input: ReceiveSupply,
  actor: string | null,
): Promise<Result<{ supply: SupplyView; served_orders: number }>> {
  const locked = await lockOpenSupply(executor, id);
  if (!locked.ok) return locked;
  const counts = receivedCounts(locked.value, input);
  if (!counts.ok) return counts;
  const { location_id: locationId, kind, reference } = locked.value;
  const skus = [...counts.value.keys()];
  return withPromiseEvents(executor, skus, actor, async () => {
    const received = [...counts.value].map(([sku, quantity]) => ({ sku, quantity }));
    await executor.execute(sql`
      update supplies set status = 'received', received_at = now(), version = version + 1, updated_at = now(), actor = ${actor}
      where id = ${id} and status = 'open'`);
    await executor.execute(sql`
      update supply_lines l set received = t.quantity
      from jsonb_to_recordset(${JSON.stringify(received)}::jsonb) as t(sku text, quantity int)
      where l.supply_id = ${id} and l.sku = t.sku`);
    const arrived = received.filter((r) => r.quantity > 0);
    await ensureLevels(
      executor,
      arrived.map((r) => ({ locationId, sku: r.sku })),
    );
    for (const line of arrived) {
      const level = await applyMovement(
        executor,
        {
          locationId,
          sku: line.sku,
          kind: 'receipt',
          onHandDelta: line.quantity,
          reservedDelta: 0,
          reason: `${kind} ${reference}`,
          referenceType: 'supply',
          referenceId: id,
          actor,
        },
        'none',
      );
      if (!level) throw new Error(`receipt of ${line.sku} at ${locationId} found no stock level`);
    }
    const supply = (await getSupply(executor, id))!;
    await recordEvents(executor, [
      supplyEvent('supply.received', supply, actor, {
        short: supply.lines.filter((l) => l.received < l.quantity).map((l) => l.sku),
        over: supply.lines.filter((l) => l.received > l.quantity).map((l) => l.sku),
      }),
    ]);
    const served = await serveBackorders(
      executor,
      arrived.map((r) => r.sku),
    );
    return ok({ supply, served_orders: served });
  });
}
