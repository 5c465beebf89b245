export { backupRoutes } from './routes.ts';
export { exportSnapshot } from './export-snapshot.ts';
export { restoreSnapshot } from './restore-snapshot.ts';
export type { RestoreOutcome, RestoreProblem } from './restore-snapshot.ts';
export { createBackupWriter, readBackupLines, streamLines } from './files.ts';
export { listTables } from './catalog.ts';
export { BACKUP_FORMAT, parseLine } from './format.ts';
export type { BackupHeader } from './format.ts';
