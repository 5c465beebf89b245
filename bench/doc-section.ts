import fs from 'node:fs';

/** The section of docs/benchmarks.md that `npm run bench:durability` writes and `npm run bench` keeps. */
export const DURABILITY_HEADING = '## Embedded durability: fsync on and off';

/** Where the section under `heading` starts and ends in `text` (up to the next `## ` heading). */
function sectionBounds(text: string, heading: string): { start: number; end: number } | undefined {
  const start = text.indexOf(`${heading}\n`);
  if (start === -1 || (start > 0 && text[start - 1] !== '\n')) return undefined;
  const next = text.indexOf('\n## ', start + heading.length);
  return { start, end: next === -1 ? text.length : next + 1 };
}

/** The section under `heading` in `file`, or '' when it has none. */
export function readDocSection(file: string, heading: string): string {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const bounds = sectionBounds(text, heading);
  return bounds ? text.slice(bounds.start, bounds.end) : '';
}

/** Replaces the section under `heading` in `file` with `section`, or appends it. */
export function replaceDocSection(file: string, heading: string, section: string): void {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const bounds = sectionBounds(text, heading);
  const body = `${section.trimEnd()}\n`;
  // A blank line before the next section's heading, whatever the section ended with.
  const after = bounds ? text.slice(bounds.end) : '';
  const updated = bounds
    ? text.slice(0, bounds.start) + body + (after === '' ? '' : `\n${after}`)
    : `${text.trimEnd()}\n\n${body}`;
  fs.writeFileSync(file, updated);
}
