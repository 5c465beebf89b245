import { parseLine } from '../backup/index.ts';
import { drawBar } from './progress.ts';

/** Redraw at most this often: a backup passes thousands of rows a second. */
const REDRAW_MS = 100;

export interface BackupProgress {
  /** Follows a backup line by line: its header gives the totals, each row counts. */
  observe(line: string): void;
  /** Whether the end line has passed (a backup cut short has none). */
  ended(): boolean;
  rows(): number;
  finish(): void;
}

/**
 * Progress of a backup or a restore on `stream`: a bar by rows on a terminal, nothing
 * otherwise (the command prints its one-line summary at the end).
 */
export function createBackupProgress(stream: NodeJS.WriteStream, title: string): BackupProgress {
  let total = 0;
  let done = 0;
  let table = '';
  let end = false;
  let drawnAt = 0;
  const draw = (force = false) => {
    if (!stream.isTTY || (!force && Date.now() - drawnAt < REDRAW_MS)) return;
    drawnAt = Date.now();
    drawBar(stream, title, total === 0 ? 1 : done / total, `${done.toLocaleString('en-US')} rows  ${table}`);
  };
  return {
    observe: (line) => {
      if (line.startsWith('{')) {
        done++;
        return draw();
      }
      const parsed = parseLine(line);
      if (!('control' in parsed)) return;
      const control = parsed.control;
      if (control.kind === 'header') total = control.header.tables.reduce((sum, t) => sum + t.rows, 0);
      else if (control.kind === 'table') table = control.name;
      else end = true;
      draw(true);
    },
    ended: () => end,
    rows: () => done,
    finish: () => {
      if (!stream.isTTY || drawnAt === 0) return;
      draw(true);
      stream.write('\n');
    },
  };
}
