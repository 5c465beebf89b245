import type { Database, Executor } from '../db/index.ts';
import { readTaxSettings, TAX_SETTINGS_CHANNEL, type TaxSettings } from './settings.ts';

/** The longest a process keeps the settings without reading them again (a change made by hand in SQL). */
const TAX_SETTINGS_TTL_MS = 60_000;

interface Cached {
  settings: TaxSettings | undefined;
  readAtMs: number;
}

/**
 * The tax settings, kept per process: every order capture needs them, and most installations
 * never change them (or have none). A write in this process drops them at once; one in another
 * process is heard through LISTEN. The cache is used only while exactly one database is watched:
 * with none (a command without a server) or several (tests opening databases side by side),
 * every caller reads the table, because nothing says which database a cached value came from.
 */
const state = {
  watched: new Set<Database>(),
  cached: undefined as Cached | undefined,
  /** Bumped by each change: a read that began before it does not store what it read. */
  generation: 0,
};

/** Drops this process's copy: the next caller reads the table. */
export function forgetTaxSettings(): void {
  state.generation += 1;
  state.cached = undefined;
}

/** The installation's tax settings (undefined: Consign computes no tax), read at most once a minute. */
export async function currentTaxSettings(executor: Executor): Promise<TaxSettings | undefined> {
  const useCache = state.watched.size === 1;
  const cached = state.cached;
  if (useCache && cached && Date.now() - cached.readAtMs < TAX_SETTINGS_TTL_MS) return cached.settings;
  const generation = state.generation;
  const settings = await readTaxSettings(executor);
  if (useCache && generation === state.generation) state.cached = { settings, readAtMs: Date.now() };
  return settings;
}

/**
 * Keeps this process's settings in step with the database: a change notified by any process
 * drops them, and so does a LISTEN connection made again after it was lost (a notification may
 * have been missed). Without LISTEN the database is not watched and nothing is cached.
 * Resolves to a function that stops watching.
 */
export async function watchTaxSettings(database: Database): Promise<() => Promise<void>> {
  const unlisten = await database.listen(TAX_SETTINGS_CHANNEL, forgetTaxSettings).catch(() => undefined);
  if (!unlisten) return async () => {};
  forgetTaxSettings();
  state.watched.add(database);
  return async () => {
    state.watched.delete(database);
    forgetTaxSettings();
    await unlisten();
  };
}
