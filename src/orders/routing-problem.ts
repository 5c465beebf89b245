import type { PlanResult } from '../routing/index.ts';
import { problem, type Problem } from '../shared/problem.ts';

/** Why an order that must be routed now cannot be: the problem its capture (or re-route) is refused with. */
export function routingProblem(result: PlanResult): Problem {
  const reason = result.rejection?.message ?? 'no location can fulfil the order';
  const data = { shortfalls: result.shortfalls, routing: result.explanation };
  const limit = result.rejection?.maxShipments;
  if (result.rejection?.code === 'max_shipments_exceeded' && limit !== undefined) {
    const shipments = `${limit} shipment${limit === 1 ? '' : 's'}`;
    return problem(
      'max_shipments_exceeded',
      `The order cannot be routed: ${reason} The active routing rules allow at most ${shipments} per order (maxShipments), ` +
        'and the stock of its lines is spread over more locations. Raise or clear maxShipments (PUT /v1/routing/rules), ' +
        'move stock so fewer locations can fill the order, or split it into several orders.',
      { ...data, max_shipments: limit },
    );
  }
  const short = result.rejection?.code === 'insufficient_stock' || result.shortfalls.length > 0;
  return problem(short ? 'insufficient_stock' : 'conflict', `The order cannot be routed: ${reason}`, data);
}
