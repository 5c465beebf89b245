export { exportRoutes } from './routes.ts';
export type { ExportKind } from './kinds.ts';
export { csvHeader, formatRow, isExportCursor, readExportPage } from './read.ts';
export type { ExportFormat } from './read.ts';
export { reconcileSnapshot } from './reconcile.ts';
export type { SnapshotRow } from './reconcile.ts';
export { parseSnapshot } from './snapshot-file.ts';
export type { SnapshotFormat } from './snapshot-file.ts';
