import type { Sim } from './context.ts';
import { pick, type Intent } from './intent.ts';
import type { FoStatus, Line, Return } from './model.ts';
import * as fulfillment from './steps-fulfillment.ts';
import * as returns from './steps-returns.ts';

type Action = () => Promise<string | null>;

/**
 * When a step finds nothing to act on, something else moves one step along its lifecycle: a
 * fulfillment order to its next status, a shipment to delivered, delivered units into a return,
 * a return to its next status. So random sequences reach the late stages (delivery, returns,
 * refunds, exchanges of replacements) instead of stopping at the first missing link. Each
 * action is one of the regular steps, aimed at that item.
 */
export function progressActions(sim: Sim, intent: Intent): Action[] {
  const actions: Action[] = [];
  const fos = sim.model.orders.flatMap((order) => order.fos.map((fo) => ({ order, fo })));
  const aim = (status: FoStatus, id: string): Intent => ({
    ...intent,
    a: fos.filter((t) => t.fo.status === status).findIndex((t) => t.fo.id === id),
    c: 1, // never the "any status" variant
  });
  for (const { fo } of fos) {
    const next: Record<string, (s: Sim, i: Intent) => Promise<string | null>> = {
      allocated: fulfillment.accept,
      accepted: fulfillment.pickStep,
      picking: fulfillment.pack,
      packed: fo.method === 'ship' ? fulfillment.ship : fulfillment.readyForPickup,
      ready_for_pickup: fulfillment.pickedUp,
    };
    const step = next[fo.status];
    if (step) actions.push(() => step(sim, aim(fo.status, fo.id)));
  }
  const undelivered = sim.model.orders.flatMap((o) => o.shipments.filter((s) => !s.delivered));
  undelivered.forEach((_, i) => actions.push(() => fulfillment.deliver(sim, { ...intent, a: i })));
  const returnable = (l: Line) => l.delivered - l.returned - l.returnRequested > 0;
  const withReturnable = sim.model.orders.filter((o) => o.lines.some(returnable));
  withReturnable.forEach((_, i) =>
    actions.push(() =>
      (intent.flag ? returns.startExchange : returns.startReturn)(sim, { ...intent, a: i, flag: intent.b % 2 === 0 }),
    ),
  );
  const aimReturn = (statuses: Return['status'][], id: string): Intent => ({
    ...intent,
    a: sim.model.returns.filter((r) => statuses.includes(r.status)).findIndex((r) => r.id === id),
    flag: false,
  });
  for (const ret of sim.model.returns) {
    if (ret.status === 'initiated') actions.push(() => returns.authorizeReturn(sim, aimReturn(['initiated'], ret.id)));
    if (ret.status === 'authorized' || ret.status === 'received')
      actions.push(() =>
        returns.receiveReturn(sim, { ...aimReturn(['authorized', 'received'], ret.id), flag: intent.flag }),
      );
    if (ret.status === 'restocked' || ret.status === 'written_off')
      actions.push(() => returns.refundReturn(sim, aimReturn(['restocked', 'written_off'], ret.id)));
  }
  return actions;
}

/** Moves some item one step along its lifecycle; null when nothing can move. */
export async function progress(sim: Sim, intent: Intent): Promise<string | null> {
  const action = pick(progressActions(sim, intent), intent.b + intent.c);
  if (!action) return null;
  const done = await action();
  return done === null ? null : `(progress) ${done}`;
}
