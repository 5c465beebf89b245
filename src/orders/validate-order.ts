import type { Executor } from '../db/index.ts';
import { problem, type Problem } from '../shared/problem.ts';
import { checkMoney, type FieldError, type Totals } from './money.ts';
import { loadPlacementInputs, type PlacementInputs, type ProductRow, type RoutingInputs } from './placement-inputs.ts';
import type { CreateOrder } from './schemas.ts';
import { checkShipFrom } from './ship-from.ts';

interface Catalogue {
  [sku: string]: { name: string; weightGrams: number; allowBackorder: boolean };
}

export interface ValidOrder {
  channelId: string;
  channelCode: string | null;
  /** A shadow channel's order is decided only (src/shadow), not reserved or fulfilled. */
  shadow: boolean;
  totals: Totals;
  catalogue: Catalogue;
  /** The order's SKUs that are bundles. */
  bundles: Set<string>;
  /** Read with the rest at `at`, for routing the order in the same transaction. */
  routing: RoutingInputs;
  at: Date;
}

function catalogueOf(products: ProductRow[]): Catalogue {
  return Object.fromEntries(
    products.map((r) => [r.sku, { name: r.name, weightGrams: r.weight_grams ?? 0, allowBackorder: r.allow_backorder }]),
  );
}

function checkDelivery(input: CreateOrder, pickup: PlacementInputs['pickup']): FieldError[] {
  if (input.delivery_method === 'ship') {
    return input.shipping_address
      ? []
      : [{ pointer: '/shipping_address', message: 'a shipping address is required to ship' }];
  }
  if (!input.pickup_location_id) {
    return [{ pointer: '/pickup_location_id', message: `${input.delivery_method} needs the store's location ID` }];
  }
  if (!pickup) return [{ pointer: '/pickup_location_id', message: `no location ${input.pickup_location_id}` }];
  if (!pickup.active || !pickup.capabilities.includes(input.delivery_method)) {
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
 * money adding up in one currency, known SKUs, a delivery that can happen, and ship-from
 * locations that can ship their lines. One read, which
 * also brings what routing the order needs.
 */
export async function validateOrder(
  executor: Executor,
  input: CreateOrder,
  channelOfKey: string | null,
  at: Date = new Date(),
): Promise<{ ok: true; value: ValidOrder } | { ok: false; problem: Problem }> {
  const inputs = await loadPlacementInputs(executor, input, at);
  const channel = inputs.channel;
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
  const catalogue = catalogueOf(inputs.products);
  const money = checkMoney(input);
  const errors = [...checkLines(input, catalogue), ...money.errors, ...checkDelivery(input, inputs.pickup)];
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
  const shipFrom = checkShipFrom(input, channel.code ?? channel.id, inputs.shipFrom);
  if (shipFrom) return { ok: false, problem: shipFrom };
  return {
    ok: true,
    value: {
      channelId: channel.id,
      channelCode: channel.code,
      shadow: channel.mode === 'shadow',
      totals: money.totals,
      catalogue,
      bundles: new Set(inputs.products.filter((p) => p.bundle).map((p) => p.sku)),
      routing: inputs.routing,
      at,
    },
  };
}
