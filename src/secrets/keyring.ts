import { createHash } from 'node:crypto';
import { problem, ProblemError } from '../shared/problem.ts';

export const SECRET_KEY_VARIABLE = 'CONSIGN_SECRET_KEY';
export const PREVIOUS_KEYS_VARIABLE = 'CONSIGN_SECRET_KEY_PREVIOUS';
const KEY_BYTES = 32;

/** A key-encryption key and its ID (a fingerprint, stored beside everything sealed under it). */
export interface SecretKey {
  id: string;
  key: Buffer;
}

/** The key new secrets are sealed under, and every key that may open stored ones. */
export interface Keyring {
  current: SecretKey;
  byId: ReadonlyMap<string, SecretKey>;
}

/** Thrown where a secret must be sealed or opened and no key is configured. */
export class SecretKeyMissingError extends ProblemError {
  constructor() {
    super(
      problem(
        'secret_key_missing',
        `No key to seal secrets with: set ${SECRET_KEY_VARIABLE} to base64 of 32 random bytes (\`openssl rand -base64 32\`) on every Consign process, then restart.`,
      ),
    );
  }
}

/** Parses a base64 key of 32 bytes; `source` names where it came from, for the error. */
export function parseKey(text: string, source: string): SecretKey {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64') !== text.trim()) {
    throw new Error(
      `${source} must be base64 of exactly ${KEY_BYTES} bytes (\`openssl rand -base64 32\` makes one); got ${key.length} bytes.`,
    );
  }
  const id = createHash('sha256').update('consign-secret-key-id\0').update(key).digest('hex').slice(0, 16);
  return { id, key };
}

/** A keyring from a current key and older ones (duplicates ignored). */
export function buildKeyring(current: SecretKey, previous: readonly SecretKey[] = []): Keyring {
  const byId = new Map<string, SecretKey>();
  for (const key of [current, ...previous]) if (!byId.has(key.id)) byId.set(key.id, key);
  return { current, byId };
}

/** The keyring CONSIGN_SECRET_KEY and CONSIGN_SECRET_KEY_PREVIOUS (comma-separated) describe. */
export function keyringFromEnv(env: NodeJS.ProcessEnv): Keyring {
  const current = env[SECRET_KEY_VARIABLE];
  if (!current) throw new SecretKeyMissingError();
  const previous = (env[PREVIOUS_KEYS_VARIABLE] ?? '')
    .split(',')
    .map((text) => text.trim())
    .filter(Boolean)
    .map((text) => parseKey(text, PREVIOUS_KEYS_VARIABLE));
  return buildKeyring(parseKey(current, SECRET_KEY_VARIABLE), previous);
}

let installed: Keyring | undefined;
let fromEnv: { text: string; keyring: Keyring } | undefined;

/** Makes `keyring` the one this process seals and opens secrets with (the server does it at start). */
export function useKeyring(keyring: Keyring | undefined): void {
  installed = keyring;
}

/** This process's keyring: the one installed at start, or else the environment's. */
export function activeKeyring(): Keyring {
  if (installed) return installed;
  const text = `${process.env[SECRET_KEY_VARIABLE] ?? ''}|${process.env[PREVIOUS_KEYS_VARIABLE] ?? ''}`;
  if (fromEnv?.text !== text) fromEnv = { text, keyring: keyringFromEnv(process.env) };
  return fromEnv.keyring;
}
