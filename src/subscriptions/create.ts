import { sql } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { MAX_AMOUNT, validateOrder } from '../orders/index.ts';
import { registeredGateways } from '../payments/index.ts';
import { newId } from '../shared/ids.ts';
import { problem, type Problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { recordSubscriptionEvent } from './events.ts';
import { periodOrder, totalOf, type StoredLine } from './order-body.ts';
import { getSubscription, type SubscriptionRow } from './read.ts';
import { checkSchedule } from './schedule.ts';
import type { CreateSubscription } from './schemas.ts';

const DEFAULT_RETRY = { max_attempts: 3, backoff_seconds: 3600 };

interface CreateOptions {
  actor: string;
  /** Set for channel keys: they manage their own channel's subscriptions only. */
  channelOfKey: string | null;
  now: Date;
}

const invalid = (pointer: string, message: string): Problem =>
  problem('validation_failed', `The subscription is not valid: ${message}.`, { errors: [{ pointer, message }] });

/** Everything checked before the pipeline's own order validation: schedule, gateway, one currency. */
function checkInput(input: CreateSubscription, startsAt: Date): Result<{ firstDate: Date; currency: string }> {
  const schedule = checkSchedule(input.schedule, startsAt);
  if (!schedule.ok) return fail(invalid('/schedule', schedule.error));
  if (!registeredGateways().includes(input.payment.gateway))
    return fail(invalid('/payment/gateway', `no payment gateway "${input.payment.gateway}" is configured`));
  const currency = input.lines[0]!.unit_price.currency;
  const other = [...input.lines.map((l) => l.unit_price.currency), input.shipping?.currency ?? currency].find(
    (c) => c !== currency,
  );
  if (other) return fail(invalid('/lines', `every amount must be in one currency (${currency} and ${other})`));
  return ok({ firstDate: schedule.value, currency });
}

/**
 * Creates an active subscription whose first period is the schedule's first date on or after
 * `starts_at`. Its order is checked now exactly as the pipeline will check each period's order
 * (channel, SKUs, address, the channel's currency), so a subscription that is accepted places
 * orders that validate.
 */
export async function createSubscription(
  executor: Executor,
  input: CreateSubscription,
  options: CreateOptions,
): Promise<Result<NonNullable<Awaited<ReturnType<typeof getSubscription>>>>> {
  const startsAt = input.starts_at ? new Date(input.starts_at) : options.now;
  const checked = checkInput(input, startsAt);
  if (!checked.ok) return checked;
  const lines: StoredLine[] = input.lines.map((l, i) => ({
    line_id: `L${i + 1}`,
    sku: l.sku,
    ...(l.name ? { name: l.name } : {}),
    quantity: l.quantity,
    unit_price_minor: l.unit_price.amount,
  }));
  const total = totalOf(lines, input.shipping?.amount ?? 0);
  if (total > MAX_AMOUNT) {
    return fail(
      invalid(
        '/lines',
        `a period's total would be ${total} minor units, more than the largest amount (${MAX_AMOUNT}); lower the quantities or prices`,
      ),
    );
  }
  const retry = input.retry ?? DEFAULT_RETRY;
  const draft: SubscriptionRow = {
    id: newId('sub'),
    channel_id: input.channel,
    status: 'active',
    customer: input.customer,
    lines,
    shipping_address: input.shipping_address,
    currency: checked.value.currency,
    shipping_minor: input.shipping?.amount ?? 0,
    total_minor: total,
    schedule: input.schedule,
    starts_at: startsAt,
    payment_gateway: input.payment.gateway,
    payment_method: input.payment.payment_method,
    catch_up: input.catch_up ?? 'all',
    max_attempts: retry.max_attempts,
    retry_backoff_seconds: retry.backoff_seconds,
    on_failure: input.on_failure ?? 'continue',
    next_period: 1,
    next_period_at: checked.value.firstDate,
    next_attempt_at: checked.value.firstDate,
    attempts: 0,
    created_at: options.now,
    updated_at: options.now,
  };
  const order = await validateOrder(executor, periodOrder(draft, 1, startsAt, 'check'), options.channelOfKey);
  if (!order.ok) return order;
  await insertSubscription(executor, { ...draft, channel_id: order.value.channelId }, options.actor);
  await recordSubscriptionEvent(executor, draft.id, 'subscription.created', options.actor, {
    schedule: draft.schedule,
    next_period_at: checked.value.firstDate.toISOString(),
  });
  return ok((await getSubscription(executor, draft.id))!);
}

async function insertSubscription(executor: Executor, s: SubscriptionRow, actor: string): Promise<void> {
  const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;
  const at = (value: string | Date | null) =>
    sql`${value === null ? null : new Date(value).toISOString()}::timestamptz`;
  const email = (s.customer.email as string | undefined)?.toLowerCase() ?? null;
  await executor.execute(sql`
    insert into subscriptions (id, channel_id, status, customer, customer_email, lines, shipping_address, currency,
      shipping_minor, total_minor, schedule, starts_at, payment_gateway, payment_method, catch_up, max_attempts,
      retry_backoff_seconds, on_failure, next_period, next_period_at, next_attempt_at, attempts, created_by)
    values (${s.id}, ${s.channel_id}, 'active', ${json(s.customer)}, ${email}, ${json(s.lines)}, ${json(s.shipping_address)},
      ${s.currency}, ${s.shipping_minor}, ${s.total_minor}, ${json(s.schedule)}, ${at(s.starts_at)}, ${s.payment_gateway},
      ${s.payment_method}, ${s.catch_up}, ${s.max_attempts}, ${s.retry_backoff_seconds}, ${s.on_failure}, 1,
      ${at(s.next_period_at)}, ${at(s.next_attempt_at)}, 0, ${actor})`);
}
