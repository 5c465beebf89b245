import { inTransaction, type Db } from '../db/index.ts';
import { placeOrder, type CreateOrder, type ShippingAddress } from '../orders/index.ts';
import type { Result } from '../shared/result.ts';
import { importedMetadata, recordHash } from './prepare.ts';
import type { HistoryOrder } from './record.ts';

/** An open order of the previous system in the shape of `POST /v1/orders`. */
function createOrderOf(channelId: string, record: HistoryOrder, currency: string): CreateOrder {
  const money = (amount: number) => ({ amount, currency });
  const discount = record.discount_minor ?? 0;
  const tax = record.tax_minor ?? record.lines.reduce((n, l) => n + (l.tax_minor ?? 0), 0);
  return {
    channel: channelId,
    external_id: record.id,
    placed_at: new Date(record.placed_at).toISOString(),
    customer: record.customer,
    lines: record.lines.map((l) => ({
      line_id: l.id,
      sku: l.sku,
      ...(l.name ? { name: l.name } : {}),
      quantity: l.quantity,
      unit_price: money(l.unit_price_minor),
      ...(l.discount_minor ? { discount: money(l.discount_minor) } : {}),
    })),
    delivery_method: 'ship',
    ...(record.shipping_address ? { shipping_address: record.shipping_address as ShippingAddress } : {}),
    shipping: money(record.shipping_minor ?? 0),
    ...(discount > 0 ? { discounts: [{ amount: money(discount) }] } : {}),
    ...(tax > 0 ? { taxes: [{ name: 'Tax', amount: money(tax) }] } : {}),
    total: money(record.total_minor),
    payments: (record.payments ?? [])
      .filter((p) => p.kind === 'authorization' && (p.status ?? 'succeeded') === 'succeeded')
      .map((p) => ({
        kind: 'authorization' as const,
        amount: money(p.amount_minor),
        gateway: p.gateway,
        ...(p.reference ? { reference: p.reference } : {}),
      })),
    metadata: importedMetadata(record),
  };
}

/** `/lines/0/sku` → `lines[0].sku`, the report's field names. */
const fieldOf = (pointer: string) =>
  pointer
    .slice(1)
    .replace(/\/(\d+)(?=\/|$)/g, '[$1]')
    .replace(/\//g, '.') || '(order)';

/**
 * Places an open order of the previous system as a managed order, through order placement
 * itself: Consign routes it and takes it from there. Refusals come back as report problems.
 */
export async function placeManagedOpen(
  db: Db,
  channelId: string,
  record: HistoryOrder,
  currency: string,
  actor: string,
): Promise<{ ok: true; value: { replayed: boolean } } | { ok: false; problems: { field: string; problem: string }[] }> {
  const placed: Result<{ replayed: boolean }> = await inTransaction(db, (tx) =>
    placeOrder(tx, createOrderOf(channelId, record, currency), {
      requestHash: recordHash(record),
      actor,
      channelOfKey: null,
    }),
  );
  if (placed.ok) return { ok: true, value: { replayed: placed.value.replayed } };
  const errors = (placed.problem.errors as { pointer: string; message: string }[] | undefined) ?? [];
  if (errors.length === 0) return { ok: false, problems: [{ field: '(order)', problem: placed.problem.detail }] };
  return { ok: false, problems: errors.map((e) => ({ field: fieldOf(e.pointer), problem: e.message })) };
}
