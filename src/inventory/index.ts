export { inventoryRoutes } from './routes.ts';
export {
  applyMovement,
  movementCtes,
  ensureLevels,
  readLevel,
  ledgerKinds,
  reserveAll,
  reserveUpTo,
} from './movements.ts';
export type { Movement, MovementAlso, MovementValues, Guard, Level, LedgerKind } from './movements.ts';
export { getAvailability, getAvailabilityBody, SHORT_SKU_LIST } from './availability.ts';
export type { SkuAvailability, AvailabilityResult } from './availability.ts';
export { setStockLevel, listStockLevels } from './levels.ts';
export { receiveOpeningStock } from './opening-stock.ts';
export type { OpeningLevel } from './opening-stock.ts';
export { recordShortage } from './shortage.ts';
export type { ShortageInput } from './shortage.ts';
export { applyAdjustments } from './adjustments.ts';
export { ingestFeed, getFeed } from './feeds.ts';
export { listLedger } from './ledger.ts';
export { checkReferences } from './references.ts';
export { AvailabilityResponse } from './schemas.ts';
