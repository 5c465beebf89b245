import type { Db } from './db/index.ts';
import { sealedConnectorSecrets } from './connectors/index.ts';
import { sealedResponseSecrets } from './http/idempotency.ts';
import { resealColumn, type Keyring, type ResealScope } from './secrets/index.ts';
import { sealedWebhookSecrets } from './webhooks/index.ts';

/** Every place that keeps a secret sealed, by what an operator would call it. */
const sealedColumns = [
  ['webhook signing secrets', sealedWebhookSecrets],
  ['connector platform secrets', sealedConnectorSecrets[0]!],
  ['connector polling tokens', sealedConnectorSecrets[1]!],
  ['secrets in stored idempotent responses', sealedResponseSecrets],
] as const;

export interface ResealOptions {
  /** `plaintext`: seal what is not sealed yet (every start); `not-current`: also what an older key sealed (rotation). */
  only: ResealScope;
  /** After each value, with the number sealed so far and what kind it was. */
  onProgress?: (done: number, kind: string) => void;
}

/**
 * Seals the stored secrets the scope selects with the keyring's current key, place by place in
 * batches, each row written only if it still holds what was read. Returns how many were sealed.
 */
export async function resealStoredSecrets(
  db: Db,
  keyring: Keyring,
  options: ResealOptions,
): Promise<{ sealed: number }> {
  let sealed = 0;
  for (const [kind, column] of sealedColumns) {
    await resealColumn(db, column, {
      keyring,
      scope: options.only,
      onSealed: () => {
        sealed++;
        options.onProgress?.(sealed, kind);
      },
    });
  }
  return { sealed };
}
