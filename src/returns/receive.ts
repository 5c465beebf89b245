import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { receiveReturnedUnits } from '../orders/index.ts';
import { canTouchLocation, type Principal } from '../auth/index.ts';
import { applyMovement, ensureLevels } from '../inventory/index.ts';
import { namedIdSql } from '../network/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { releaseOpenUnits } from './authorize.ts';
import { recordReturnEvent } from './events.ts';
import type { ReceiveBody } from './schemas.ts';
import { lockReturn, transitionReturn, type ReturnRef } from './transitions.ts';

interface ReturnLineState {
  line_id: string;
  sku: string;
  quantity: number;
  received: number;
}

type Receipt = ReceiveBody['lines'][number];
const dispositionColumn = {
  restock: sql`restocked`,
  write_off: sql`written_off`,
  return_to_vendor: sql`returned_to_vendor`,
};

async function receivingLocation(
  executor: Executor,
  requested: string | undefined,
  ret: { location_id: string | null },
  principal: Principal,
): Promise<Result<string>> {
  const wanted = requested ?? ret.location_id;
  if (!wanted)
    return fail(
      problem('validation_failed', 'Say where the units arrived.', {
        errors: [{ pointer: '/location_id', message: 'required: the return names no location' }],
      }),
    );
  const location = await queryOne<{ id: string }>(
    executor,
    sql`select id from locations where id = ${namedIdSql('locations', wanted)} and active`,
  );
  if (!location) return fail(problem('unknown_location', `No active location ${wanted}.`));
  if (principal.role === 'fulfillment' && !canTouchLocation(principal, location.id))
    return fail(problem('forbidden', `This key may not receive at ${location.id}.`));
  return ok(location.id);
}

function checkReceipts(lines: ReturnLineState[], receipts: Receipt[]): { pointer: string; message: string }[] {
  const errors: { pointer: string; message: string }[] = [];
  const taken = new Map<string, number>();
  receipts.forEach((r, i) => {
    const line = lines.find((l) => l.line_id === r.line_id);
    if (!line) return errors.push({ pointer: `/lines/${i}/line_id`, message: `the return has no line ${r.line_id}` });
    const after = (taken.get(r.line_id) ?? line.received) + r.quantity;
    taken.set(r.line_id, after);
    if (after > line.quantity)
      errors.push({
        pointer: `/lines/${i}/quantity`,
        message: `line ${r.line_id} expects ${line.quantity - line.received} more, not ${after - line.received}`,
      });
    return undefined;
  });
  return errors;
}

async function applyReceipt(
  executor: Executor,
  ret: ReturnRef,
  line: ReturnLineState,
  r: Receipt,
  locationId: string,
  actor: string,
) {
  await executor.execute(sql`
    update return_lines set received = received + ${r.quantity}, ${dispositionColumn[r.disposition]} = ${dispositionColumn[r.disposition]} + ${r.quantity}
    where return_id = ${ret.id} and line_id = ${r.line_id}`);
  await receiveReturnedUnits(executor, { orderId: ret.order_id, lineId: r.line_id }, r.quantity);
  await executor.execute(sql`
    insert into return_receipts (return_id, line_id, quantity, condition, disposition, location_id, note, actor)
    values (${ret.id}, ${r.line_id}, ${r.quantity}, ${r.condition}, ${r.disposition}, ${locationId}, ${r.note ?? null}, ${actor})`);
  await ensureLevels(executor, [{ locationId, sku: line.sku }]);
  const restock = r.disposition === 'restock';
  const level = await applyMovement(
    executor,
    {
      locationId,
      sku: line.sku,
      kind: restock ? 'return_restock' : 'write_off',
      onHandDelta: restock ? r.quantity : 0,
      reservedDelta: 0,
      reason: restock ? `return ${r.condition}` : `${r.disposition.replace(/_/g, ' ')}: ${r.quantity} ${r.condition}`,
      referenceType: 'return',
      referenceId: ret.id,
      actor,
    },
    'none',
  );
  if (!level) throw new Error(`stock level ${locationId}/${line.sku} refused a return movement`);
}

/**
 * Receives returned units, possibly a few at a time: each receipt names its condition and
 * disposition. Restocked units go on hand at the receiving location (a `return_restock` ledger
 * row and an availability event); written-off and vendor-bound units get a `write_off` ledger
 * row of their own. Once everything is in (or `close` says nothing more is coming) the return
 * is `restocked` when any unit went back to stock, else `written_off`. `close` with no lines
 * closes a partly received return with what arrived; the units that did not come are released.
 */
export async function receiveReturn(
  executor: Executor,
  id: string,
  body: ReceiveBody,
  principal: Principal,
): Promise<Result<ReturnRef>> {
  let ret = await lockReturn(executor, id);
  if (!ret) return fail(problem('not_found', `No return ${id}.`));
  const details = await queryOne<{ location_id: string | null }>(
    executor,
    sql`select location_id from returns where id = ${id}`,
  );
  // Where the key may receive comes first: a key learns nothing of a return it may not receive.
  // Closing with nothing arriving needs no place, except for a key bound to its locations.
  const placeless = body.lines.length === 0 && !body.location_id && !details!.location_id;
  const location =
    placeless && principal.role !== 'fulfillment'
      ? ok(null)
      : await receivingLocation(executor, body.location_id, details!, principal);
  if (!location.ok) return location;
  if (ret.status !== 'authorized' && ret.status !== 'received')
    return fail(
      problem('illegal_transition', `Return ${id} is ${ret.status}; only an authorized return is received.`, {
        from: ret.status,
      }),
    );
  const lines = await query<ReturnLineState>(
    executor,
    sql`select line_id, sku, quantity, received from return_lines where return_id = ${id} order by line_no`,
  );
  const errors = checkReceipts(lines, body.lines);
  if (body.lines.length === 0 && !body.close)
    errors.push({ pointer: '/lines', message: 'name the units that arrived, or close the return with what arrived' });
  if (errors.length > 0) return fail(problem('validation_failed', `${errors[0]!.message}.`, { errors }));
  if (body.lines.length === 0 && ret.status === 'authorized')
    return fail(
      problem('illegal_transition', `Return ${id} has received nothing; cancel it instead of closing it.`, {
        from: ret.status,
      }),
    );
  const actor = principal.keyId;
  // Closing a partly received return with nothing more arriving.
  if (body.lines.length === 0) return finishIfComplete(executor, ret, true, actor);
  for (const r of body.lines)
    await applyReceipt(
      executor,
      ret,
      lines.find((l) => l.line_id === r.line_id)!,
      r,
      location.value!,
      actor,
    );
  await recordReturnEvent(executor, ret, 'return.received', actor, {
    location_id: location.value,
    lines: body.lines.map((r) => ({
      line_id: r.line_id,
      quantity: r.quantity,
      condition: r.condition,
      disposition: r.disposition,
    })),
  });
  if (ret.status === 'authorized') {
    const moved = await transitionReturn(executor, ret, 'received', actor);
    if (!moved.ok) return moved;
    ret = moved.value;
  }
  return finishIfComplete(executor, ret, body.close === true, actor);
}

async function finishIfComplete(
  executor: Executor,
  ret: ReturnRef,
  close: boolean,
  actor: string,
): Promise<Result<ReturnRef>> {
  const totals = await queryOne<{ outstanding: number; restocked: number }>(
    executor,
    sql`select coalesce(sum(quantity - received), 0)::int as outstanding, coalesce(sum(restocked), 0)::int as restocked
        from return_lines where return_id = ${ret.id}`,
  );
  if (totals!.outstanding > 0 && !close) return ok(ret);
  if (totals!.outstanding > 0) await releaseOpenUnits(executor, ret.id);
  return transitionReturn(executor, ret, totals!.restocked > 0 ? 'restocked' : 'written_off', actor, {
    not_received: totals!.outstanding,
  });
}
