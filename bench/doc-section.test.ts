import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDocSection, replaceDocSection } from './doc-section.ts';

function withDoc(text: string, edit: (file: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consign-doc-'));
  const file = path.join(dir, 'benchmarks.md');
  try {
    fs.writeFileSync(file, text);
    edit(file);
    return fs.readFileSync(file, 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const page = '# Benchmarks\n\n## One\n\nold one\n\n## Two\n\nold two\n';

describe('docs/benchmarks.md sections', () => {
  it('replaces a section in the middle, keeping a blank line before the next heading', () => {
    for (const section of ['## One\n\nnew one', '## One\n\nnew one\n', '## One\n\nnew one\n\n\n']) {
      expect(withDoc(page, (file) => replaceDocSection(file, '## One', section))).toBe(
        '# Benchmarks\n\n## One\n\nnew one\n\n## Two\n\nold two\n',
      );
    }
  });

  it('replaces the last section and appends a missing one after a blank line', () => {
    expect(withDoc(page, (file) => replaceDocSection(file, '## Two', '## Two\n\nnew two\n'))).toBe(
      '# Benchmarks\n\n## One\n\nold one\n\n## Two\n\nnew two\n',
    );
    expect(withDoc(page, (file) => replaceDocSection(file, '## Three', '## Three\n\nthree'))).toBe(
      `${page}\n## Three\n\nthree\n`,
    );
  });

  it('reads a section up to the next heading', () => {
    expect(withDoc(page, (file) => expect(readDocSection(file, '## One')).toBe('## One\n\nold one\n\n'))).toBe(page);
  });
});
