import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { issueInvoice } from '../invoices/index.ts';
import { commitOrderTax } from '../tax/index.ts';
import type { ShipmentCharge } from './capture-amount.ts';
import type { PaymentRow } from './ledger.ts';
import type { OrderRef } from './order.ts';

/** The units of an order line that invoices have billed (a credit memo does not un-bill them). */
export const invoicedUnits = (orderId: SQL, lineId: SQL): SQL =>
  sql`coalesce((select sum((d.line->>'quantity')::int) from invoices i, jsonb_array_elements(i.document->'lines') as d(line)
                where i.order_id = ${orderId} and i.kind = 'invoice' and d.line->>'line_id' = ${lineId}), 0)::int`;

/** Invoices a charge paid by `payments` (none: invoiced unpaid), and commits the order's tax. */
export async function invoiceFor(
  executor: Executor,
  order: OrderRef,
  references: Record<string, unknown>,
  charge: ShipmentCharge,
  payments: PaymentRow[],
  actor: string | null,
): Promise<string | null> {
  const captured = payments.filter((p) => p.status === 'succeeded');
  // Declined or unsettled captures wait for their money; a shipment with nothing left to capture is invoiced unpaid.
  if (captured.length === 0 && payments.length > 0) return null;
  const invoice = await issueInvoice(executor, {
    orderId: order.id,
    paymentId: captured[0]?.id ?? null,
    lines: charge.lines.map((l) => ({
      line_id: l.lineId,
      sku: l.sku,
      name: l.name ?? l.sku,
      quantity: l.quantity,
      unit_price_minor: l.unitPriceMinor,
      discount_minor: l.discountMinor,
      tax_minor: l.taxMinor,
    })),
    shippingMinor: charge.shippingMinor,
    payments: captured.map((p) => ({
      id: p.id,
      kind: p.kind,
      amount_minor: p.amount_minor,
      gateway: p.gateway,
      reference: p.reference,
    })),
    references: { ...references, capture_ids: captured.map((p) => p.id) },
    actor,
  });
  await commitOrderTax(executor, order.id);
  return invoice.id;
}
