import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  buildKeyring,
  parseKey,
  PREVIOUS_KEYS_VARIABLE,
  SECRET_KEY_VARIABLE,
  type Keyring,
  type SecretKey,
} from './keyring.ts';

export const KEY_FILE_NAME = 'secret.key';

export interface KeyringSource {
  /** CONSIGN_SECRET_KEY */
  secretKey: string | undefined;
  /** CONSIGN_SECRET_KEY_PREVIOUS, split */
  previousSecretKeys: readonly string[];
  /** `postgres://…`: a server database, which needs the key from the environment. */
  databaseUrl: string | undefined;
  /** The embedded database's directory, where the key file lives. */
  dataDir: string;
}

export interface ResolvedKeyring {
  keyring: Keyring;
  /** Where the current key came from. */
  source: 'environment' | 'key file' | 'new key file';
  keyFile?: string;
}

/**
 * The keyring of a process: CONSIGN_SECRET_KEY (and the previous keys) when set. Without it, a
 * PostgreSQL server installation is refused with what to set; the embedded one uses the key file
 * in its data directory, made on the first start. With both, the file's key stays readable as a
 * previous key, so setting CONSIGN_SECRET_KEY and running `consign secrets rotate` moves an
 * embedded installation off its key file.
 */
export function resolveKeyring(source: KeyringSource): ResolvedKeyring {
  const previous = source.previousSecretKeys.map((text) => parseKey(text, PREVIOUS_KEYS_VARIABLE));
  const keyFile = path.join(source.dataDir, KEY_FILE_NAME);
  if (source.secretKey) {
    const fileKey = !source.databaseUrl && fs.existsSync(keyFile) ? [readKeyFile(keyFile)] : [];
    return {
      keyring: buildKeyring(parseKey(source.secretKey, SECRET_KEY_VARIABLE), [...previous, ...fileKey]),
      source: 'environment',
    };
  }
  if (source.databaseUrl) {
    throw new Error(
      `${SECRET_KEY_VARIABLE} is not set. With DATABASE_URL, every Consign process must be given the same key to seal webhook and connector secrets: make one with \`openssl rand -base64 32\`, keep it in your secret store and set ${SECRET_KEY_VARIABLE} to it.`,
    );
  }
  const existed = fs.existsSync(keyFile);
  const key = existed ? readKeyFile(keyFile) : writeNewKeyFile(keyFile);
  return { keyring: buildKeyring(key, previous), source: existed ? 'key file' : 'new key file', keyFile };
}

function readKeyFile(file: string): SecretKey {
  return parseKey(fs.readFileSync(file, 'utf8'), `The key file ${file}`);
}

/** A new random key, written owner-only; if another process wrote one first, that one. */
function writeNewKeyFile(file: string): SecretKey {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readKeyFile(file);
}
