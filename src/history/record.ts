/**
 * Consign's history format: one order of the previous system per JSON line, as it was, with
 * its lines, payments, shipments, returns and refunds. Money is in integer minor units.
 * docs/migration.md describes every field.
 */

interface HistoryLine {
  id: string;
  sku: string;
  name?: string;
  quantity: number;
  unit_price_minor: number;
  discount_minor?: number;
  tax_minor?: number;
}

interface HistoryPayment {
  id: string;
  kind: 'authorization' | 'capture' | 'void' | 'refund';
  status?: 'succeeded' | 'failed' | 'pending';
  amount_minor: number;
  gateway: string;
  reference?: string;
  at?: string;
}

export interface HistoryShipment {
  id: string;
  /** The Consign location (ID or code) the parcel left from. */
  location: string;
  carrier: string;
  service?: string;
  tracking_number?: string;
  status: string;
  shipped_at: string;
  delivered_at?: string;
  lines: { line: string; quantity: number }[];
}

interface HistoryReturn {
  id: string;
  status: string;
  created_at: string;
  lines: { line: string; quantity: number; reason?: string; received?: number; refunded?: number }[];
}

interface HistoryRefund {
  id: string;
  amount_minor: number;
  gateway: string;
  reference?: string;
  at?: string;
}

export interface HistoryOrder {
  /** The previous system's order ID: the order's external ID, and the key of re-runs. */
  id: string;
  status: string;
  /** The previous system's own word for the status, kept in the order's metadata. */
  original_status?: string;
  placed_at: string;
  currency?: string;
  customer: { id?: string; email?: string; name?: string; phone?: string };
  shipping_address?: Record<string, unknown>;
  lines: HistoryLine[];
  shipping_minor?: number;
  discount_minor?: number;
  tax_minor?: number;
  total_minor: number;
  payments?: HistoryPayment[];
  shipments?: HistoryShipment[];
  returns?: HistoryReturn[];
  refunds?: HistoryRefund[];
  metadata?: Record<string, unknown>;
}

/** A record read from the file: its row (line number) and the parsed value, or why it could not be read. */
export type HistoryRow = { row: number; value: unknown } | { row: number; error: string };

/** Splits JSON lines; blank lines are skipped but counted, so rows are the file's line numbers. */
export function parseJsonLines(text: string): HistoryRow[] {
  const rows: HistoryRow[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      rows.push({ row: i + 1, value: JSON.parse(line) as unknown });
    } catch (error) {
      rows.push({ row: i + 1, error: `not valid JSON: ${(error as Error).message}` });
    }
  }
  return rows;
}
