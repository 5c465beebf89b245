import type { Spread } from './stats.ts';

/** A table as data: rendered aligned for a terminal or as Markdown for docs/benchmarks.md. */
export interface Table {
  title: string;
  headers: string[];
  /** Columns whose cells are right-aligned (numbers). */
  numeric: ReadonlySet<number>;
  rows: string[][];
}

const width = (text: string) => [...text].length;
const padCell = (text: string, size: number, right: boolean) =>
  right ? ' '.repeat(size - width(text)) + text : text + ' '.repeat(size - width(text));

export function renderText(table: Table): string {
  const sizes = table.headers.map((header, column) =>
    Math.max(width(header), ...table.rows.map((row) => width(row[column] ?? ''))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => padCell(cell, sizes[column]!, table.numeric.has(column)))
      .join('  ')
      .trimEnd();
  const rule = sizes.map((size) => '-'.repeat(size)).join('  ');
  return [table.title, line(table.headers), rule, ...table.rows.map(line)].join('\n');
}

export function renderMarkdown(table: Table): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const align = table.headers.map((_, column) => (table.numeric.has(column) ? '---:' : '---'));
  const line = (cells: string[]) => `| ${cells.map(escape).join(' | ')} |`;
  return [line(table.headers), `|${align.join('|')}|`, ...table.rows.map(line)].join('\n');
}

export const integer = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—');
export const millis = (value: number) => (Number.isFinite(value) ? value.toFixed(value >= 100 ? 0 : 2) : '—');
/** A rate of orders or events per second: one decimal below 10. */
const rate = (value: number) => value.toFixed(value < 10 ? 1 : 0);
/** Repeated runs' figures as "min / median / max". */
export const spreadText = (s: Spread, format: (value: number) => string) =>
  `${format(s.min)} / ${format(s.median)} / ${format(s.max)}`;
/** Repeated runs' rates as "min / median / max". */
export const rateSpread = (s: Spread) => spreadText(s, rate);
/** A row's rate, or its runs' rates when it was measured more than once (`--runs`). */
export const rateCell = (result: { opsPerSec: number; rates?: Spread | undefined }, format = integer) =>
  result.rates ? spreadText(result.rates, format) : format(result.opsPerSec);
export const percent = (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(0)}%` : '—');

interface Rate {
  opsPerSec: number;
  rates?: Spread | undefined;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/** An API row's figures, its floor's and their ratio: the cells the holds and orders tables share. */
export function versusFloorCells(api: Rate, floor: Rate | undefined, formatRate = integer): string[] {
  return [
    rateCell(api, formatRate),
    millis(api.p50Ms),
    millis(api.p99Ms),
    String(api.errors),
    floor ? rateCell(floor) : integer(Number.NaN),
    millis(floor?.p50Ms ?? Number.NaN),
    millis(floor?.p99Ms ?? Number.NaN),
    percent(floor ? api.opsPerSec / floor.opsPerSec : Number.NaN),
  ];
}
