/**
 * Builds the back-office console (console/ → console/dist) with Vite when the build is missing or
 * older than its sources, and reports the first-load JavaScript (entry chunk and its static
 * imports) gzipped. `npm start` runs it first, and the browser tests before they open a page.
 * Next to each script, style sheet and page it writes a gzip and a Brotli copy, which the server
 * sends to browsers that accept them (src/http/console.ts).
 *
 * Usage: `npx tsx scripts/build-console.ts [--force]`
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
export const consoleDir = path.join(root, 'console');
const distDir = path.join(consoleDir, 'dist');
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'tsconfig.json'];

function newestMtimeMs(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs
    .readdirSync(entry)
    .reduce((newest, name) => Math.max(newest, newestMtimeMs(path.join(entry, name))), stat.mtimeMs);
}

/** True when console/dist is missing or older than any console source file. */
export function consoleIsStale(): boolean {
  const built = path.join(distDir, 'index.html');
  if (!fs.existsSync(built)) return true;
  const sources = Math.max(...SOURCES.map((name) => newestMtimeMs(path.join(consoleDir, name))));
  return sources > fs.statSync(built).mtimeMs;
}

export function buildConsole(): void {
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn', consoleDir], {
    cwd: root,
    stdio: 'inherit',
    // A test runner's NODE_ENV=test would make Vite bundle React's development build.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error(`building the console failed (exit ${result.status ?? result.signal})`);
  compressConsole(distDir);
}

/** Writes `file.gz` and `file.br` beside each text file of the build (served pre-compressed). */
function compressConsole(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) compressConsole(file);
    else if (/\.(?:js|css|html|svg|json)$/.test(entry.name)) {
      const bytes = fs.readFileSync(file);
      fs.writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
      fs.writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    }
  }
}

/** The first-load JavaScript budget, gzipped (docs/benchmarks.md). */
export const FIRST_LOAD_JS_BUDGET_BYTES = 150_000;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

/** Bytes of JavaScript a first visit downloads, gzipped: the entry chunk and what it imports statically. */
export function firstLoadJsGzipBytes(): { files: string[]; gzipBytes: number } {
  const manifest = JSON.parse(fs.readFileSync(path.join(distDir, '.vite', 'manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  const gzipBytes = [...files].reduce(
    (sum, file) => sum + gzipSync(fs.readFileSync(path.join(distDir, file))).length,
    0,
  );
  return { files: [...files], gzipBytes };
}

/** Builds the console when it is stale; returns whether it built. */
export function ensureConsoleBuilt(options: { force?: boolean } = {}): boolean {
  if (!options.force && !consoleIsStale()) return false;
  buildConsole();
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const built = ensureConsoleBuilt({ force: process.argv.includes('--force') });
  const { files, gzipBytes } = firstLoadJsGzipBytes();
  console.log(
    `Console ${built ? 'built' : 'is up to date'}: first-load JavaScript ${(gzipBytes / 1000).toFixed(1)} kB gzipped, budget ${FIRST_LOAD_JS_BUDGET_BYTES / 1000} kB (${files.join(', ')})`,
  );
}
