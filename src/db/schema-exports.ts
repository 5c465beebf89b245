/**
 * ERP exports (src/exports): the order in which each export kind's rows become visible to
 * exports, which is what an export cursor counts (docs/adr/0026-export-cursors-count-commit-order.md).
 */
import { bigserial, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * One row per record an export has seen, numbered when an export first saw it committed. Numbers
 * are taken under a per-kind lock, so within a kind they become visible in increasing order.
 */
export const exportPositions = pgTable(
  'export_positions',
  {
    position: bigserial('position', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    /** The record's ID in its own table (orders.id, invoices.id, payments.id, inventory_ledger.id). */
    sourceId: text('source_id').notNull(),
    /** When the record happened (placed, issued, recorded): what `--since <date>` compares. */
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('export_positions_kind_source_key').on(t.kind, t.sourceId),
    index('export_positions_kind_position_idx').on(t.kind, t.position),
  ],
);
