/** CSV downloads of what a page shows: RFC 4180 text, one header row, CRLF line ends. */
import { saveFile } from './save-file.ts';

type Cell = string | number | null | undefined;

const quote = (cell: Cell) => {
  const text = cell == null ? '' : String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function toCsv(header: string[], rows: Cell[][]): string {
  return [header, ...rows].map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
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
  const download = () => void saveFile(new Blob([toCsv(header, rows())], { type: 'text/csv' }), `${file}.csv`);
  return (
    <button type="button" onClick={download} aria-label={`Download ${label} as CSV`}>
      Download CSV
    </button>
  );
}
