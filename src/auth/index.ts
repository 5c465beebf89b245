export { roles, permissions, can, canTouchLocation, canSeeChannel } from './roles.ts';
export { sessionRoutes } from './routes.ts';
export type { Role, Permission, Principal } from './roles.ts';
export { createApiKey, revokeApiKey, listApiKeys, createKeyResolver, hashSecret } from './keys.ts';
export type { ApiKeySummary, CreatedKey, CreateKeyInput, KeyResolver } from './keys.ts';
