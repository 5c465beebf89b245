/**
 * Module boundaries (STYLE.md, guideline 1): a folder per capability, one public door.
 *
 *   src/<capability>/index.ts is the only file of a capability that code outside it may import.
 *
 * Infrastructure may be imported directly by anyone: src/db, src/http, src/shared, src/cli and the
 * top-level files (src/config.ts, src/server.ts). Infrastructure is held to the capability rule in
 * the other direction: src/http, src/cli and the top-level files reach capabilities through their
 * index.ts only, and the bottom layer (src/db, src/shared, src/config.ts) imports no capability.
 * Test files under src/ follow the same rules as the code beside them.
 *
 * Usage: `npx tsx scripts/check-boundaries.ts [srcDir]` — prints every offending import as
 * file:line and exits 1 when there is one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/** Folders under src/ that are not capabilities. */
export const INFRASTRUCTURE_FOLDERS: ReadonlySet<string> = new Set(['db', 'http', 'shared', 'cli']);
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

/** Checks one file's text; `fromRel` is its path relative to src/. */
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

/** Checks every TypeScript file under `srcDir`. */
export function checkTree(srcDir: string): { files: number; violations: Violation[] } {
  const files = listTypeScriptFiles(srcDir);
  const violations = files.flatMap((rel) => checkSource(rel, fs.readFileSync(path.join(srcDir, rel), 'utf8')));
  return { files: files.length, violations };
}

function main(argv: string[]): number {
  const srcDir = path.resolve(argv[0] ?? fileURLToPath(new URL('../src', import.meta.url)));
  const { files, violations } = checkTree(srcDir);
  if (violations.length === 0) {
    console.log(`check-boundaries: ${files} files under src/, every cross-capability import goes through an index.ts`);
    return 0;
  }
  for (const v of violations) console.error(`${v.file}:${v.line}  import '${v.specifier}'  — ${v.message}`);
  console.error(`\ncheck-boundaries: ${violations.length} import(s) cross a module boundary (STYLE.md, guideline 1)`);
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
