import { sql } from 'drizzle-orm';
import { readComponents } from '../catalog/index.ts';
import { queryOne, type Executor } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';
import { newId } from '../shared/ids.ts';
import {
  buildDocument,
  type Buyer,
  type DocumentKind,
  type DocumentLineInput,
  type DocumentPayment,
} from './document.ts';
import { nextNumber } from './numbering.ts';
import { presentInvoice, type InvoiceRow, type InvoiceView } from './read.ts';
import { formatNumber, invoiceSettingsFromEnv, seriesFor, type InvoiceSettings } from './settings.ts';

interface IssueInput {
  orderId: string;
  /** The capture (invoice) or refund (credit memo) this document accounts for. */
  paymentId: string | null;
  lines: DocumentLineInput[];
  shippingMinor: number;
  payments: DocumentPayment[];
  /** Shipment, capture, refund, return IDs… printed on the document as they are. */
  references?: Record<string, unknown> | undefined;
  notes?: string | null | undefined;
  actor: string | null;
}

interface OrderFacts {
  id: string;
  channel_id: string;
  external_id: string;
  currency: string;
  customer: Record<string, unknown>;
  shipping_address: Record<string, unknown> | null;
  placed_at: string;
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

function buyerOf(order: OrderFacts): Buyer {
  const address = order.shipping_address;
  return {
    name: text(order.customer.name) ?? text(address?.name),
    email: text(order.customer.email),
    customer_id: text(order.customer.id),
    phone: text(order.customer.phone) ?? text(address?.phone),
    address: address
      ? Object.fromEntries(Object.entries(address).filter(([key]) => key !== 'latitude' && key !== 'longitude'))
      : null,
  };
}

/**
 * Issues a numbered document in the caller's transaction: the number is taken from the series
 * counter (gap-free, see `nextNumber`), the JSON document is frozen into the row, and an
 * `invoice.issued` / `credit_memo.issued` event goes to the outbox.
 */
async function issue(
  executor: Executor,
  kind: DocumentKind,
  input: IssueInput,
  settings: InvoiceSettings,
): Promise<InvoiceView> {
  const order = await queryOne<OrderFacts>(
    executor,
    sql`select id, channel_id, external_id, currency, customer, shipping_address, placed_at from orders where id = ${input.orderId}`,
  );
  if (!order) throw new Error(`cannot issue a ${kind} for missing order ${input.orderId}`);
  const issuedAt = new Date();
  const series = seriesFor(kind === 'invoice' ? settings.invoicePrefix : settings.creditMemoPrefix, issuedAt);
  const sequence = await nextNumber(executor, series);
  // A bundle's line shows what it is made of, its amounts apportioned to the components.
  const components = await readComponents(
    executor,
    input.lines.flatMap((l) => (l.sku === null ? [] : [l.sku])),
  );
  const document = buildDocument({
    kind,
    series,
    sequence,
    number: formatNumber(series, sequence),
    issuedAt,
    currency: order.currency,
    seller: settings.seller,
    buyer: buyerOf(order),
    lines: input.lines.map((l) => ({ ...l, components: l.sku === null ? undefined : components.get(l.sku) })),
    shippingMinor: input.shippingMinor,
    payments: input.payments,
    references: {
      order_id: order.id,
      order_external_id: order.external_id,
      channel_id: order.channel_id,
      ...input.references,
    },
    notes: input.notes,
  });
  const row = await queryOne<InvoiceRow>(
    executor,
    sql`insert into invoices (id, kind, series, number, order_id, payment_id, currency, total_minor, document, issued_at)
        values (${newId('inv')}, ${kind}, ${series}, ${sequence}, ${order.id}, ${input.paymentId}, ${order.currency},
                ${document.totals.total.amount}, ${JSON.stringify(document)}::jsonb, ${issuedAt.toISOString()}::timestamptz)
        returning id, kind, series, number, order_id, payment_id, currency, total_minor, document, issued_at`,
  );
  const view = presentInvoice(row!);
  await recordEvents(executor, [
    {
      type: `${kind}.issued`,
      subjectType: 'order',
      subjectId: order.id,
      payload: {
        order_id: order.id,
        channel_id: order.channel_id,
        actor: input.actor,
        invoice_id: view.id,
        number: view.number,
        kind,
        total: view.total,
        payment_id: input.paymentId,
      },
    },
  ]);
  return view;
}

export function issueInvoice(
  executor: Executor,
  input: IssueInput,
  settings: InvoiceSettings = invoiceSettingsFromEnv(),
): Promise<InvoiceView> {
  return issue(executor, 'invoice', input, settings);
}

export function issueCreditMemo(
  executor: Executor,
  input: IssueInput,
  settings: InvoiceSettings = invoiceSettingsFromEnv(),
): Promise<InvoiceView> {
  return issue(executor, 'credit_memo', input, settings);
}
