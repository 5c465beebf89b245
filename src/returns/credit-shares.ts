import { unitsShare } from '../payments/index.ts';
import type { Part } from './refund-amount.ts';

/** A credit of a replacement line's units `[units_from, units_from + units)`, paid on `source_order_id`. */
export interface CreditRow {
  units_from: number;
  units: number;
  source_order_id: string;
  source_line_id: string;
  amount_minor: number;
}

/**
 * The shares of the credits carried by units `[from, from + count)` of a replacement line, one
 * part per order and line that paid, in the rows' order (the latest payer first). Each row's
 * amount is spread over its units by `unitsShare`, so refunding all of a row's units, in any
 * number of refunds, gives back exactly its amount. Pure.
 */
export function creditShares(rows: CreditRow[], from: number, count: number): Part[] {
  const parts: Part[] = [];
  for (const row of rows) {
    const start = Math.max(from, row.units_from);
    const end = Math.min(from + count, row.units_from + row.units);
    if (end <= start) continue;
    const share = unitsShare(row.amount_minor, row.units, start - row.units_from, end - start);
    const same = parts.find((p) => p.orderId === row.source_order_id && p.lineId === row.source_line_id);
    if (same) same.amountMinor += share;
    else parts.push({ orderId: row.source_order_id, lineId: row.source_line_id, amountMinor: share });
  }
  return parts;
}

/** How many of the line's units (numbered from 0) have their credits settled. Pure. */
export function settledUnits(rows: CreditRow[]): number {
  return rows.reduce((n, r) => Math.max(n, r.units_from + r.units), 0);
}
