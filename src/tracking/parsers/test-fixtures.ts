import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Our own carrier fixtures (test/fixtures/carriers), modelled on the services' published samples. */
const FIXTURES = new URL('../../../test/fixtures/carriers/', import.meta.url);

export function loadFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Record<string, unknown>;
}

/**
 * The services' published samples, when a checkout has them beside it (`../shared/data/formats/carriers`).
 * Tests over them skip when the folder is absent.
 */
const realSamplesDir = fileURLToPath(new URL('../../../../shared/data/formats/carriers/', import.meta.url));
export const haveRealSamples = existsSync(realSamplesDir);

export function realSamples(service: string): { name: string; body: unknown }[] {
  const dir = `${realSamplesDir}${service}/`;
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ name, body: JSON.parse(readFileSync(dir + name, 'utf8')) as unknown }));
}

/** A deep copy, to change a fixture in one test without touching the others. */
export const clone = <T>(value: T): T => structuredClone(value);
