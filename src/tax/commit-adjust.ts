import type { Executor } from '../db/index.ts';
import type { TaxRequest } from './adapter.ts';
import { shareOf } from './compute.ts';
import { markSalesCommitted, noteOn, recordDocument, saleDocument, soldLines } from './documents.ts';
import { orderTaxFacts } from './order-facts.ts';
import { quoteWithPolicy } from './quote-order.ts';
import { configuredEngine } from './settings.ts';
import { currentTaxSettings } from './settings-cache.ts';

/**
 * Commits the order's sale document and its adjustments when it is first invoiced: AvaTax's
 * CommitTransaction for an AvaTax document (one transaction, adjusted in place), the status
 * alone for the rate table's. A failed commit stays
 * `uncommitted` with the reason noted, and the next invoice of the order tries again.
 */
export async function commitOrderTax(executor: Executor, orderId: string): Promise<void> {
  const document = await saleDocument(executor, orderId);
  if (!document || document.status === 'committed') return;
  if (document.engine === 'avatax' && document.external_code) {
    const settings = await currentTaxSettings(executor);
    const engine = settings ? await configuredEngine(executor, { ...settings, engine: 'avatax' }) : null;
    const done = engine
      ? await engine.commit(document.external_code)
      : ({ ok: false, problem: { detail: 'CONSIGN_AVATAX_URL is not set.' } } as const);
    if (!done.ok) return noteOn(executor, document.id, `commit failed: ${done.problem.detail}`);
  }
  await markSalesCommitted(executor, orderId);
}

/**
 * Gives back the tax of a refund: the refunded share of the order's taxed amounts, line by line,
 * taxed as a return (AvaTax `ReturnInvoice`, committed at once) and recorded as a `refund`
 * document of negative tax. The money is already back with the customer, so an engine failure
 * is never a hold: the rate table answers and the document notes why.
 */
export async function adjustTaxForRefund(
  executor: Executor,
  input: { orderId: string; paymentId: string; amountMinor: number },
): Promise<void> {
  const sale = await saleDocument(executor, input.orderId);
  const settings = await currentTaxSettings(executor);
  if (!sale || !settings || input.amountMinor <= 0) return;
  const facts = await orderTaxFacts(executor, input.orderId, { ...settings, price_mode: sale.price_mode });
  if (!facts) return;
  // What the sale holds per line now, with its changes: a line a change removed has nothing left to refund.
  const taxed = [...(await soldLines(executor, input.orderId))]
    .map(([line_id, held]) => ({ line_id, amount_minor: held.amountMinor }))
    .filter((l) => l.amount_minor > 0)
    .sort((a, b) => a.line_id.localeCompare(b.line_id));
  const amounts = taxed.map((l) => l.amount_minor);
  const base = amounts.reduce((n, a) => n + a, 0);
  // The refund holds tax (on top of exclusive prices, inside inclusive ones): its share of the taxed amounts.
  const refundedBase =
    facts.totalMinor > 0 ? Math.min(base, Math.round((input.amountMinor * base) / facts.totalMinor)) : 0;
  const shares = shareOf(refundedBase, amounts);
  const byId = new Map(facts.request.lines.map((l) => [l.lineId, l]));
  const request: TaxRequest = {
    ...facts.request,
    code: `${input.orderId}:refund:${input.paymentId}`,
    kind: 'refund',
    commit: true,
    lines: taxed.flatMap((l, i) => {
      const line = byId.get(l.line_id);
      return line && shares[i]! > 0 ? [{ ...line, amountMinor: -shares[i]! }] : [];
    }),
  };
  if (request.lines.length === 0) return;
  const quoted = await quoteWithPolicy(executor, { ...settings, engine: sale.engine }, request, 'table');
  if (!quoted.ok) return;
  await recordDocument(executor, {
    orderId: input.orderId,
    kind: 'refund',
    engine: quoted.value.engine.name,
    committed: true,
    mode: sale.price_mode,
    currency: request.currency,
    paymentId: input.paymentId,
    note: quoted.value.note,
    amounts: new Map(request.lines.map((l) => [l.lineId, l.amountMinor])),
    quote: quoted.value.quote,
  });
}
