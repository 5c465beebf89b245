import type { Executor } from '../db/index.ts';
import { ok, type Result } from '../shared/result.ts';
import type { TaxEngine, TaxQuote, TaxRequest } from './adapter.ts';
import { recordDocument, saleDocument } from './documents.ts';
import { orderTaxFacts } from './order-facts.ts';
import { builtInEngine, configuredEngine, type TaxSettings } from './settings.ts';
import { currentTaxSettings } from './settings-cache.ts';

/** What quoting an order's tax came to: a document, nothing to tax, or a reason to hold the order. */
type OrderTaxOutcome =
  | { outcome: 'quoted'; documentId: string; taxMinor: number }
  | { outcome: 'untaxed' }
  | { outcome: 'hold'; reason: string };

interface Quoted {
  engine: TaxEngine;
  quote: TaxQuote;
  note: string | null;
}

/**
 * Asks the configured engine; when it fails, the failure policy decides: `table` answers from
 * the built-in rate table (and notes why), `hold` returns the failure for the caller to hold on.
 */
export async function quoteWithPolicy(
  executor: Executor,
  settings: TaxSettings,
  request: TaxRequest,
  policy: TaxSettings['on_failure'] = settings.on_failure,
): Promise<Result<Quoted, { code: 'tax_unavailable'; detail: string }>> {
  const engine = await configuredEngine(executor, settings);
  const answer = engine
    ? await engine.quote(request)
    : ({ ok: false, problem: { code: 'tax_unavailable', detail: 'CONSIGN_AVATAX_URL is not set.' } } as const);
  if (answer.ok) return ok({ engine: engine!, quote: answer.value, note: null });
  const detail = `${settings.engine}: ${answer.problem.detail}`;
  if (policy === 'hold') return { ok: false, problem: { code: 'tax_unavailable', detail } };
  const table = await builtInEngine(executor);
  const fallback = await table.quote(request);
  if (!fallback.ok) return { ok: false, problem: { code: 'tax_unavailable', detail } };
  return ok({ engine: table, quote: fallback.value, note: `rate table used: ${detail}` });
}

/**
 * Quotes an order's tax and records it per line, uncommitted until the order is invoiced: at
 * capture, and again when its `tax` hold is released. Does nothing when Consign computes no tax;
 * an order quoted already keeps its sale document.
 */
export async function quoteOrderTax(executor: Executor, orderId: string): Promise<OrderTaxOutcome> {
  const settings = await currentTaxSettings(executor);
  if (!settings) return { outcome: 'untaxed' };
  const sale = await saleDocument(executor, orderId);
  if (sale) return { outcome: 'quoted', documentId: sale.id, taxMinor: Number(sale.tax_minor) };
  const facts = await orderTaxFacts(executor, orderId, settings);
  if (!facts) return { outcome: 'untaxed' };
  const request: TaxRequest = { ...facts.request, code: orderId, kind: 'sale', commit: false };
  const quoted = await quoteWithPolicy(executor, settings, request);
  if (!quoted.ok) return { outcome: 'hold', reason: `tax could not be computed (${quoted.problem.detail})` };
  const documentId = await recordDocument(executor, {
    orderId,
    kind: 'sale',
    engine: quoted.value.engine.name,
    committed: false,
    mode: settings.price_mode,
    currency: request.currency,
    paymentId: null,
    note: quoted.value.note,
    amounts: new Map(request.lines.map((l) => [l.lineId, l.amountMinor])),
    quote: quoted.value.quote,
  });
  return { outcome: 'quoted', documentId, taxMinor: quoted.value.quote.lines.reduce((n, l) => n + l.taxMinor, 0) };
}
