export { historyRoutes } from './routes.ts';
export { importHistory } from './import-history.ts';
export type { HistoryImportResult } from './import-history.ts';
export { parseJsonLines } from './record.ts';
export type { HistoryOrder, HistoryRow } from './record.ts';
export { readOlist } from './olist.ts';
export type { OlistFiles } from './olist.ts';
