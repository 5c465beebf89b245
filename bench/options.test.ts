import { describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from './options.ts';

describe('bench options', () => {
  it('runs each row of the main scenario once unless told otherwise', () => {
    expect(parseOptions([]).runs).toBe(1);
    expect(parseOptions(['--runs', '3', '--duration-ms', '10000'])).toMatchObject({
      scenario: 'all',
      runs: 3,
      durationMs: 10_000,
    });
  });

  it('refuses a run count that is not a small positive integer', () => {
    for (const runs of ['0', '-1', '2.5', 'three', '11']) {
      expect(() => parseOptions(['--runs', runs])).toThrow(UsageError);
    }
  });

  it('refuses --runs with a scenario that has runs of its own', () => {
    expect(() => parseOptions(['--scenario', 'contention', '--runs', '2'])).toThrow(/has its own runs/);
  });

  it('knows the planner and contention scenarios', () => {
    expect(parseOptions(['--scenario', 'planner']).scenario).toBe('planner');
    expect(parseOptions(['--scenario', 'contention']).scenario).toBe('contention');
    expect(() => parseOptions(['--scenario', 'nope'])).toThrow(/--scenario must be/);
  });

  it('runs the holds scenario 3 times unless --runs says otherwise', () => {
    expect(parseOptions(['--scenario', 'holds'])).toMatchObject({ scenario: 'holds', runs: 3 });
    expect(parseOptions(['--scenario', 'holds', '--runs', '5']).runs).toBe(5);
  });

  it('knows the order-cost scenario, which reads PostgreSQL statistics only', () => {
    expect(parseOptions(['--scenario', 'order-cost']).scenario).toBe('order-cost');
    expect(parseOptions(['--scenario', 'order-cost', '--engine', 'postgres']).engine).toBe('postgres');
    expect(() => parseOptions(['--scenario', 'order-cost', '--engine', 'pglite'])).toThrow(/table statistics/);
    expect(() => parseOptions(['--scenario', 'order-cost', '--runs', '2'])).toThrow(/has its own runs/);
  });
});
