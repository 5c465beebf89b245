import PDFDocument from 'pdfkit';

/**
 * Printing with the PDF standard fonts (no font files): their WinAnsi encoding draws Latin-1 plus
 * a few typographic marks, so any other character is shown as `?`.
 */
const PRINTABLE =
  /[^\x20-\x7e\u00a0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]/g;
export const printable = (value: unknown): string => String(value ?? '').replace(PRINTABLE, '?');

/** A postal address as printed lines: street lines, "city, region postal code", country. */
export function addressLines(address: Record<string, unknown> | null | undefined): string[] {
  if (!address) return [];
  const cityLine = [address.city, [address.region, address.postal_code].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(', ');
  return [address.line1, address.line2, cityLine, address.country]
    .filter((l) => typeof l === 'string' && l.trim() !== '')
    .map(printable);
}

/** Draws a document with `draw` and returns its bytes. */
export function renderPdf(
  options: PDFKit.PDFDocumentOptions,
  draw: (doc: PDFKit.PDFDocument) => void,
): Promise<Buffer> {
  const doc = new PDFDocument(options);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  draw(doc);
  doc.end();
  return done;
}
