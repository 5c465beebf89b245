import type { CheckedAuthorization } from './verify.ts';
import { sql, type SQL } from 'drizzle-orm';
import { query, queryOne, toIso, type Executor } from '../db/index.ts';
import { newId } from '../shared/ids.ts';

/**
 * The payment records of an order: authorizations, captures, voids and refunds, each a
 * `payments` row with its `payment_details`. Rows are never updated; a capture, void or refund
 * points at what it draws on (`parent_id`). `pending` and `succeeded` rows both claim money
 * (a pending capture may still go through); `failed` rows claim nothing.
 */
export type PaymentKind = 'authorization' | 'capture' | 'void' | 'refund';
export type PaymentStatus = 'succeeded' | 'failed' | 'pending';

export interface PaymentRow {
  id: string;
  order_id: string;
  kind: PaymentKind;
  status: PaymentStatus;
  amount_minor: number;
  currency: string;
  gateway: string;
  reference: string | null;
  parent_id: string | null;
  created_at: string;
  idempotency_key: string | null;
  gateway_reference: string | null;
  failure_code: string | null;
  failure_message: string | null;
  shipment_id: string | null;
  return_id: string | null;
  details: Record<string, unknown> | null;
}

interface NewPayment {
  orderId: string;
  kind: PaymentKind;
  status: PaymentStatus;
  amountMinor: number;
  currency: string;
  gateway: string;
  parentId: string | null;
  idempotencyKey: string;
  gatewayReference: string | null;
  failure: { code: string; message: string } | null;
  shipmentId?: string | null | undefined;
  returnId?: string | null | undefined;
  details?: Record<string, unknown> | undefined;
}

const selectPayments = sql`
  select p.id, p.order_id, p.kind, p.status, p.amount_minor, p.currency, p.gateway, p.reference, p.parent_id, p.created_at,
         p.idempotency_key, d.gateway_reference, d.failure_code, d.failure_message, d.shipment_id, d.return_id, d.details
  from payments p left join payment_details d on d.payment_id = p.id`;

export async function recordPayment(executor: Executor, payment: NewPayment): Promise<PaymentRow> {
  const id = newId('pay');
  await executor.execute(sql`
    insert into payments (id, order_id, kind, status, amount_minor, currency, gateway, reference, parent_id, idempotency_key)
    values (${id}, ${payment.orderId}, ${payment.kind}, ${payment.status}, ${payment.amountMinor}, ${payment.currency},
            ${payment.gateway}, ${payment.gatewayReference}, ${payment.parentId}, ${payment.idempotencyKey})`);
  await executor.execute(sql`
    insert into payment_details (payment_id, gateway_reference, failure_code, failure_message, shipment_id, return_id, details)
    values (${id}, ${payment.gatewayReference}, ${payment.failure?.code ?? null}, ${payment.failure?.message ?? null},
            ${payment.shipmentId ?? null}, ${payment.returnId ?? null}, ${payment.details ? JSON.stringify(payment.details) : null}::jsonb)`);
  return (await paymentById(executor, id))!;
}

/**
 * Records a new order's authorizations, as their gateways answered (`checkSentAuthorizations`),
 * as two statements for the order's capture statement to run as CTEs (ADR 0008): `payments`
 * reads the order's ID from the CTE named `placed`; `details` reads the inserted IDs from the CTE
 * the caller names `authorizations` (`payments` followed by `returning id`). Their text does not
 * depend on the values, so the capture stays prepared.
 */
export function recordPlacedAuthorizations(authorizations: CheckedAuthorization[]): { payments: SQL; details: SQL } {
  const rows = JSON.stringify(authorizations);
  return {
    payments: sql`insert into payments (id, order_id, kind, status, amount_minor, currency, gateway, reference)
      select t.id, placed.id, 'authorization', t.status, t.amount_minor, t.currency, t.gateway, t.reference
      from placed, jsonb_to_recordset(${rows}::jsonb)
           as t(id text, status text, amount_minor bigint, currency text, gateway text, reference text)`,
    details: sql`insert into payment_details (payment_id, gateway_reference, failure_code, failure_message, details)
      select t.id, t.gateway_reference, t.failure_code, t.failure_message, t.details
      from authorizations join jsonb_to_recordset(${rows}::jsonb)
           as t(id text, gateway_reference text, failure_code text, failure_message text, details jsonb) on t.id = authorizations.id`,
  };
}

async function paymentById(executor: Executor, id: string): Promise<PaymentRow | undefined> {
  return queryOne<PaymentRow>(executor, sql`${selectPayments} where p.id = ${id}`);
}

export async function paymentsOfOrder(executor: Executor, orderId: string): Promise<PaymentRow[]> {
  return query<PaymentRow>(executor, sql`${selectPayments} where p.order_id = ${orderId} order by p.created_at, p.id`);
}

/** The refunds made for a return, from any of `orderIds` (a return of a replacement refunds its credits from earlier orders). */
export async function refundsOfReturn(executor: Executor, orderIds: string[], returnId: string): Promise<PaymentRow[]> {
  return query<PaymentRow>(
    executor,
    sql`${selectPayments} where p.order_id in (${sql.join(
      orderIds.map((id) => sql`${id}`),
      sql`, `,
    )}) and p.kind = 'refund' and d.return_id = ${returnId} order by p.created_at, p.id`,
  );
}

export async function capturesOfShipment(
  executor: Executor,
  orderId: string,
  shipmentId: string,
): Promise<PaymentRow[]> {
  return query<PaymentRow>(
    executor,
    sql`${selectPayments} where p.order_id = ${orderId} and p.kind = 'capture' and d.shipment_id = ${shipmentId} order by p.created_at, p.id`,
  );
}

/** The record made with this idempotency key on the order (the one a retry replays); a key is unique per order. */
export async function paymentByKey(
  executor: Executor,
  orderId: string,
  idempotencyKey: string,
): Promise<PaymentRow | undefined> {
  return queryOne<PaymentRow>(
    executor,
    sql`${selectPayments} where p.order_id = ${orderId} and p.idempotency_key = ${idempotencyKey}`,
  );
}

/** How many records of a kind already draw on `parentId`: numbers the next idempotency key. */
export async function countChildren(
  executor: Executor,
  orderId: string,
  parentId: string,
  kind: PaymentKind,
): Promise<number> {
  const row = await queryOne<{ n: number }>(
    executor,
    sql`select count(*)::int as n from payments where order_id = ${orderId} and parent_id = ${parentId} and kind = ${kind}`,
  );
  return row?.n ?? 0;
}

/** A record something can draw on, with what is left of it. */
export interface Drawable {
  id: string;
  gateway: string;
  /** What the gateway calls it (the authorization's reference, or our ID when it has none). */
  reference: string;
  currency: string;
  amount_minor: number;
  remaining_minor: number;
}

/** Authorizations with what is neither captured nor voided, oldest first. */
export async function authorizationBalances(executor: Executor, orderId: string): Promise<Drawable[]> {
  return query<Drawable>(
    executor,
    sql`select a.id, a.gateway, coalesce(a.reference, a.id) as reference, a.currency, a.amount_minor,
               (a.amount_minor - coalesce((select sum(c.amount_minor) from payments c
                 where c.order_id = a.order_id and c.parent_id = a.id and c.kind in ('capture', 'void') and c.status in ('succeeded', 'pending')), 0))::bigint as remaining_minor
        from payments a
        where a.order_id = ${orderId} and a.kind = 'authorization' and a.status = 'succeeded'
        order by a.created_at, a.id`,
  );
}

/**
 * The authorizations and how much of them may still be drawn on in total: the smaller of
 * their own balances and the order's (records without a parent count there too).
 */
export async function drawableAuthorizations(
  executor: Executor,
  orderId: string,
): Promise<{ authorizations: Drawable[]; capturableMinor: number }> {
  const authorizations = await authorizationBalances(executor, orderId);
  const own = authorizations.reduce((n, a) => n + Math.max(0, a.remaining_minor), 0);
  return { authorizations, capturableMinor: Math.min(own, (await orderMoney(executor, orderId)).capturable_minor) };
}

/** Successful captures with what is not yet refunded, newest first (refunds draw on the latest). */
export async function captureBalances(executor: Executor, orderId: string): Promise<Drawable[]> {
  return query<Drawable>(
    executor,
    sql`select c.id, c.gateway, coalesce(c.reference, c.id) as reference, c.currency, c.amount_minor,
               (c.amount_minor - coalesce((select sum(r.amount_minor) from payments r
                 where r.order_id = c.order_id and r.parent_id = c.id and r.kind = 'refund' and r.status in ('succeeded', 'pending')), 0))::bigint as remaining_minor
        from payments c
        where c.order_id = ${orderId} and c.kind = 'capture' and c.status = 'succeeded'
        order by c.created_at desc, c.id desc`,
  );
}

interface OrderMoney {
  authorized_minor: number;
  captured_minor: number;
  voided_minor: number;
  refunded_minor: number;
  /** Authorized and neither captured nor voided (pending operations count as done). */
  capturable_minor: number;
  /** Captured and not yet refunded (pending refunds count as done). */
  refundable_minor: number;
}

/** The order's money at a glance, summed over every record (also those without a parent). */
export async function orderMoney(executor: Executor, orderId: string): Promise<OrderMoney> {
  const row = await queryOne<Record<string, number>>(
    executor,
    sql`select
          coalesce(sum(amount_minor) filter (where kind = 'authorization' and status = 'succeeded'), 0)::bigint as authorized,
          coalesce(sum(amount_minor) filter (where kind = 'capture' and status = 'succeeded'), 0)::bigint as captured,
          coalesce(sum(amount_minor) filter (where kind = 'void' and status = 'succeeded'), 0)::bigint as voided,
          coalesce(sum(amount_minor) filter (where kind = 'refund' and status = 'succeeded'), 0)::bigint as refunded,
          coalesce(sum(amount_minor) filter (where kind in ('capture', 'void') and status in ('succeeded', 'pending')), 0)::bigint as claimed,
          coalesce(sum(amount_minor) filter (where kind = 'refund' and status in ('succeeded', 'pending')), 0)::bigint as refunds_claimed
        from payments where order_id = ${orderId}`,
  );
  const r = row ?? {};
  const n = (key: string) => r[key] ?? 0;
  return {
    authorized_minor: n('authorized'),
    captured_minor: n('captured'),
    voided_minor: n('voided'),
    refunded_minor: n('refunded'),
    capturable_minor: Math.max(0, n('authorized') - n('claimed')),
    refundable_minor: Math.max(0, n('captured') - n('refunds_claimed')),
  };
}

const money = (amount: number, currency: string) => ({ amount, currency });

/** A payment record as the API shows it. */
export function presentPayment(row: PaymentRow) {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    amount: money(row.amount_minor, row.currency),
    gateway: row.gateway,
    reference: row.reference,
    parent_id: row.parent_id,
    shipment_id: row.shipment_id,
    return_id: row.return_id,
    idempotency_key: row.idempotency_key,
    failure: row.failure_code ? { code: row.failure_code, message: row.failure_message } : null,
    details: row.details,
    created_at: toIso(row.created_at),
  };
}
