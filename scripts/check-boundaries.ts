/**
 * Module boundaries (STYLE.md, guideline 1): a folder per capability, one public door, each
 * table written by one capability, and no capability depending on itself through others.
 *
 *   src/<capability>/index.ts is the only file of a capability that code outside it may import.
 *
 * Infrastructure may be imported directly by anyone: src/db, src/http, src/shared, src/cli and the
 * top-level files (src/config.ts, src/server.ts). Infrastructure is held to the capability rule in
 * the other direction: src/http, src/cli and the top-level files reach capabilities through their
 * index.ts only, and the bottom layer (src/db, src/shared, src/config.ts) imports no capability.
 * Test files under src/ follow the same rules as the code beside them.
 *
 *   Every table of src/db/schema*.ts has one owner in TABLE_OWNERS, and only the owner's files
 *   write it (INSERT, UPDATE or DELETE in SQL text, or drizzle's insert/update/delete). Others
 *   call the owner's functions. The outbox (`events`) is the one table every capability may
 *   append to (ADR 0005); only its owner updates or deletes it. Test files may write anything:
 *   they set data up and prove the schema refuses bad rows.
 *
 *   Capabilities import each other without cycles.
 *
 * Usage: `npx tsx scripts/check-boundaries.ts [srcDir]` — prints every offence as file:line and
 * exits 1 when there is one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import {
  findTableWrites,
  ownerMapProblems,
  readSchemaTables,
  TABLE_OWNERS,
  writeOffence,
  type SchemaTables,
} from './table-owners.ts';

/** Folders under src/ that are not capabilities. */
export const INFRASTRUCTURE_FOLDERS: ReadonlySet<string> = new Set(['db', 'http', 'shared', 'cli', 'telemetry']);
/** Infrastructure that must not depend on any capability (folders, or top-level files). */
export const BOTTOM_LAYER: ReadonlySet<string> = new Set(['db', 'shared', 'config.ts']);

/** Where a file under src/ lives: a capability folder, an infrastructure folder, or a top-level file. */
export type Area =
  { kind: 'capability'; name: string } | { kind: 'infrastructure'; name: string } | { kind: 'top-level'; name: string };

/** `relPath` is relative to src/, with forward slashes (`orders/place-order.ts`). */
export function areaOf(relPath: string): Area {
  const [first, ...rest] = relPath.split('/');
  if (first === undefined || rest.length === 0) return { kind: 'top-level', name: relPath };
  if (INFRASTRUCTURE_FOLDERS.has(first)) return { kind: 'infrastructure', name: first };
  return { kind: 'capability', name: first };
}

/** True for `src/<capability>/index.ts` however the specifier spells it (`…/index.ts`, `…/index.js`, the folder). */
export function isPublicDoor(relPath: string, capability: string): boolean {
  const withoutExtension = relPath.replace(/\.(?:d\.)?(?:ts|mts|cts|js|mjs|cjs)$/, '');
  return withoutExtension === `${capability}/index` || withoutExtension === capability;
}

export type Verdict =
  { allowed: true } | { allowed: false; reason: 'private-module' | 'bottom-layer'; target: string; capability: string };

/**
 * Decides whether the file `fromRel` (relative to src/) may import `specifier`. Package imports
 * (`fastify`, `node:fs`) and relative imports that leave src/ are not this check's business.
 */
export function classifyImport(fromRel: string, specifier: string): Verdict {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return { allowed: true };
  const targetRel = path.posix.normalize(path.posix.join(path.posix.dirname(fromRel), specifier));
  if (targetRel.startsWith('../') || targetRel === '..') return { allowed: true };

  const from = areaOf(fromRel);
  const to = areaOf(targetRel);
  if (to.kind !== 'capability') return { allowed: true };
  if (from.kind === 'capability' && from.name === to.name) return { allowed: true };

  if (from.kind !== 'capability' && BOTTOM_LAYER.has(from.name)) {
    return { allowed: false, reason: 'bottom-layer', target: targetRel, capability: to.name };
  }
  if (isPublicDoor(targetRel, to.name)) return { allowed: true };
  return { allowed: false, reason: 'private-module', target: targetRel, capability: to.name };
}

export interface ImportSite {
  specifier: string;
  /** 1-based. */
  line: number;
}

/**
 * Every module specifier in a TypeScript source: static imports and re-exports (type-only ones
 * included), `import x = require(…)`, `import(…)` and `typeof import(…)`. Comments and strings
 * that merely look like imports are not imports.
 */
export function findImports(source: string, fileName = 'file.ts'): ImportSite[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const sites: ImportSite[] = [];
  const record = (literal: ts.Node | undefined) => {
    if (!literal || !ts.isStringLiteralLike(literal)) return;
    const { line } = file.getLineAndCharacterOfPosition(literal.getStart(file));
    sites.push({ specifier: literal.text, line: line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      record(node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      record(node.moduleReference.expression);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      record(node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      record(node.argument.literal);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return sites;
}

export interface Violation {
  file: string;
  line: number;
  specifier: string;
  message: string;
}

function describe(fromRel: string, verdict: Extract<Verdict, { allowed: false }>): string {
  const from = areaOf(fromRel);
  const fromLabel = from.kind === 'top-level' ? `src/${from.name}` : `src/${from.name}/`;
  if (verdict.reason === 'bottom-layer') {
    return `${fromLabel} is infrastructure below every capability and may not import src/${verdict.capability}/`;
  }
  return `src/${verdict.target} is private to src/${verdict.capability}/; import src/${verdict.capability}/index.ts instead (from ${fromLabel})`;
}

/** Checks one file's imports; `fromRel` is its path relative to src/. */
export function checkSource(fromRel: string, source: string): Violation[] {
  const violations: Violation[] = [];
  for (const site of findImports(source, fromRel)) {
    const verdict = classifyImport(fromRel, site.specifier);
    if (verdict.allowed) continue;
    violations.push({
      file: `src/${fromRel}`,
      line: site.line,
      specifier: site.specifier,
      message: describe(fromRel, verdict),
    });
  }
  return violations;
}

const isTestFile = (rel: string) => /\.test\.(?:ts|mts|cts|tsx)$/.test(rel);

/** Checks one file's table writes against the owner map; test files may write any table. */
export function checkWrites(
  fromRel: string,
  source: string,
  schema: SchemaTables,
  owners: Readonly<Record<string, string>> = TABLE_OWNERS,
): Violation[] {
  if (isTestFile(fromRel)) return [];
  const writer = areaOf(fromRel).name;
  return findTableWrites(source, schema, fromRel).flatMap((write) => {
    const message = writeOffence(writer, write, owners);
    return message ? [{ file: `src/${fromRel}`, line: write.line, specifier: write.table, message }] : [];
  });
}

/** One capability importing another, at its first import site. */
export interface CapabilityEdge {
  from: string;
  to: string;
  file: string;
  line: number;
}

/** The capability import graph: an edge for each pair of capabilities one imports the other in. */
export function capabilityEdges(files: { rel: string; source: string }[]): CapabilityEdge[] {
  const edges = new Map<string, CapabilityEdge>();
  for (const { rel, source } of files) {
    const from = areaOf(rel);
    if (from.kind !== 'capability') continue;
    for (const site of findImports(source, rel)) {
      if (!site.specifier.startsWith('./') && !site.specifier.startsWith('../')) continue;
      const to = areaOf(path.posix.normalize(path.posix.join(path.posix.dirname(rel), site.specifier)));
      if (to.kind !== 'capability' || to.name === from.name) continue;
      const key = `${from.name}\0${to.name}`;
      if (!edges.has(key)) edges.set(key, { from: from.name, to: to.name, file: `src/${rel}`, line: site.line });
    }
  }
  return [...edges.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

/** Each cycle of the graph once, as the capabilities along it (`['orders', 'returns']` for orders → returns → orders). */
export function findCycles(edges: CapabilityEdge[]): CapabilityEdge[][] {
  const out = new Map<string, CapabilityEdge[]>();
  for (const edge of edges) out.set(edge.from, [...(out.get(edge.from) ?? []), edge]);
  const cycles = new Map<string, CapabilityEdge[]>();
  // From each capability, a depth-first walk that stays above it (in name order) finds each cycle
  // once, from its smallest member. Capabilities are a few dozen, so this stays small.
  for (const start of [...out.keys()].sort()) {
    const walk = (node: string, trail: CapabilityEdge[], seen: Set<string>) => {
      for (const edge of out.get(node) ?? []) {
        if (edge.to === start) {
          const cycle = [...trail, edge];
          cycles.set(cycle.map((e) => e.from).join(' → '), cycle);
        } else if (edge.to > start && !seen.has(edge.to)) {
          seen.add(edge.to);
          walk(edge.to, [...trail, edge], seen);
          seen.delete(edge.to);
        }
      }
    };
    walk(start, [], new Set([start]));
  }
  return [...cycles.values()];
}

function cycleViolation(cycle: CapabilityEdge[]): Violation {
  const names = [...cycle.map((e) => e.from), cycle[0]!.from].join(' → ');
  const sites = cycle.map((e) => `${e.file}:${e.line}`).join(', ');
  return {
    file: cycle[0]!.file,
    line: cycle[0]!.line,
    specifier: `../${cycle[0]!.to}/index.ts`,
    message: `capabilities import each other in a cycle, ${names} (at ${sites}); move the shared piece or invert one dependency`,
  };
}

function listTypeScriptFiles(dir: string, base = dir): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listTypeScriptFiles(full, base));
    else if (/\.(?:ts|mts|cts|tsx)$/.test(entry.name)) files.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return files.sort();
}

/** Checks every TypeScript file under `srcDir`: imports, table writes (against the schema in db/), and cycles. */
export function checkTree(
  srcDir: string,
  owners: Readonly<Record<string, string>> = TABLE_OWNERS,
): { files: number; violations: Violation[] } {
  const files = listTypeScriptFiles(srcDir).map((rel) => ({
    rel,
    source: fs.readFileSync(path.join(srcDir, rel), 'utf8'),
  }));
  const schema = readSchemaTables(files.filter((f) => /^db\/schema[^/]*\.ts$/.test(f.rel)).map((f) => f.source));
  const folders = new Set(
    fs
      .readdirSync(srcDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name),
  );
  const violations = [
    ...ownerMapProblems(schema, folders, owners).map((message) => ({
      file: 'scripts/table-owners.ts',
      line: 1,
      specifier: '',
      message,
    })),
    ...files.flatMap(({ rel, source }) => [...checkSource(rel, source), ...checkWrites(rel, source, schema, owners)]),
    ...findCycles(capabilityEdges(files)).map(cycleViolation),
  ];
  return { files: files.length, violations };
}

function main(argv: string[]): number {
  const srcDir = path.resolve(argv[0] ?? fileURLToPath(new URL('../src', import.meta.url)));
  const { files, violations } = checkTree(srcDir);
  if (violations.length === 0) {
    console.log(
      `check-boundaries: ${files} files under src/; imports go through index.ts files, each table is written by its owner, no import cycles`,
    );
    return 0;
  }
  for (const v of violations)
    console.error(`${v.file}:${v.line}  ${v.specifier ? `'${v.specifier}'  ` : ''}— ${v.message}`);
  console.error(`\ncheck-boundaries: ${violations.length} boundary violation(s) (STYLE.md, guideline 1)`);
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
