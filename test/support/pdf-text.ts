import { execFileSync } from 'node:child_process';
import { inflateSync } from 'node:zlib';

/** The text of a PDF: `pdftotext` (poppler-utils) when installed, else the text operators of its inflated streams. */
export function pdfText(pdf: Buffer): string {
  try {
    return execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const raw = pdf.toString('latin1');
  const texts: string[] = [];
  // Each stream is exactly its /Length bytes: compressed data may itself end in a CR or LF, so
  // scanning for the "endstream" keyword would cut some streams short.
  for (const match of raw.matchAll(/\/Length (\d+)\s[^>]*>>\s*stream\r?\n/g)) {
    const start = match.index + match[0].length;
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, start + Number(match[1]))).toString('latin1');
    } catch {
      continue;
    }
    for (const op of content.matchAll(/\[(.*?)\]\s*TJ|<([0-9a-fA-F]+)>\s*Tj/g)) {
      const hex = op[1] ? [...op[1].matchAll(/<([0-9a-fA-F]+)>/g)].map((m) => m[1]).join('') : op[2]!;
      texts.push(Buffer.from(hex, 'hex').toString('latin1'));
    }
  }
  return texts.join('\n');
}
