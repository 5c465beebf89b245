export { locatePostalCode } from './locate.ts';
export { importPostalCentroids, type ImportReport as PostalImportReport } from './import-centroids.ts';
export type { ReadProgress as PostalImportProgress } from './geonames.ts';
