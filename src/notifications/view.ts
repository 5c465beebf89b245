import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';
import type { Locale, NotificationView } from './built-in-templates.ts';
import type { NotificationKind } from './kinds.ts';
import { trackingUrl } from './tracking-links.ts';

/** What a message needs to know of its order. */
export interface OrderFacts {
  id: string;
  external_id: string;
  /** Lower case, as orders store it; null when the order has none (then nobody is notified). */
  customer_email: string | null;
  customer: { id?: string; name?: string; phone?: string };
  country: string | null;
}

export async function readOrderFacts(executor: Executor, orderId: string): Promise<OrderFacts | undefined> {
  return queryOne<OrderFacts>(
    executor,
    sql`select id, external_id, customer_email, customer, shipping_address->>'country' as country
        from orders where id = ${orderId}`,
  );
}

const germanCountries = new Set(['DE', 'AT', 'CH', 'LI']);

/** The customer's own choice, else German for German-speaking countries, else English. */
export function localeFor(chosen: string | null | undefined, country: string | null): Locale {
  if (chosen === 'en' || chosen === 'de') return chosen;
  return country && germanCountries.has(country.toUpperCase()) ? 'de' : 'en';
}

const returnInstructions: Record<Locale, Record<string, string>> = {
  en: {
    mail_in: 'Pack the items with the return number inside and hand the parcel to the carrier.',
    in_store: 'Bring the items and the return number to the store.',
  },
  de: {
    mail_in: 'Legen Sie die Rücksendenummer in das Paket und geben Sie es beim Versanddienst ab.',
    in_store: 'Bringen Sie die Artikel mit der Rücksendenummer in die Filiale.',
  },
};

/** Integer minor units as the customer reads them: `25.00 USD`, `25,00 EUR` in German. */
export function formatMoney(amountMinor: number, currency: string, locale: Locale): string {
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const scale = 10 ** digits;
  const whole = Math.floor(Math.abs(amountMinor) / scale);
  const fraction = String(Math.abs(amountMinor) % scale).padStart(digits, '0');
  const sign = amountMinor < 0 ? '-' : '';
  return `${sign}${whole}${digits > 0 ? `${locale === 'de' ? ',' : '.'}${fraction}` : ''} ${currency}`;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * The fields a template sees for one event of an order: the event's own facts (carrier, pickup
 * code, refund, date) and the order's; null where this kind of message has none.
 */
export async function buildView(
  executor: Executor,
  order: OrderFacts,
  kind: NotificationKind,
  payload: Record<string, unknown>,
  locale: Locale,
  unsubscribeUrl: string | null,
): Promise<NotificationView> {
  const carrier = kind === 'shipped' || kind === 'delivered' ? text(payload.carrier) : null;
  const trackingNumber = carrier ? text(payload.tracking_number) : null;
  const amount = payload.amount as { amount?: unknown; currency?: unknown } | undefined;
  return {
    customer_name: order.customer.name ?? '',
    order_number: order.external_id,
    carrier,
    tracking_number: trackingNumber,
    tracking_url: trackingUrl(carrier, trackingNumber),
    pickup_code: kind === 'ready_for_pickup' ? text(payload.pickup_code) : null,
    return_number: kind === 'return_authorized' || kind === 'refund_issued' ? text(payload.return_id) : null,
    return_instructions: kind === 'return_authorized' ? await instructions(executor, payload.return_id, locale) : null,
    refund_amount:
      kind === 'refund_issued' && typeof amount?.amount === 'number' && typeof amount.currency === 'string'
        ? formatMoney(amount.amount, amount.currency, locale)
        : null,
    promise_date: kind === 'promise_changed' ? text(payload.promised_on) : null,
    unsubscribe_url: unsubscribeUrl,
  };
}

async function instructions(executor: Executor, returnId: unknown, locale: Locale): Promise<string | null> {
  if (typeof returnId !== 'string') return null;
  const row = await queryOne<{ method: string }>(executor, sql`select method from returns where id = ${returnId}`);
  return row ? (returnInstructions[locale][row.method] ?? null) : null;
}
