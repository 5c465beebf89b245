import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';
import { avataxEngine, avataxSettingsFromEnv } from './avatax.ts';
import type { PriceMode } from './compute.ts';
import { listRates, tableEngine } from './table.ts';
import type { TaxEngine } from './adapter.ts';

export const taxEngines = ['table', 'avatax'] as const;
/** When the tax engine fails at capture: hold the order for a person, or use the rate table instead. */
export const taxFailurePolicies = ['hold', 'table'] as const;

export interface TaxSettings {
  engine: (typeof taxEngines)[number];
  on_failure: (typeof taxFailurePolicies)[number];
  price_mode: PriceMode;
  /** Where goods leave from; AvaTax uses it for origin-based jurisdictions. */
  ship_from: {
    line1: string | null;
    city: string | null;
    region: string | null;
    postal_code: string | null;
    country: string;
  } | null;
}

/** The installation's tax settings, or null when Consign computes no tax. */
export function readTaxSettings(executor: Executor): Promise<TaxSettings | undefined> {
  return queryOne<TaxSettings>(
    executor,
    sql`select engine, on_failure, price_mode, ship_from from tax_settings where id = 1`,
  );
}

/** Where a change of the tax settings is announced, at commit, to every process that caches them. */
export const TAX_SETTINGS_CHANNEL = 'consign_tax_settings';

/** Writes the settings and notifies the change (delivered when the transaction commits). */
export async function writeTaxSettings(executor: Executor, settings: TaxSettings): Promise<void> {
  await executor.execute(sql`
    insert into tax_settings (id, engine, on_failure, price_mode, ship_from, updated_at)
    values (1, ${settings.engine}, ${settings.on_failure}, ${settings.price_mode},
            ${settings.ship_from ? JSON.stringify(settings.ship_from) : null}::jsonb, now())
    on conflict (id) do update set engine = excluded.engine, on_failure = excluded.on_failure,
      price_mode = excluded.price_mode, ship_from = excluded.ship_from, updated_at = now()`);
  await executor.execute(sql`select pg_notify(${TAX_SETTINGS_CHANNEL}, '')`);
}

export async function builtInEngine(executor: Executor): Promise<TaxEngine> {
  return tableEngine(await listRates(executor));
}

/** The configured engine; AvaTax without CONSIGN_AVATAX_URL is no engine (a failure, like AvaTax down). */
export async function configuredEngine(executor: Executor, settings: TaxSettings): Promise<TaxEngine | null> {
  if (settings.engine === 'table') return builtInEngine(executor);
  const avatax = avataxSettingsFromEnv();
  return avatax ? avataxEngine(avatax) : null;
}
