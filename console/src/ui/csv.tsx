/** CSV downloads of what a page shows: RFC 4180 text, one header row, CRLF line ends. */

type Cell = string | number | null | undefined;

const quote = (cell: Cell) => {
  const text = cell == null ? '' : String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function toCsv(header: string[], rows: Cell[][]): string {
  return [header, ...rows].map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
}

/** Saves `blob` as a file named `name` through the browser's download. */
export function saveFile(blob: Blob, name: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** A button that downloads one table as `<file>.csv`. */
export function CsvButton({
  file,
  label,
  header,
  rows,
}: {
  file: string;
  label: string;
  header: string[];
  rows: () => Cell[][];
}) {
  const download = () => saveFile(new Blob([toCsv(header, rows())], { type: 'text/csv' }), `${file}.csv`);
  return (
    <button type="button" onClick={download} aria-label={`Download ${label} as CSV`}>
      Download CSV
    </button>
  );
}
