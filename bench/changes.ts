import { drive, type DriveOptions, type DriveResult } from './drive.ts';
import { ApiClient, type HttpCall } from './loadgen.ts';
import type { BenchNetwork } from './network.ts';
import { orderCall, orderNumbers, orderSampler } from './orders.ts';
import type { Target } from './scenarios.ts';
import { summarize, type Summary } from './stats.ts';

export const CHANGE_CONCURRENCIES = [1, 8] as const;

export interface ChangeRow {
  concurrency: number;
  /** One operation = place an order, draft a change of it (with its preview), confirm the change. */
  result: DriveResult;
  /** The confirmation alone: additional authorization, lines, routing of the new unit, version. */
  confirm: Summary;
  /** The draft alone: checked, stored and previewed (applied in a savepoint that is rolled back). */
  draft: Summary;
  /** Confirmations whose additional authorization the test gateway declined (amounts ending in .02 or .51). */
  declined: number;
}

const post = (path: string, body: unknown): HttpCall => ({ method: 'POST', path, body: JSON.stringify(body) });

/**
 * Closed-loop order changes: each operation places a 1-line order, drafts a change that adds a
 * unit to its line (a dearer order: the confirmation takes an additional authorization through
 * the test gateway and routes the new unit) and confirms it. The draft and the confirmation are
 * timed on their own, to set beside a plain `POST /v1/orders`.
 */
export async function measureChanges(target: Target, network: BenchNetwork, options: DriveOptions): Promise<ChangeRow> {
  const client = new ApiClient(target.url, target.apiKey, options.concurrency);
  const next = orderSampler(network.orders, () => 1);
  const number = orderNumbers('BENCH-CHANGE');
  const confirms: number[] = [];
  const drafts: number[] = [];
  let declined = 0;
  const started = performance.now();
  try {
    const result = await drive(options, async () => {
      const placed = await client.expect(orderCall(network.orders, next(), number()), [201]);
      const order = JSON.parse(placed.body.toString('utf8')) as { id: string };
      const action = { type: 'change_quantity', line_id: 'L1', quantity: 2 };
      const t0 = performance.now();
      const drafted = await client.expect(
        post(`/v1/orders/${order.id}/changes`, { reason: 'bench', actions: [action] }),
        [201],
      );
      const t1 = performance.now();
      const change = JSON.parse(drafted.body.toString('utf8')) as { id: string };
      const confirmed = await client.expect(post(`/v1/orders/${order.id}/changes/${change.id}/confirm`, {}), [200]);
      const t2 = performance.now();
      if ((JSON.parse(confirmed.body.toString('utf8')) as { status: string }).status === 'declined') declined++;
      drafts.push(t1 - t0);
      confirms.push(t2 - t1);
    });
    const elapsed = performance.now() - started;
    return {
      concurrency: options.concurrency,
      result,
      confirm: summarize(confirms, 0, elapsed),
      draft: summarize(drafts, 0, elapsed),
      declined,
    };
  } finally {
    client.close();
  }
}
