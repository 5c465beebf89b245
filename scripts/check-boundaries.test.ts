import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  areaOf,
  capabilityEdges,
  checkSource,
  checkTree,
  checkWrites,
  classifyImport,
  findCycles,
  findImports,
  isPublicDoor,
} from './check-boundaries.ts';
import { findTableWrites, ownerMapProblems, readSchemaTables } from './table-owners.ts';

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
  const tree = (files: Record<string, string>) => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'consign-boundaries-'));
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    return root;
  };
  const schema = [
    "export const orders = pgTable('orders', {});",
    "export const orderLines = pgTable('order_lines', {});",
    "export const stockLevels = pgTable('stock_levels', {});",
    "export const events = pgTable('events', {});",
  ].join('\n');
  const owners = { orders: 'orders', order_lines: 'orders', stock_levels: 'inventory', events: 'events' };
  const clean = {
    'db/schema.ts': schema,
    'events/index.ts': "export const record = sql`insert into events (type) values ('x')`;\n",
    'inventory/index.ts': "export * from './levels.ts';\n",
    'inventory/levels.ts': 'export const reserve = sql`update stock_levels set reserved = reserved + 1`;\n',
    'orders/index.ts': "export { place } from './place.ts';\n",
    'orders/place.ts': [
      "import { reserve } from '../inventory/index.ts';",
      'export const place = sql`insert into orders (id) values (1)`;',
      "export const announce = sql`insert into events (type) values ('order.created')`;",
      'export const lock = sql`select * from stock_levels for update`;',
    ].join('\n'),
  };

  it('passes a tree where each table is written by its owner and imports have no cycle', () => {
    expect(checkTree(tree(clean), owners).violations).toEqual([]);
  });

  it('fails a planted cross-capability write, in SQL text or through drizzle', () => {
    const planted = {
      ...clean,
      'orders/place.ts': clean['orders/place.ts'] + '\nexport const take = sql`update stock_levels set on_hand = 0`;\n',
      'inventory/levels.ts':
        clean['inventory/levels.ts'] +
        "import { tables } from '../db/index.ts';\nawait db.delete(tables.orderLines);\n",
    };
    const { violations } = checkTree(tree(planted), owners);
    expect(violations.map((v) => `${v.file}:${v.line} ${v.specifier}`)).toEqual([
      'src/inventory/levels.ts:3 order_lines',
      'src/orders/place.ts:5 stock_levels',
    ]);
    expect(violations[1]!.message).toContain('stock_levels belongs to src/inventory/');
  });

  it('fails a planted import cycle between capabilities', () => {
    const planted = { ...clean, 'inventory/levels.ts': "import { place } from '../orders/index.ts';\n" };
    const { violations } = checkTree(tree(planted), owners);
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toContain('cycle, inventory → orders → inventory');
  });

  it('fails a schema table without an owner, and every write to it', () => {
    const { stock_levels: _unowned, ...unowned } = owners;
    const { violations } = checkTree(tree(clean), unowned);
    expect(violations.map((v) => `${v.file}:${v.line}`)).toEqual([
      'scripts/table-owners.ts:1',
      'src/inventory/levels.ts:1',
    ]);
    for (const v of violations) expect(v.message).toContain('table stock_levels has no owner');
  });

  it('walks every .ts file under the folder, tests included', () => {
    tree({
      'inventory/index.ts': "export * from './levels.ts';\n",
      'inventory/levels.ts': 'export const levels = 1;\n',
      'orders/index.ts': "export { levels } from '../inventory/index.ts';\n",
      'orders/cancel.test.ts': "\nimport { levels } from '../inventory/levels.ts';\n",
      'http/app.ts': "import '../orders/index.ts';\n",
      'notes.md': "import '../inventory/levels.ts';\n",
    });
    const { files, violations } = checkTree(root!, {});
    expect(files).toBe(5);
    expect(violations.map((v) => `${v.file}:${v.line}`)).toEqual(['src/orders/cancel.test.ts:2']);
  });
});

describe('findTableWrites', () => {
  const schema = readSchemaTables([
    "export const orders = pgTable('orders', {});\nexport const orderLines = pgTable(\n  'order_lines', {});",
  ]);
  it('finds SQL writes and drizzle writes, and not locks, upserts, reads or comments', () => {
    const source = [
      'sql`insert into orders (id) values (${id})`;', // 1
      'sql`update order_lines l set allocated = 0 from x where l.order_id = ${id}`;', // 2
      "query('DELETE FROM orders where id = $1');", // 3
      'sql`select * from orders for update`;', // 4
      'sql`select * from orders for no key update`;', // 5
      'sql`insert into other (id) values (1) on conflict (id) do update set id = 1`;', // 6
      '// update orders set status = 1', // 7
      'db.insert(tables.orders).values({});', // 8
      'const t = tables.orderLines;', // 9
      'db.update(t).set({});', // 10
      'sql`update ${table} set x = 1`;', // 11
    ].join('\n');
    expect(findTableWrites(source, schema)).toEqual([
      { table: 'orders', verb: 'insert', line: 1 },
      { table: 'order_lines', verb: 'update', line: 2 },
      { table: 'orders', verb: 'delete', line: 3 },
      { table: 'orders', verb: 'insert', line: 8 },
      { table: 'order_lines', verb: 'update', line: 10 },
    ]);
  });

  it('lets any capability append to the outbox but only its owner change it', () => {
    const outbox = readSchemaTables(["export const events = pgTable('events', {});"]);
    const owners = { events: 'events' };
    expect(checkWrites('orders/x.ts', 'sql`insert into events (type) values (1)`', outbox, owners)).toEqual([]);
    expect(checkWrites('orders/x.ts', 'sql`delete from events`', outbox, owners)).toEqual([
      expect.objectContaining({ file: 'src/orders/x.ts', specifier: 'events' }),
    ]);
    expect(checkWrites('orders/x.test.ts', 'sql`delete from events`', outbox, owners)).toEqual([]);
  });
});

describe('ownerMapProblems', () => {
  it('names tables without an owner, owners that are no folder, and entries for no table', () => {
    const schema = readSchemaTables(["export const a = pgTable('a', {});\nexport const b = pgTable('b', {});"]);
    expect(ownerMapProblems(schema, new Set(['orders']), { a: 'orders', c: 'orders' })).toEqual([
      'table b has no owner in TABLE_OWNERS (scripts/table-owners.ts)',
      'TABLE_OWNERS names c, which is not a table of the schema',
    ]);
    expect(ownerMapProblems(schema, new Set(['orders']), { a: 'orders', b: 'gone' })).toEqual([
      'table b is owned by src/gone/, which does not exist',
    ]);
  });
});

describe('findCycles', () => {
  it('finds each cycle once, however long', () => {
    const edges = capabilityEdges([
      { rel: 'a/x.ts', source: "import '../b/index.ts';" },
      { rel: 'b/x.ts', source: "import '../c/index.ts';\nimport '../a/index.ts';" },
      { rel: 'c/x.ts', source: "import '../a/index.ts';\nimport '../d/index.ts';" },
      { rel: 'd/x.ts', source: "import '../db/index.ts';" },
    ]);
    expect(findCycles(edges).map((cycle) => cycle.map((e) => e.from).join(' → '))).toEqual(['a → b', 'a → b → c']);
  });
});
