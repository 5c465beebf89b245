/**
 * Envelope encryption of stored secrets (ADR 0017): each value gets a fresh 256-bit data key;
 * the value is sealed under the data key with AES-256-GCM, and the data key under the
 * installation's key (the key-encryption key) with AES-256-GCM. Both bind `context` (which
 * column of which row) as additional data, so a sealed value copied to another row does not open.
 *
 *   csec:v1:<key id>:<wrapped data key>:<sealed value>      (base64url: 12-byte IV ‖ ciphertext ‖ 16-byte tag)
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { activeKeyring, type Keyring } from './keyring.ts';

const PREFIX = 'csec:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** The text every value sealed under `keyId` starts with (for finding the ones that are not). */
export function sealedPrefix(keyId: string): string {
  return `${PREFIX}${keyId}:`;
}

function encrypt(key: Buffer, plaintext: Buffer, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

function decrypt(key: Buffer, sealed: string, context: string): Buffer {
  const bytes = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(context, 'utf8')).setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
}

/** Seals `plaintext` for storage in the place `context` names (e.g. `webhook_subscriptions.secret:whs_…`). */
export function sealSecret(plaintext: string, context: string, keyring: Keyring = activeKeyring()): string {
  const dataKey = randomBytes(32);
  const wrapped = encrypt(keyring.current.key, dataKey, context);
  return `${sealedPrefix(keyring.current.id)}${wrapped}:${encrypt(dataKey, Buffer.from(plaintext, 'utf8'), context)}`;
}

/**
 * The plaintext of a stored secret. A value that is not sealed (written before secrets were
 * encrypted, and not yet sealed by the start-up pass) is returned as it is.
 */
export function openSecret(stored: string, context: string, keyring: Keyring = activeKeyring()): string {
  if (!isSealed(stored)) return stored;
  const [keyId, wrapped, sealed] = stored.slice(PREFIX.length).split(':');
  const key = keyring.byId.get(keyId ?? '');
  if (!key || wrapped === undefined || sealed === undefined) {
    throw new Error(
      `A stored secret (${context}) is sealed under key ${keyId}, which is not configured: set CONSIGN_SECRET_KEY or CONSIGN_SECRET_KEY_PREVIOUS to that key.`,
    );
  }
  const dataKey = decrypt(key.key, wrapped, context);
  return decrypt(dataKey, sealed, context).toString('utf8');
}
