import { routingOutcome, type Model, type Order } from './model.ts';

/**
 * What routing the order's waiting units must do: with `hold` (after a rejection, a short pick,
 * a hold release) units nothing can place stay waiting on a routing hold; with `keep` (the
 * back-order worker) they just stay waiting. Placing them lifts a routing hold. Returns whether
 * routing placed (or legitimately back-ordered) the units.
 */
export function predictRouting(model: Model, order: Order, exclude: string[], mode: 'hold' | 'keep'): boolean {
  if (order.lines.every((l) => l.waiting === 0)) return true;
  const outcome = routingOutcome(model, order, exclude);
  if (!outcome.placeable) {
    if (mode === 'hold' && !order.holds.includes('routing')) order.holds.push('routing');
    return false;
  }
  const placed = order.lines.reduce((n, l) => n + l.waiting - (outcome.waitingAfter.get(l.lineId) ?? l.waiting), 0);
  if (mode === 'keep' && placed === 0) return false;
  for (const line of order.lines) {
    const after = outcome.waitingAfter.get(line.lineId) ?? line.waiting;
    line.allocated += line.waiting - after;
    line.waiting = after;
  }
  order.holds = order.holds.filter((h) => h !== 'routing');
  return true;
}

/** Units of a line that a cancellation may still take: waiting ones and those at work not yet picked. */
export function cancellableUnits(order: Order, lineId: string): number {
  const line = order.lines.find((l) => l.lineId === lineId)!;
  const atWork = order.allocations
    .filter((a) => a.lineId === lineId)
    .filter((a) => {
      const fo = order.fos.find((f) => f.id === a.foId);
      return !fo || fo.status === 'allocated' || fo.status === 'accepted';
    })
    .reduce((n, a) => n + a.quantity, 0);
  return line.waiting + atWork;
}
