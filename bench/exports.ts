import type { Target } from './scenarios.ts';
import { integer, millis, type Table } from './table.ts';

/** One pass over every stock movement, page after page until nothing is left. */
export interface ExportPass {
  rows: number;
  ms: number;
  rowsPerSec: number;
}

export interface ExportResult {
  pageSize: number;
  /** The first export: every ledger row is numbered as the pages reach it. */
  first: ExportPass;
  /** From the start again: the rows are numbered already. */
  again: ExportPass;
}

const PAGE_SIZE = 10_000;

async function exportPass(target: Target): Promise<ExportPass> {
  let rows = 0;
  let after: string | null = null;
  const started = performance.now();
  for (;;) {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), format: 'jsonl' });
    if (after) query.set('after', after);
    const response = await fetch(`${target.url}/v1/exports/stock_movements?${query}`, {
      headers: { authorization: `Bearer ${target.apiKey}` },
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`export → ${response.status} ${text.slice(0, 300)}`);
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) rows += 1;
    after = response.headers.get('consign-next-cursor');
    if (response.headers.get('consign-remaining') === '0') break;
  }
  const ms = performance.now() - started;
  return { rows, ms, rowsPerSec: (rows * 1000) / ms };
}

/**
 * GET /v1/exports/stock_movements, 10,000 rows a page, over the ledger the earlier scenarios
 * wrote (the feeds' counts, the orders' shipments): once as the first export, which numbers
 * every row, then again from the start over rows already numbered.
 */
export async function measureExports(target: Target): Promise<ExportResult> {
  const first = await exportPass(target);
  const again = await exportPass(target);
  return { pageSize: PAGE_SIZE, first, again };
}

export function exportsTable(results: { engine: string; exports: ExportResult }[]): Table {
  return {
    title: 'ERP export: GET /v1/exports/stock_movements, JSON Lines, 10,000 rows a page',
    headers: ['Engine', 'Pass', 'Rows', 'Seconds', 'Rows/s'],
    numeric: new Set([2, 3, 4]),
    rows: results.flatMap((r) =>
      (
        [
          ['first export (numbers rows)', r.exports.first],
          ['again from the start', r.exports.again],
        ] as const
      ).map(([pass, p]) => [r.engine, pass, integer(p.rows), millis(p.ms / 1000), integer(p.rowsPerSec)]),
    ),
  };
}
