import type { SeedPhase, SeedProgress } from '../demo/index.ts';

const BAR_WIDTH = 30;

interface ProgressDisplay {
  update(progress: SeedProgress): void;
  finish(): void;
}

/**
 * Cost of one item of each phase relative to creating one record: stock levels go in as
 * set-based batches, so each row is cheap; an order is placed, routed and shipped step by step.
 */
const phaseWeights: Partial<Record<SeedPhase, number>> = { 'stock levels': 0.05, orders: 10 };

/** One progress bar line, drawn over the previous one on a terminal. */
export function drawBar(stream: NodeJS.WriteStream, title: string, fraction: number, label: string): void {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * BAR_WIDTH);
  const bar = '='.repeat(filled) + ' '.repeat(BAR_WIDTH - filled);
  const percent = String(Math.round(Math.min(1, fraction) * 100)).padStart(3);
  stream.write(`\r\x1b[2K${title} [${bar}] ${percent}%  ${label}`);
}

/**
 * Shows seeding progress on `stream`: one bar redrawn in place on a terminal, one plain line
 * per finished phase otherwise (logs and CI stay readable).
 */
export function createProgressDisplay(
  stream: NodeJS.WriteStream,
  totals: Record<SeedPhase, number>,
  title: string,
): ProgressDisplay {
  const phases = Object.keys(totals) as SeedPhase[];
  const work = (phase: SeedPhase, items: number) => items * (phaseWeights[phase] ?? 1);
  const total = phases.reduce((sum, phase) => sum + work(phase, totals[phase]), 0);
  const finished = (phase: SeedPhase) =>
    phases.slice(0, phases.indexOf(phase)).reduce((sum, p) => sum + work(p, totals[p]), 0);
  let drawn = false;

  if (!stream.isTTY) {
    return {
      update: ({ phase, done, total: phaseTotal }) => {
        if (done === phaseTotal) stream.write(`${title}: ${phase} ${done}/${phaseTotal}\n`);
      },
      finish: () => {},
    };
  }
  return {
    update: ({ phase, done, total: phaseTotal }) => {
      const fraction = total === 0 ? 1 : (finished(phase) + work(phase, done)) / total;
      drawBar(stream, title, fraction, `${phase} ${done}/${phaseTotal}`);
      drawn = true;
    },
    finish: () => {
      if (drawn) stream.write('\n');
    },
  };
}
