import { createApiKey, createSignInLink, createUser, listApiKeys, listUsers, type CreatedKey } from './auth/index.ts';
import {
  inTransaction,
  installationId,
  lockForTransaction,
  readMeta,
  writeMetaOnce,
  type Db,
  type Tx,
} from './db/index.ts';
import { seedDemo, type SeedDemoOutcome } from './demo/index.ts';
import { ok } from './shared/result.ts';

/** `consign_meta` key set in the transaction that finishes the first start. */
const INITIALIZED_KEY = 'initialized_at';
/** Serializes first starts across processes on one PostgreSQL server. */
const FIRST_START_LOCK_ID = 7_341_009_113;

export type StartKind =
  | { firstStart: false }
  | {
      firstStart: true;
      /** `disabled` when CONSIGN_DEMO=0. */
      demo: SeedDemoOutcome | { status: 'disabled' };
      /** The new admin key, absent when an admin key already existed. */
      adminKey: CreatedKey | undefined;
      /** The first admin person and the token of their one-time sign-in link; absent when people existed. */
      admin: { email: string; linkToken: string } | undefined;
    };

/**
 * Finishes the first start of an installation exactly once, even when several processes start
 * together on one PostgreSQL server: under a transaction-scoped advisory lock, the first one
 * finds no `initialized_at` row, makes the installation ID, loads the demo network (unless
 * disabled), creates an admin key and the first admin person (with a one-time sign-in link) and
 * writes the row in the same transaction; the others wait for the lock, then see the row.
 */
export async function initializeOnFirstStart(
  db: Db,
  options: { seedDemo: boolean; adminEmail?: string | undefined },
): Promise<StartKind> {
  const result = await inTransaction(db, async (tx) => {
    await lockForTransaction(tx, FIRST_START_LOCK_ID);
    // Before the early return: an installation first started before IDs existed gets one now.
    await installationId(tx);
    if ((await readMeta(tx, INITIALIZED_KEY)) !== undefined) return ok<StartKind>({ firstStart: false });

    let demo: SeedDemoOutcome | { status: 'disabled' } = { status: 'disabled' };
    if (options.seedDemo) {
      const seeded = await seedDemo(tx);
      if (!seeded.ok) return seeded;
      demo = seeded.value;
    }
    const admins = await listApiKeys(tx, { role: 'admin' });
    const adminKey =
      admins.length === 0 ? await createApiKey(tx, { role: 'admin', name: 'first-start admin key' }) : undefined;
    const admin = await firstAdmin(tx, options.adminEmail ?? 'admin@localhost');
    if (!admin.ok) return admin;
    await writeMetaOnce(tx, INITIALIZED_KEY, new Date().toISOString());
    return ok<StartKind>({ firstStart: true, demo, adminKey, admin: admin.value });
  });
  if (!result.ok) throw new Error(`First-start setup failed: ${result.problem.detail}`);
  return result.value;
}

/** The first admin person, when nobody has an account yet, with a one-time link to set their password. */
async function firstAdmin(tx: Tx, email: string) {
  if ((await listUsers(tx)).length > 0) return ok(undefined);
  const user = await createUser(tx, { email, name: 'Admin', role: 'admin' });
  if (!user.ok) return user;
  const link = await createSignInLink(tx, user.value.id);
  return ok({ email: user.value.email, linkToken: link.token });
}
