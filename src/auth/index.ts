export { roles, permissions, can, canTouchLocation } from './roles.ts';
export type { Role, Permission, Principal } from './roles.ts';
export { createApiKey, revokeApiKey, createKeyResolver, hashSecret } from './keys.ts';
export type { CreatedKey, CreateKeyInput, KeyResolver } from './keys.ts';
