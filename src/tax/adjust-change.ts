import type { Executor } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import type { TaxQuote, TaxRequest } from './adapter.ts';
import type { LineTax } from './compute.ts';
import { recordDocument, saleDocument, soldLines } from './documents.ts';
import { orderTaxFacts } from './order-facts.ts';
import { quoteWithPolicy } from './quote-order.ts';
import { currentTaxSettings } from './settings-cache.ts';

/** What a change did to an order's tax: the difference per line (none when it changed nothing taxed). */
export interface TaxAdjustment {
  taxMinor: number;
  engine: 'table' | 'avatax';
  note: string | null;
  lines: { lineId: string; taxMinor: number }[];
}

interface AdjustInput {
  /** Why, as the document's note and AvaTax's adjustmentDescription: `order change chg_… (version 3)`. */
  description: string;
  reason: 'PriceAdjusted' | 'ProductExchanged';
  /** Compute the difference and record nothing anywhere (a change's preview). */
  estimate: boolean;
}

type Held = Awaited<ReturnType<typeof soldLines>> extends Map<string, infer H> ? H : never;

/**
 * A line's new tax less what the order's sale documents hold for it, detail by detail: a
 * jurisdiction's tax at one rate (another state's `state` row, or a new rate, is another detail).
 */
function difference(lineId: string, now: LineTax | undefined, held: Held | undefined): LineTax {
  const details = new Map<string, { jurisdiction: string; name: string; ratePpm: number; taxMinor: number }>();
  const add = (d: { jurisdiction: string; name: string; ratePpm: number }, taxMinor: number) => {
    const key = [d.jurisdiction, d.name, d.ratePpm].join('\u0000');
    details.set(key, { ...d, taxMinor: (details.get(key)?.taxMinor ?? 0) + taxMinor });
  };
  for (const d of held?.details ?? [])
    add({ jurisdiction: d.jurisdiction, name: d.name, ratePpm: d.rate_ppm }, -Number(d.tax_minor));
  for (const d of now?.details ?? []) add(d, d.taxMinor);
  return {
    lineId,
    taxableMinor: (now?.taxableMinor ?? 0) - (held?.taxableMinor ?? 0),
    taxMinor: (now?.taxMinor ?? 0) - (held?.taxMinor ?? 0),
    details: [...details.values()].filter((d) => d.taxMinor !== 0),
  };
}

/**
 * Quotes the order's tax again once a change (or an exchange's price difference) has been
 * written, and records the difference as an adjustment: per line, the new tax less what the
 * order's sale documents already hold, so that they add up to the tax of the order's current
 * lines. The sale's engine answers (AvaTax: AdjustTransaction of the order's transaction, which
 * then stands for its new state); a failure follows the capture policy: `table` answers from the
 * rate table with a note, `hold` refuses with `tax_unavailable` and the caller writes nothing.
 * Nothing happens for an order without a sale document.
 */
export async function adjustOrderTax(
  executor: Executor,
  orderId: string,
  input: AdjustInput,
): Promise<Result<TaxAdjustment | null>> {
  const settings = await currentTaxSettings(executor);
  const sale = await saleDocument(executor, orderId);
  if (!settings || !sale) return ok(null);
  const facts = await orderTaxFacts(executor, orderId, { ...settings, price_mode: sale.price_mode }, 'live');
  if (!facts) return ok(null);
  const recorded = sale.engine === 'avatax' && sale.external_code !== null && !input.estimate;
  const request: TaxRequest = {
    ...facts.request,
    code: sale.external_code ?? orderId,
    kind: input.estimate ? 'estimate' : 'sale',
    commit: !input.estimate && sale.status === 'committed',
    ...(recorded ? { adjusts: { reason: input.reason, description: input.description } } : {}),
  };
  const quoted = await quoteWithPolicy(executor, { ...settings, engine: sale.engine }, request);
  if (!quoted.ok)
    return fail(problem('tax_unavailable', `The order's tax could not be quoted again (${quoted.problem.detail}).`));
  const held = await soldLines(executor, orderId);
  const now = new Map(quoted.value.quote.lines.map((l) => [l.lineId, l]));
  const amounts = new Map(request.lines.map((l) => [l.lineId, l.amountMinor]));
  const ids = [...new Set([...held.keys(), ...now.keys()])].sort();
  const changed = ids
    .map((id) => ({
      tax: difference(id, now.get(id), held.get(id)),
      amountMinor: (amounts.get(id) ?? 0) - (held.get(id)?.amountMinor ?? 0),
    }))
    .filter((l) => l.amountMinor !== 0 || l.tax.taxMinor !== 0 || l.tax.details.length > 0);
  const adjustment: TaxAdjustment = {
    taxMinor: changed.reduce((n, l) => n + l.tax.taxMinor, 0),
    engine: quoted.value.engine.name,
    note: quoted.value.note,
    lines: changed.map((l) => ({ lineId: l.tax.lineId, taxMinor: l.tax.taxMinor })),
  };
  if (input.estimate || changed.length === 0) return ok(adjustment);
  const quote: TaxQuote = { externalCode: quoted.value.quote.externalCode, lines: changed.map((l) => l.tax) };
  await recordDocument(executor, {
    orderId,
    kind: 'sale',
    engine: quoted.value.engine.name,
    committed: sale.status === 'committed',
    mode: sale.price_mode,
    currency: request.currency,
    paymentId: null,
    note: quoted.value.note ? `${input.description}; ${quoted.value.note}` : input.description,
    amounts: new Map(changed.map((l) => [l.tax.lineId, l.amountMinor])),
    quote,
  });
  return ok(adjustment);
}
