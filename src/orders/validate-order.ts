import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { problem, type Problem } from '../shared/problem.ts';
import { checkMoney, type FieldError, type Totals } from './money.ts';
import type { CreateOrder } from './schemas.ts';

export interface Catalogue {
  [sku: string]: { name: string; weightGrams: number; allowBackorder: boolean };
}

export interface ValidOrder {
  channelId: string;
  totals: Totals;
  catalogue: Catalogue;
}

interface ChannelRow {
  id: string;
  currency: string;
}

async function resolveChannel(executor: Executor, channel: string): Promise<ChannelRow | undefined> {
  return queryOne<ChannelRow>(
    executor,
    sql`select id, currency from channels where id = ${channel} or code = ${channel} limit 1`,
  );
}

async function loadCatalogue(executor: Executor, skus: string[]): Promise<Catalogue> {
  const rows = await query<{ sku: string; name: string; weight_grams: number | null; allow_backorder: boolean }>(
    executor,
    sql`select sku, name, weight_grams, allow_backorder from products
        where active and sku = any(${sql.param([...new Set(skus)])}::text[])`,
  );
  return Object.fromEntries(
    rows.map((r) => [r.sku, { name: r.name, weightGrams: r.weight_grams ?? 0, allowBackorder: r.allow_backorder }]),
  );
}

async function checkDelivery(executor: Executor, input: CreateOrder): Promise<FieldError[]> {
  if (input.delivery_method === 'ship') {
    return input.shipping_address
      ? []
      : [{ pointer: '/shipping_address', message: 'a shipping address is required to ship' }];
  }
  if (!input.pickup_location_id) {
    return [{ pointer: '/pickup_location_id', message: `${input.delivery_method} needs the store's location ID` }];
  }
  const location = await queryOne<{ capabilities: string[]; active: boolean }>(
    executor,
    sql`select capabilities, active from locations where id = ${input.pickup_location_id}`,
  );
  if (!location) return [{ pointer: '/pickup_location_id', message: `no location ${input.pickup_location_id}` }];
  if (!location.active || !location.capabilities.includes(input.delivery_method)) {
    return [
      {
        pointer: '/pickup_location_id',
        message: `location ${input.pickup_location_id} does not offer ${input.delivery_method}`,
      },
    ];
  }
  return [];
}

function checkLines(input: CreateOrder, catalogue: Catalogue): FieldError[] {
  const errors: FieldError[] = [];
  const lineIds = new Set<string>();
  input.lines.forEach((line, i) => {
    if (!catalogue[line.sku])
      errors.push({ pointer: `/lines/${i}/sku`, message: `unknown or inactive SKU ${line.sku}` });
    const id = line.line_id ?? String(i + 1);
    if (lineIds.has(id)) errors.push({ pointer: `/lines/${i}/line_id`, message: `line_id ${id} is used twice` });
    lineIds.add(id);
  });
  return errors;
}

/**
 * Everything that makes an order acceptable before anything is written: its channel, the
 * money adding up in one currency, known SKUs, and a delivery that can happen.
 */
export async function validateOrder(
  executor: Executor,
  input: CreateOrder,
  channelOfKey: string | null,
): Promise<{ ok: true; value: ValidOrder } | { ok: false; problem: Problem }> {
  const channel = await resolveChannel(executor, input.channel);
  if (!channel)
    return {
      ok: false,
      problem: problem('unknown_reference', `No channel ${input.channel}.`, {
        errors: [{ pointer: '/channel', message: 'unknown channel' }],
      }),
    };
  if (channelOfKey && channelOfKey !== channel.id) {
    return { ok: false, problem: problem('forbidden', 'This key may only create orders for its own channel.') };
  }
  const catalogue = await loadCatalogue(
    executor,
    input.lines.map((l) => l.sku),
  );
  const money = checkMoney(input);
  const errors = [...checkLines(input, catalogue), ...money.errors, ...(await checkDelivery(executor, input))];
  if (money.totals.currency !== channel.currency) {
    errors.push({
      pointer: '/total/currency',
      message: `the channel sells in ${channel.currency}, not ${money.totals.currency}`,
    });
  }
  if (errors.length > 0) {
    const unknownSku = errors.every((e) => e.message.startsWith('unknown or inactive SKU'));
    return {
      ok: false,
      problem: problem(
        unknownSku ? 'unknown_sku' : 'validation_failed',
        `The order is not valid: ${errors[0]!.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}.`,
        { errors },
      ),
    };
  }
  return { ok: true, value: { channelId: channel.id, totals: money.totals, catalogue } };
}
