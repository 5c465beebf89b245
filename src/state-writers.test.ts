import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const sources = sourceFiles(SRC).map((file) => ({
  file: path.relative(SRC, file).split(path.sep).join('/'),
  text: fs.readFileSync(file, 'utf8'),
}));

/** The files whose text `writes` finds a write in, each once. */
function writersOf(writes: (text: string) => boolean): string[] {
  return sources.filter((s) => writes(s.text)).map((s) => s.file);
}

/** Whether some `update <table> set … where` statement of the text sets `status`. */
function setsStatusOf(table: string) {
  const update = new RegExp(
    `update\\s+${table}\\b(?:\\s+\\w+)?\\s+set\\s+((?:(?!\\bwhere\\b)[\\s\\S])*?)\\bwhere\\b`,
    'gi',
  );
  return (text: string) => [...text.matchAll(update)].some((m) => /\bstatus\s*=/.test(m[1]!));
}

describe('each kind of state has one writer', () => {
  it('events reach the outbox only through the event writer', () => {
    expect(writersOf((text) => /insert\s+into\s+events\b|\.insert\(tables\.events\)/i.test(text))).toEqual([
      'events/outbox.ts',
    ]);
  });

  it("a fulfillment order's status changes only through its transition", () => {
    expect(writersOf(setsStatusOf('fulfillment_orders'))).toEqual(['orders/fulfillment-transitions.ts']);
    expect(writersOf((text) => /\.update\(tables\.fulfillmentOrders\)/.test(text))).toEqual([]);
  });

  it("an order's status changes only through its compare-and-set write", () => {
    expect(writersOf(setsStatusOf('orders'))).toEqual(['orders/refresh-status.ts']);
    expect(writersOf((text) => /\.update\(tables\.orders\)/.test(text))).toEqual([]);
  });
});
