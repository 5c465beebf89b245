import { tables, type Executor } from '../db/index.ts';

interface OpeningLevel {
  locationId: string;
  sku: string;
  onHand: number;
  safetyStock: number;
}

/**
 * New stock levels in bulk (a seed, or a first load): each level is inserted with nothing
 * reserved, and each one with units on hand gets a `receipt` ledger row for all of them, so the
 * ledger sums to the levels. The levels must not exist yet.
 */
export async function receiveOpeningStock(
  executor: Executor,
  levels: OpeningLevel[],
  origin: { reason: string; actor: string },
): Promise<void> {
  if (levels.length === 0) return;
  await executor.insert(tables.stockLevels).values(
    levels.map((level) => ({
      locationId: level.locationId,
      sku: level.sku,
      onHand: level.onHand,
      reserved: 0,
      safetyStock: level.safetyStock,
    })),
  );
  const receipts = levels.filter((level) => level.onHand > 0);
  if (receipts.length === 0) return;
  await executor.insert(tables.inventoryLedger).values(
    receipts.map((level) => ({
      locationId: level.locationId,
      sku: level.sku,
      kind: 'receipt',
      onHandDelta: level.onHand,
      reservedDelta: 0,
      onHandAfter: level.onHand,
      reservedAfter: 0,
      reason: origin.reason,
      actor: origin.actor,
    })),
  );
}
