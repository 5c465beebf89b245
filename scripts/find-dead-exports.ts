/**
 * Exports of src/ that nothing in the project imports: names no file under src/, test/,
 * scripts/, bench/, console/ or bin/ imports, directly or through re-exports (an index.ts
 * re-export counts only when its own name is imported). `(used in its file)` marks exports whose
 * code is alive and only the `export` is spare; the others are dead code.
 *
 * Usage: `npx tsx scripts/find-dead-exports.ts` — prints file:line name, one a line, and exits 1
 * when there is any (`npm run lint` runs it): remove the code, or the `export` that nothing uses.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FOLDERS = ['src', 'test', 'scripts', 'bench', 'console', 'bin'];

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'dist'].includes(entry.name) ? [] : sourceFiles(full);
    return /\.(ts|tsx|js|mjs)$/.test(entry.name) ? [full] : [];
  });
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')];
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
}

interface Declared {
  name: string;
  line: number;
}
interface Reexport {
  from: string;
  to: string;
  name: string;
  as: string;
}

/** `file#name` for every imported name; `file#*` for a namespace import, `export *` or `import()`. */
const used = new Set<string>();
const exportsOf = new Map<string, Declared[]>();
const reexports: Reexport[] = [];

const isExported = (node: ts.Node) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

function declaredNames(node: ts.Statement): ts.Identifier[] {
  if (ts.isVariableStatement(node))
    return node.declarationList.declarations.map((d) => d.name).filter((n): n is ts.Identifier => ts.isIdentifier(n));
  const named =
    ts.isFunctionDeclaration(node) ||
    ts.isClassDeclaration(node) ||
    ts.isInterfaceDeclaration(node) ||
    ts.isTypeAliasDeclaration(node) ||
    ts.isEnumDeclaration(node);
  return named && node.name ? [node.name] : [];
}

function readFile(file: string): void {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const declared: Declared[] = [];
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.importClause) {
      const target = resolveImport(file, node.moduleSpecifier.text);
      const bindings = node.importClause.namedBindings;
      if (target && node.importClause.name) used.add(`${target}#default`);
      if (target && bindings && ts.isNamespaceImport(bindings)) used.add(`${target}#*`);
      if (target && bindings && ts.isNamedImports(bindings))
        for (const element of bindings.elements) used.add(`${target}#${(element.propertyName ?? element.name).text}`);
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      const target = argument && ts.isStringLiteral(argument) ? resolveImport(file, argument.text) : undefined;
      if (target) used.add(`${target}#*`);
    }
    if (ts.isExportDeclaration(node)) {
      const specifier = node.moduleSpecifier;
      const target = specifier && ts.isStringLiteral(specifier) ? resolveImport(file, specifier.text) : undefined;
      if (node.exportClause && ts.isNamedExports(node.exportClause)) {
        for (const element of node.exportClause.elements) {
          declared.push({ name: element.name.text, line: lineOf(element) });
          const name = (element.propertyName ?? element.name).text;
          if (target) reexports.push({ from: file, to: target, name, as: element.name.text });
        }
      } else if (target) used.add(`${target}#*`);
    }
    if (node.parent === source && isExported(node))
      for (const name of declaredNames(node as ts.Statement)) declared.push({ name: name.text, line: lineOf(name) });
    ts.forEachChild(node, visit);
  };
  visit(source);
  exportsOf.set(file, declared);
}

for (const file of FOLDERS.flatMap((folder) => sourceFiles(path.join(ROOT, folder)))) readFile(file);

// A re-export that is imported makes the name it re-exports imported too.
for (let changed = true; changed;) {
  changed = false;
  for (const r of reexports) {
    const reached = used.has(`${r.from}#${r.as}`) || used.has(`${r.from}#*`);
    if (reached && !used.has(`${r.to}#${r.name}`)) changed = used.add(`${r.to}#${r.name}`) !== undefined;
  }
}

const lines: string[] = [];
for (const [file, declared] of exportsOf) {
  const relative = path.relative(ROOT, file).split(path.sep).join('/');
  if (!relative.startsWith('src/') || /\.test\.tsx?$/.test(relative)) continue;
  const text = fs.readFileSync(file, 'utf8');
  for (const { name, line } of declared) {
    if (used.has(`${file}#${name}`) || used.has(`${file}#*`)) continue;
    const uses = text.match(new RegExp(`\\b${name}\\b`, 'g'))?.length ?? 0;
    lines.push(`${relative}:${line} ${name}${uses > 1 ? ' (used in its file)' : ''}`);
  }
}
process.stdout.write(lines.sort().join('\n') + (lines.length ? '\n' : ''));
if (lines.length) {
  process.stderr.write(
    `find-dead-exports: ${lines.length} export(s) nothing imports; remove the code or its \`export\`\n`,
  );
  process.exitCode = 1;
}
