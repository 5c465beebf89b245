import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { requestReturnUnits } from '../orders/index.ts';
import { namedIdSql, resolveLocationId } from '../network/index.ts';
import { newId } from '../shared/ids.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { authorizeLocked } from './authorize.ts';
import { recordReturnEvent } from './events.ts';
import { channelPolicy, productPolicies, windowEnds, type ReturnPolicy } from './policy.ts';
import type { CreateReturnBody } from './schemas.ts';
import type { ReturnRef } from './transitions.ts';

interface CreateOptions {
  source: 'agent' | 'channel' | 'self_service';
  actor: string;
  /** Channel keys: only their own channel's orders exist for them. */
  channelOfKey: string | null;
  now?: Date;
}

interface OrderLine {
  line_id: string;
  line_no: number;
  sku: string;
  delivered: number;
  returned: number;
  return_requested: number;
  delivered_at: string | null;
}

type FieldError = { pointer: string; message: string };
type Input = Omit<CreateReturnBody, 'order_id'> & { override_window?: boolean | undefined };

async function lockOrder(executor: Executor, orderId: string) {
  return queryOne<{
    id: string;
    channel_id: string;
    currency: string;
    customer_email: string | null;
    managed: boolean;
  }>(
    executor,
    sql`select id, channel_id, currency, customer_email, managed from orders where id = ${orderId} for update`,
  );
}

async function orderLines(executor: Executor, orderId: string): Promise<OrderLine[]> {
  return query<OrderLine>(
    executor,
    sql`select l.line_id, l.line_no, l.sku, l.delivered, l.returned, l.return_requested,
               (select max(s.delivered_at) from shipments s join shipment_lines sl on sl.shipment_id = s.id
                where s.order_id = l.order_id and sl.line_id = l.line_id and s.status = 'delivered') as delivered_at
        from order_lines l where l.order_id = ${orderId} order by l.line_no`,
  );
}

/** Per requested line: unknown, repeated, not delivered enough, not returnable, or past its window. */
async function checkLines(
  executor: Executor,
  lines: OrderLine[],
  input: Input,
  policy: ReturnPolicy,
  now: Date,
): Promise<{ errors: FieldError[]; notReturnable: FieldError[]; late: FieldError[] }> {
  const products = await productPolicies(executor, [...new Set(lines.map((l) => l.sku))]);
  const errors: FieldError[] = [];
  const notReturnable: FieldError[] = [];
  const late: FieldError[] = [];
  const seen = new Set<string>();
  input.lines.forEach((r, i) => {
    const pointer = `/lines/${i}`;
    const line = lines.find((l) => l.line_id === r.line_id);
    if (!line) return errors.push({ pointer: `${pointer}/line_id`, message: `the order has no line ${r.line_id}` });
    if (seen.has(r.line_id)) return errors.push({ pointer: `${pointer}/line_id`, message: 'line given twice' });
    seen.add(r.line_id);
    const product = products.get(line.sku);
    if (product && !product.returnable)
      return notReturnable.push({ pointer, message: `${line.sku} is not returnable` });
    const open = line.delivered - line.returned - line.return_requested;
    if (r.quantity > open)
      return notReturnable.push({
        pointer: `${pointer}/quantity`,
        message: `only ${open} of line ${r.line_id} can be returned (delivered ${line.delivered}, returned ${line.returned}, on open returns ${line.return_requested})`,
      });
    const days = product?.window_days ?? policy.window_days;
    const deliveredAt = line.delivered_at ? new Date(line.delivered_at) : null;
    if (!input.override_window && deliveredAt && now > windowEnds(deliveredAt, days))
      late.push({
        pointer,
        message: `line ${r.line_id} was delivered ${deliveredAt.toISOString()}; the ${days}-day window has closed`,
      });
    return undefined;
  });
  return { errors, notReturnable, late };
}

async function checkDetails(executor: Executor, input: Input): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (input.method === 'in_store' && !input.location_id)
    errors.push({ pointer: '/location_id', message: 'an in-store return needs the store' });
  if (input.location_id) {
    const location = await queryOne<{ capabilities: string[]; active: boolean }>(
      executor,
      sql`select capabilities, active from locations where id = ${namedIdSql('locations', input.location_id)}`,
    );
    if (!location || !location.active)
      errors.push({ pointer: '/location_id', message: `no active location ${input.location_id}` });
    else if (input.method === 'in_store' && !location.capabilities.includes('returns'))
      errors.push({ pointer: '/location_id', message: 'this location does not take returns' });
  }
  for (const [i, line] of input.lines.entries()) {
    if (!line.exchange) continue;
    const known = await queryOne(executor, sql`select 1 from products where sku = ${line.exchange.sku} and active`);
    if (!known) errors.push({ pointer: `/lines/${i}/exchange/sku`, message: `unknown SKU ${line.exchange.sku}` });
  }
  return errors;
}

/**
 * Starts a return: only delivered units not already returned or on an open return, inside the
 * window (the product's, else the channel's), one reason per line. The order row is locked, so
 * two returns for the last unit are serialized and the second is refused; the line update is
 * guarded as well. Authorized at once when the channel's policy says so.
 */
export async function createReturn(
  executor: Executor,
  orderId: string,
  input: Input,
  options: CreateOptions,
): Promise<Result<{ id: string }>> {
  const order = await lockOrder(executor, orderId);
  if (!order || (options.channelOfKey && options.channelOfKey !== order.channel_id))
    return fail(problem('not_found', `No order ${orderId}.`));
  const policy = await channelPolicy(executor, order.channel_id);
  if (!order.managed && !policy.imported_orders)
    return fail(
      problem(
        'order_unmanaged',
        `Order ${orderId} was imported from a previous system; its channel's return policy does not accept returns against imported orders.`,
      ),
    );
  const lines = await orderLines(executor, orderId);
  const checked = await checkLines(executor, lines, input, policy, options.now ?? new Date());
  const errors = [...checked.errors, ...(await checkDetails(executor, input))];
  if (errors.length > 0) return fail(problem('validation_failed', errors[0]!.message, { errors }));
  if (checked.notReturnable.length > 0)
    return fail(problem('not_returnable', `${checked.notReturnable[0]!.message}.`, { errors: checked.notReturnable }));
  if (checked.late.length > 0)
    return fail(problem('return_window_closed', `${checked.late[0]!.message}.`, { errors: checked.late }));

  const ret = await insertReturn(executor, order, lines, input, options);
  if (!ret.ok) return ret;
  if (policy.auto_authorize) {
    const authorized = await authorizeLocked(executor, ret.value, options.actor, 'policy');
    if (!authorized.ok) return authorized;
  }
  return ok({ id: ret.value.id });
}

async function insertReturn(
  executor: Executor,
  order: { id: string; channel_id: string; currency: string; customer_email: string | null },
  lines: OrderLine[],
  input: Input,
  options: CreateOptions,
): Promise<Result<ReturnRef>> {
  const id = newId('rma');
  const locationId = input.location_id ? await resolveLocationId(executor, input.location_id) : undefined;
  await executor.execute(sql`
    insert into returns (id, order_id, channel_id, status, method, location_id, carrier, tracking_number, source, customer_email,
                         notes, currency, exchange_payment, created_by)
    values (${id}, ${order.id}, ${order.channel_id}, 'initiated', ${input.method}, ${locationId ?? null}, ${input.carrier ?? null},
            ${input.tracking_number ?? null}, ${options.source}, ${order.customer_email}, ${input.notes ?? null}, ${order.currency},
            ${input.exchange_payment ? JSON.stringify(input.exchange_payment) : null}::jsonb, ${options.actor})`);
  for (const r of input.lines) {
    const line = lines.find((l) => l.line_id === r.line_id)!;
    const claimed = await requestReturnUnits(executor, { orderId: order.id, lineId: r.line_id }, r.quantity);
    if (!claimed) return fail(problem('not_returnable', `Line ${r.line_id} has fewer returnable units now.`));
    await executor.execute(sql`
      insert into return_lines (return_id, order_id, line_id, line_no, sku, quantity, reason, comment, exchange_sku, exchange_unit_price_minor)
      values (${id}, ${order.id}, ${r.line_id}, ${line.line_no}, ${line.sku}, ${r.quantity}, ${r.reason}, ${r.comment ?? null},
              ${r.exchange?.sku ?? null}, ${exchangePrice(order.id, r)})`);
  }
  const ref: ReturnRef = { id, order_id: order.id, channel_id: order.channel_id, status: 'initiated', version: 1 };
  await recordReturnEvent(executor, ref, 'return.created', options.actor, {
    status: 'initiated',
    method: input.method,
    source: options.source,
    lines: input.lines.map((l) => ({
      line_id: l.line_id,
      quantity: l.quantity,
      reason: l.reason,
      exchange_sku: l.exchange?.sku ?? null,
    })),
  });
  return ok(ref);
}

/** An exchange's unit price: the one given, else the returned line's (an even exchange). */
function exchangePrice(orderId: string, r: Input['lines'][number]) {
  if (!r.exchange) return null;
  if (r.exchange.unit_price) return r.exchange.unit_price.amount;
  return sql`(select unit_price_minor from order_lines where order_id = ${orderId} and line_id = ${r.line_id})`;
}
