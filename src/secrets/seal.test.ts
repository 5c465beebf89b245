import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildKeyring, keyringFromEnv, parseKey } from './keyring.ts';
import { isSealed, openSecret, sealSecret } from './seal.ts';

const key = () => parseKey(randomBytes(32).toString('base64'), 'test key');

describe('sealing secrets', () => {
  const keyring = buildKeyring(key());
  const secret = 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlYw==';

  it('seals to text that names the key and opens to the plaintext', () => {
    const sealed = sealSecret(secret, 'webhook_subscriptions.secret:whs_1', keyring);
    expect(sealed.startsWith(`csec:v1:${keyring.current.id}:`)).toBe(true);
    expect(sealed).not.toContain(secret);
    expect(isSealed(sealed)).toBe(true);
    expect(openSecret(sealed, 'webhook_subscriptions.secret:whs_1', keyring)).toBe(secret);
  });

  it('uses a fresh data key and IV each time', () => {
    const a = sealSecret(secret, 'c', keyring);
    const b = sealSecret(secret, 'c', keyring);
    expect(a).not.toBe(b);
    expect(a.split(':')[3]).not.toBe(b.split(':')[3]);
  });

  it('does not open in another row, nor after tampering', () => {
    const sealed = sealSecret(secret, 'webhook_subscriptions.secret:whs_1', keyring);
    expect(() => openSecret(sealed, 'webhook_subscriptions.secret:whs_2', keyring)).toThrow();
    const last = sealed.at(-2) === 'A' ? 'B' : 'A';
    expect(() =>
      openSecret(`${sealed.slice(0, -2)}${last}${sealed.at(-1)}`, 'webhook_subscriptions.secret:whs_1', keyring),
    ).toThrow();
  });

  it('opens with a previous key and names a key that is not configured', () => {
    const old = key();
    const sealed = sealSecret(secret, 'c', buildKeyring(old));
    expect(openSecret(sealed, 'c', buildKeyring(key(), [old]))).toBe(secret);
    expect(() => openSecret(sealed, 'c', keyring)).toThrow(
      new RegExp(`sealed under key ${old.id}, which is not configured`),
    );
  });

  it('passes a plaintext value (stored before sealing) through', () => {
    expect(openSecret(secret, 'c', keyring)).toBe(secret);
  });
});

describe('keys from the environment', () => {
  it('needs CONSIGN_SECRET_KEY and says how to make one', () => {
    expect(() => keyringFromEnv({})).toThrow(/set CONSIGN_SECRET_KEY to base64 of 32 random bytes/);
    expect(() => keyringFromEnv({ CONSIGN_SECRET_KEY: Buffer.alloc(16).toString('base64') })).toThrow(
      /CONSIGN_SECRET_KEY must be base64 of exactly 32 bytes/,
    );
  });

  it('reads previous keys, comma-separated, and gives every key a stable ID', () => {
    const [a, b, c] = [0, 1, 2].map(() => randomBytes(32).toString('base64')) as [string, string, string];
    const keyring = keyringFromEnv({ CONSIGN_SECRET_KEY: a, CONSIGN_SECRET_KEY_PREVIOUS: `${b}, ${c}` });
    expect(keyring.current.id).toBe(parseKey(a, 'x').id);
    expect([...keyring.byId.keys()]).toEqual([a, b, c].map((k) => parseKey(k, 'x').id));
    expect(keyring.current.id).toMatch(/^[0-9a-f]{16}$/);
  });
});
