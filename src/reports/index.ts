export { reportRoutes, reportNames } from './routes.ts';
export { resolveRange, DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS } from './scope.ts';
export type { ReportScope } from './scope.ts';
