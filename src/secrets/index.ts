export { sealSecret, openSecret, isSealed } from './seal.ts';
export {
  activeKeyring,
  buildKeyring,
  keyringFromEnv,
  parseKey,
  useKeyring,
  SecretKeyMissingError,
  SECRET_KEY_VARIABLE,
  PREVIOUS_KEYS_VARIABLE,
} from './keyring.ts';
export type { Keyring, SecretKey } from './keyring.ts';
export { resolveKeyring, KEY_FILE_NAME } from './key-file.ts';
export type { KeyringSource, ResolvedKeyring } from './key-file.ts';
export { resealColumn } from './reseal.ts';
export type { ResealPass, ResealScope, SealedColumn } from './reseal.ts';
