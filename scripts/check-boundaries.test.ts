import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { areaOf, checkSource, checkTree, classifyImport, findImports, isPublicDoor } from './check-boundaries.ts';

describe('areaOf', () => {
  it.each([
    ['orders/place-order.ts', { kind: 'capability', name: 'orders' }],
    ['inventory/index.ts', { kind: 'capability', name: 'inventory' }],
    ['db/schema.ts', { kind: 'infrastructure', name: 'db' }],
    ['http/app.ts', { kind: 'infrastructure', name: 'http' }],
    ['shared/problem.ts', { kind: 'infrastructure', name: 'shared' }],
    ['cli/main.ts', { kind: 'infrastructure', name: 'cli' }],
    ['config.ts', { kind: 'top-level', name: 'config.ts' }],
    ['server.ts', { kind: 'top-level', name: 'server.ts' }],
  ])('%s → %o', (file, area) => {
    expect(areaOf(file)).toEqual(area);
  });
});

describe('isPublicDoor', () => {
  it.each([
    ['inventory/index.ts', true],
    ['inventory/index.js', true],
    ['inventory/index', true],
    ['inventory', true],
    ['inventory/levels.ts', false],
    ['inventory/internal/index.ts', false],
  ])('%s → %s', (target, expected) => {
    expect(isPublicDoor(target, 'inventory')).toBe(expected);
  });
});

describe('classifyImport', () => {
  const allowed = [
    // another capability through its door
    ['orders/place-order.ts', '../inventory/index.ts'],
    ['orders/deep/step.ts', '../../inventory/index.ts'],
    // anything inside one's own capability
    ['orders/place-order.ts', './lines.ts'],
    ['orders/deep/step.ts', '../lines.ts'],
    ['orders/place-order.test.ts', './place-order.ts'],
    // infrastructure, directly, any file of it
    ['orders/place-order.ts', '../db/index.ts'],
    ['orders/place-order.ts', '../db/schema.ts'],
    ['orders/routes.ts', '../http/app.ts'],
    ['orders/place-order.ts', '../shared/problem.ts'],
    ['orders/place-order.ts', '../config.ts'],
    // infrastructure and wiring reach capabilities through their doors
    ['http/app.ts', '../inventory/index.ts'],
    ['cli/serve.ts', '../orders/index.ts'],
    ['server.ts', './orders/index.ts'],
    // infrastructure among itself
    ['http/idempotency.ts', '../db/index.ts'],
    ['db/transaction.ts', '../shared/problem.ts'],
    // packages and files outside src/ are not this check's business
    ['orders/place-order.ts', 'drizzle-orm'],
    ['orders/place-order.ts', 'node:crypto'],
    ['orders/place-order.ts', '@sinclair/typebox'],
    ['orders/place-order.ts', '../../migrations/0000_init.sql'],
  ] as const;
  it.each(allowed)('%s may import %s', (from, specifier) => {
    expect(classifyImport(from, specifier)).toEqual({ allowed: true });
  });

  const forbidden = [
    ['orders/place-order.ts', '../inventory/levels.ts', 'private-module', 'inventory/levels.ts'],
    ['orders/place-order.test.ts', '../inventory/levels.ts', 'private-module', 'inventory/levels.ts'],
    ['orders/deep/step.ts', '../../inventory/internal/index.ts', 'private-module', 'inventory/internal/index.ts'],
    ['http/app.ts', '../inventory/routes.ts', 'private-module', 'inventory/routes.ts'],
    ['cli/seed.ts', '../network/locations.ts', 'private-module', 'network/locations.ts'],
    ['server.ts', './reservations/sweeper.ts', 'private-module', 'reservations/sweeper.ts'],
    // a path that leaves its own capability and comes back through another one's folder
    ['orders/place-order.ts', './../inventory/./levels.ts', 'private-module', 'inventory/levels.ts'],
    // the bottom layer imports no capability at all, not even its door
    ['db/schema.ts', '../inventory/index.ts', 'bottom-layer', 'inventory/index.ts'],
    ['shared/ids.ts', '../orders/index.ts', 'bottom-layer', 'orders/index.ts'],
    ['config.ts', './orders/index.ts', 'bottom-layer', 'orders/index.ts'],
  ] as const;
  it.each(forbidden)('%s may not import %s (%s)', (from, specifier, reason, target) => {
    expect(classifyImport(from, specifier)).toMatchObject({ allowed: false, reason, target });
  });
});

describe('findImports', () => {
  it('finds every kind of module reference with its line, and nothing in comments or strings', () => {
    const source = [
      "import type { A } from './a.ts';", // 1
      "export type { B } from './b.ts';", // 2
      "export * as c from './c.ts';", // 3
      "import './side-effect.ts';", // 4
      "// import x from './commented.ts';", // 5
      'const s = "import y from \'./in-string.ts\'";', // 6
      "const m = await import('./dynamic.ts');", // 7
      "type T = typeof import('./type-query.ts');", // 8
      'import {', // 9
      '  z,', // 10
      "} from '../multi-line.ts';", // 11
      "import fs = require('./required.ts');", // 12
      "export { q } from './q.ts'", // 13
    ].join('\n');
    expect(findImports(source)).toEqual([
      { specifier: './a.ts', line: 1 },
      { specifier: './b.ts', line: 2 },
      { specifier: './c.ts', line: 3 },
      { specifier: './side-effect.ts', line: 4 },
      { specifier: './dynamic.ts', line: 7 },
      { specifier: './type-query.ts', line: 8 },
      { specifier: '../multi-line.ts', line: 11 },
      { specifier: './required.ts', line: 12 },
      { specifier: './q.ts', line: 13 },
    ]);
  });
});

describe('checkSource', () => {
  it('reports file:line and the offending specifier', () => {
    const source = "import { a } from '../inventory/index.ts';\nimport { b } from '../inventory/levels.ts';\n";
    expect(checkSource('orders/place-order.ts', source)).toEqual([
      {
        file: 'src/orders/place-order.ts',
        line: 2,
        specifier: '../inventory/levels.ts',
        message: expect.stringContaining('import src/inventory/index.ts instead'),
      },
    ]);
  });
});

describe('checkTree', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
    root = undefined;
  });

  it('walks every .ts file under the folder, tests included', () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'consign-boundaries-'));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root!, rel)), { recursive: true });
      fs.writeFileSync(path.join(root!, rel), text);
    };
    write('inventory/index.ts', "export * from './levels.ts';\n");
    write('inventory/levels.ts', 'export const levels = 1;\n');
    write('orders/index.ts', "export { levels } from '../inventory/index.ts';\n");
    write('orders/cancel.test.ts', "\nimport { levels } from '../inventory/levels.ts';\n");
    write('http/app.ts', "import '../orders/index.ts';\n");
    write('notes.md', "import '../inventory/levels.ts';\n");

    const { files, violations } = checkTree(root);
    expect(files).toBe(5);
    expect(violations.map((v) => `${v.file}:${v.line}`)).toEqual(['src/orders/cancel.test.ts:2']);
  });
});
