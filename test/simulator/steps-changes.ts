import { call, expectEqual, type Sim } from './context.ts';
import { pick, type Intent } from './intent.ts';
import { unitsValue, type Line, type Order } from './model.ts';
import { refundChange } from './money.ts';
import { readOrder, reconcile, voidedIn } from './observe.ts';
import { predictRouting } from './routing.ts';
import { refuseUnmanaged } from './steps-orders.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- API bodies are read field by field */

const open = (o: Order) => o.status !== 'cancelled' && o.status !== 'delivered';

/** What a line asks for once its live units ship (ADR 0023): the value of its first live units. */
const lineDue = (line: Line) => unitsValue(line, 0, line.quantity - line.cancelled);

/** Units of a line a change takes back without asking a location: waiting ones and those on work not yet accepted. */
export function changeableUnits(order: Order, line: Line): number {
  const atWork = order.allocations
    .filter((a) => a.lineId === line.lineId)
    .filter((a) => {
      const fo = order.fos.find((f) => f.id === a.foId);
      return !fo || fo.status === 'allocated';
    })
    .reduce((n, a) => n + a.quantity, 0);
  return line.waiting + atWork;
}

/**
 * An order change (ADR 0023) drafted and confirmed: fewer units of a line (flag, when some can
 * be taken back: waiting first, then unstarted work; their value is voided) or more (they wait
 * for routing, and an additional authorization covers their value — declined by the test
 * gateway for amounts ending in .02 or .51, which leaves the order as it was, on a payment hold).
 */
export async function changeOrder(sim: Sim, intent: Intent) {
  const order = pick(sim.model.orders.filter(open), intent.a);
  if (!order) return null;
  const line = pick(order.lines, intent.b)!;
  if (!order.managed)
    return refuseUnmanaged(sim, order, 'changes', {
      reason: 'simulated change',
      actions: [{ type: 'change_quantity', line_id: line.lineId, quantity: line.quantity + 1 }],
    });
  const changeable = changeableUnits(order, line);
  const live = line.quantity - line.cancelled;
  const fewer = intent.flag && changeable > 0;
  const units = fewer ? 1 + (intent.c % changeable) : 1 + (intent.c % 2);
  const wanted = fewer ? live - units : live + units;
  const action =
    wanted === 0
      ? { type: 'remove_line', line_id: line.lineId }
      : { type: 'change_quantity', line_id: line.lineId, quantity: wanted };
  const before = lineDue(line);
  const after: Line = fewer
    ? { ...line, cancelled: line.cancelled + units }
    : {
        ...line,
        quantity: line.quantity + units,
        discountMinor: line.discountMinor + units * Math.floor(line.discountMinor / line.quantity),
        taxMinor: line.taxMinor + units * Math.floor(line.taxMinor / line.quantity),
      };
  const delta = lineDue(after) - before;
  if (['shipped', 'partially_delivered'].includes(order.status)) {
    await call(sim, 'POST', `/v1/orders/${order.id}/changes`, { reason: 'simulated change', actions: [action] }, [
      '409 illegal_transition',
    ]);
    return `change ${order.id}: refused, the order is ${order.status}`;
  }
  const drafted = await call(
    sim,
    'POST',
    `/v1/orders/${order.id}/changes`,
    { reason: 'simulated change', actions: [action] },
    [201],
  );
  expectEqual(drafted.body.preview?.delta?.amount, delta, `change of ${order.id}: previewed delta`);
  const confirmed = await call(sim, 'POST', `/v1/orders/${order.id}/changes/${drafted.body.id}/confirm`, {}, [200]);
  const declined = delta > 0 && [2, 51].includes(delta % 100);
  expectEqual(confirmed.body.status, declined ? 'declined' : 'confirmed', `change of ${order.id}: status`);
  const what = `change ${order.id} ${line.lineId} ${live}→${wanted} (${delta >= 0 ? '+' : ''}${delta})`;
  if (declined) {
    if (!order.holds.includes('payment')) order.holds.push('payment');
    reconcile(sim, order, await readOrder(sim, order.id));
    return `${what} declined → payment hold`;
  }
  const view = await readOrder(sim, order.id);
  const refunded = delta < 0 ? refundChange(order, delta, voidedIn(view) - order.money.voidedMinor) : 0;
  if (fewer) {
    const fromWaiting = Math.min(units, line.waiting);
    line.waiting -= fromWaiting;
    line.allocated -= units - fromWaiting;
    line.cancelled += units;
  } else {
    line.quantity = after.quantity;
    line.discountMinor = after.discountMinor;
    line.taxMinor = after.taxMinor;
    line.waiting += units;
    order.money.authorizedMinor += delta;
  }
  order.money.totalMinor += delta;
  for (const fo of order.fos)
    if (
      (fo.status === 'allocated' || fo.status === 'accepted') &&
      !view.allocations.some((a: any) => a.status === 'reserved' && a.fulfillment_order_id === fo.id)
    )
      fo.status = 'cancelled';
  if (order.lines.every((l) => l.waiting === 0)) order.holds = order.holds.filter((h) => h !== 'routing');
  else predictRouting(sim.model, order, [], 'hold');
  reconcile(sim, order, view);
  return `${what.replace('change', refunded > 0 ? 'change+refund' : 'change')}${refunded > 0 ? ` (refunded ${refunded})` : ''} → ${order.status}`;
}
