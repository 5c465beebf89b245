import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT_MS, runConsign, seededDemoWithFiles } from './cli-process.ts';

const delivered = {
  id: 'OLD-1',
  status: 'delivered',
  placed_at: '2025-06-01T10:00:00Z',
  customer: { email: 'pat@example.com', name: 'Pat Doe' },
  lines: [{ id: '1', sku: 'HP-VASE-ASH', quantity: 2, unit_price_minor: 4500 }],
  shipping_minor: 500,
  total_minor: 9500,
  payments: [{ id: 'cap-1', kind: 'capture', amount_minor: 9500, gateway: 'legacy' }],
};
const FILE = [
  JSON.stringify(delivered),
  JSON.stringify({ ...delivered, id: 'OLD-2', lines: [{ ...delivered.lines[0], sku: 'NOPE' }] }),
  '{ not json',
].join('\n');

const files = seededDemoWithFiles({ 'history.jsonl': `${FILE}\n` });

describe('consign import history', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('--help explains the format, the report and the Olist reader', async () => {
    const help = await runConsign(['import', 'history', '--help'], files.target.env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--channel <id>');
    expect(help.stdout).toContain('--managed-open');
    expect(help.stdout).toContain('--format <format>');
    expect(help.stdout).toContain('validation report (row, field, problem)');
  });

  it('imports the good rows, reports the others by row and field, and writes nothing twice', async () => {
    const file = path.join(files.dir, 'history.jsonl');
    const first = await runConsign(['import', 'history', file, '--channel', 'web', '--json'], files.target.env);
    expect(first.code).toBe(1);
    const result = JSON.parse(first.stdout) as { report: { row: number; field: string; problem: string }[] };
    expect(result).toMatchObject({ rows: 3, imported: 1, placed: 0, duplicates: 0, rejected: 2 });
    expect(result.report).toEqual([
      { row: 2, field: 'lines[0].sku', problem: 'no product NOPE in the catalog' },
      { row: 3, field: '(order)', problem: expect.stringContaining('not valid JSON') },
    ]);
    expect(first.stderr).toContain('Importing history');
    expect(first.stderr).toContain('3/3');
    const again = await runConsign(['import', 'history', file, '--channel', 'web'], files.target.env);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/^row\s+field\s+problem/m);
    expect(again.stdout).toContain('3 order(s): 0 imported, 0 placed as managed, 1 already imported, 2 rejected.');
  });

  it('names an unknown channel', async () => {
    const file = path.join(files.dir, 'history.jsonl');
    const unknown = await runConsign(['import', 'history', file, '--channel', 'nope'], files.target.env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('No channel nope');
  });
});
