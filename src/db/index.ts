export { openDatabase } from './open.ts';
export type { OpenOptions } from './open.ts';
export { migrate, isMigrated, migrationsFolder } from './migrate.ts';
export { query, queryOne, toIso } from './sql.ts';
export { readMeta, writeMetaOnce, lockForTransaction } from './meta.ts';
export { inTransaction, isRetryable } from './transaction.ts';
export type { Database, Db, Tx, Executor, Engine } from './types.ts';
export * as tables from './schema.ts';
export * as connectorTables from './schema-connectors.ts';
