import { problem } from './problem.ts';
import { fail, type Result } from './result.ts';

/**
 * The refusal of every step Consign takes on its own orders (route, reroute, cancel, change, hold,
 * capture) when the order was imported from a previous system as it was (ADR 0047).
 */
export function refuseUnmanaged(orderId: string, step: string): Result<never> {
  return fail(
    problem(
      'order_unmanaged',
      `Order ${orderId} was imported from a previous system as it was; Consign does not ${step} it.`,
      { order_id: orderId },
    ),
  );
}
