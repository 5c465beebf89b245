import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryOne, toIso, type Executor } from '../db/index.ts';
import { activeKeyring, type SecretKey } from '../secrets/index.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { problem } from '../shared/problem.ts';
import type { Locale } from './built-in-templates.ts';

interface Preferences {
  customer_email: string;
  /** No messages that are not transactional (see kinds.ts); transactional ones still go out. */
  opted_out: boolean;
  /** The customer's language; null: chosen from the shipping country. */
  locale: Locale | null;
  sms: boolean;
  push: boolean;
  updated_at: string | null;
}

const defaults = { opted_out: false, locale: null, sms: true, push: false, updated_at: null } as const;

/** A customer's preferences; the defaults when they never set any. */
export async function readPreferences(executor: Executor, email: string): Promise<Preferences> {
  const customerEmail = email.toLowerCase();
  const row = await queryOne<Preferences>(
    executor,
    sql`select customer_email, opted_out, locale, sms, push, updated_at from notification_preferences
        where customer_email = ${customerEmail}`,
  );
  return row ? { ...row, updated_at: toIso(row.updated_at) } : { customer_email: customerEmail, ...defaults };
}

type PreferencesInput = Partial<Pick<Preferences, 'opted_out' | 'locale' | 'sms' | 'push'>>;

/** Replaces a customer's preferences (fields left out take their defaults). */
export async function writePreferences(
  executor: Executor,
  email: string,
  input: PreferencesInput,
): Promise<Preferences> {
  const next = { ...defaults, ...input };
  await executor.execute(sql`
    insert into notification_preferences (customer_email, opted_out, locale, sms, push)
    values (${email.toLowerCase()}, ${next.opted_out}, ${next.locale}, ${next.sms}, ${next.push})
    on conflict (customer_email) do update
      set opted_out = excluded.opted_out, locale = excluded.locale, sms = excluded.sms, push = excluded.push,
          updated_at = now()`);
  return readPreferences(executor, email);
}

/** Opts the customer out of non-transactional messages, keeping their other choices. */
async function optOut(executor: Executor, email: string): Promise<void> {
  await executor.execute(sql`
    insert into notification_preferences (customer_email, opted_out) values (${email}, true)
    on conflict (customer_email) do update set opted_out = true, updated_at = now()`);
}

function signature(key: SecretKey, email: string): Buffer {
  return createHmac('sha256', key.key).update('consign-unsubscribe\0').update(email).digest();
}

/**
 * The token of a customer's unsubscribe link: the e-mail and an HMAC of it under the secret key
 * (see docs/security.md). It does not expire; rotating the key keeps old links working while
 * the old key is listed in CONSIGN_SECRET_KEY_PREVIOUS.
 */
export function unsubscribeToken(email: string): string {
  const customerEmail = email.toLowerCase();
  const mac = signature(activeKeyring().current, customerEmail).toString('base64url');
  return `${Buffer.from(customerEmail).toString('base64url')}.${mac}`;
}

function emailOfToken(token: string): string | undefined {
  const [encoded, mac, ...rest] = token.split('.');
  if (!encoded || !mac || rest.length > 0) return undefined;
  const email = Buffer.from(encoded, 'base64url').toString('utf8');
  const given = Buffer.from(mac, 'base64url');
  for (const key of activeKeyring().byId.values()) {
    const expected = signature(key, email);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return email;
  }
  return undefined;
}

/** The unsubscribe link's action: the token's customer is opted out. */
export async function unsubscribe(executor: Executor, token: string): Promise<Result<{ customer_email: string }>> {
  const email = emailOfToken(token);
  if (email === undefined)
    return fail(
      problem('invalid_unsubscribe_token', 'This unsubscribe link is damaged or was not issued by this shop.'),
    );
  await optOut(executor, email);
  return ok({ customer_email: email });
}
