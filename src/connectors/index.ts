export { connectorRoutes } from './routes.ts';
export { platforms } from './mapping.ts';
export type { Platform, MapOutcome } from './mapping.ts';
export { orderMappers } from './platforms/index.ts';
export { parseExact, stringifyExact } from './json.ts';
export { platformSignature, signatureHeaders } from './signature.ts';
