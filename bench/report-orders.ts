import os from 'node:os';
import type { EngineResult } from './engine-run.ts';
import { CHANGE_CONCURRENCIES } from './changes.ts';
import { FLOW_CONCURRENCIES } from './flows.ts';
import { ORDER_CHANNEL, ORDER_LOCATIONS, ORDER_NETWORK_SIZE } from './order-network.ts';
import { ORDER_CONCURRENCIES, ORDER_LINES, ORDER_SOURCES, SHOPIFY_SOURCE } from './orders.ts';
import { integer, millis, percent, rateCell, versusFloorCells, type Table } from './table.ts';
import { TARGETS } from './targets.ts';

const numeric = (...columns: number[]) => new Set(columns);
const rate = (value: number) => (Number.isFinite(value) && value < 10 ? value.toFixed(1) : integer(value));
const fine = (value: number) => (Number.isFinite(value) ? value.toFixed(3) : '—');

export function ordersTable(results: EngineResult[]): Table {
  return {
    title: `Orders end to end: ${ORDER_LINES} lines × 1 unit, ${ORDER_LOCATIONS} locations, routing at the default rules`,
    headers: [
      'Engine',
      'Source',
      'Conc.',
      'Orders/s',
      'p50 ms',
      'p99 ms',
      'Errors',
      'Floor orders/s',
      'Floor p50 ms',
      'Floor p99 ms',
      'API/floor',
    ],
    numeric: numeric(2, 3, 4, 5, 6, 7, 8, 9, 10),
    rows: results.flatMap((r) =>
      r.orders.map((o) => [r.engine, o.source, String(o.concurrency), ...versusFloorCells(o.api, o.floor, rate)]),
    ),
  };
}

/**
 * Where an order's CPU goes on PostgreSQL, beside the floor's transaction, and what a share of
 * the floor's rate would leave: on this machine's cores, `TARGETS.orderShareOfFloor` of the
 * floor's orders/s allows at most cores ÷ that rate of CPU per order, for the server, PostgreSQL
 * and the load generator together.
 */
export function orderCpuTable(results: EngineResult[]): Table | undefined {
  const rows = results
    .filter((r) => r.engine === 'postgres')
    .flatMap((r) => r.orders.filter((o) => o.cpu !== undefined && o.source === ORDER_SOURCES[0]!.label))
    .map((o) => {
      const cpu = o.cpu!;
      const floor = o.floorCpu;
      const floorRate = o.floor?.opsPerSec ?? Number.NaN;
      const budget = (os.availableParallelism() * 1000) / (TARGETS.orderShareOfFloor * floorRate);
      return [
        String(o.concurrency),
        rate(o.api.opsPerSec),
        fine(cpu.serverMs),
        fine(cpu.postgresMs),
        fine(cpu.benchMs),
        fine(cpu.serverMs + cpu.postgresMs + cpu.benchMs),
        fine(floor?.postgresMs ?? Number.NaN),
        fine(floor?.benchMs ?? Number.NaN),
        fine(floor ? floor.postgresMs + floor.benchMs : Number.NaN),
        fine(budget),
      ];
    });
  if (rows.length === 0) return undefined;
  return {
    title: `Orders: CPU ms per order on PostgreSQL (POST /v1/orders and its floor, from /proc, ${os.availableParallelism()} cores)`,
    headers: [
      'Conc.',
      'Orders/s',
      'Server',
      'PostgreSQL',
      'Load generator',
      'Total',
      'Floor: PostgreSQL',
      'Floor: client',
      'Floor: total',
      `Total allowed at ${TARGETS.orderShareOfFloor * 100}% of the floor`,
    ],
    numeric: numeric(0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    rows,
  };
}

/** Shopify-shaped connector orders beside plain `POST /v1/orders`: what signature, parsing and mapping cost. */
export function connectorTable(results: EngineResult[]): Table {
  const rows = results.flatMap((r) =>
    ORDER_CONCURRENCIES.flatMap((concurrency) => {
      const at = r.orders.filter((o) => o.concurrency === concurrency);
      const plain = at.find((o) => o.source === ORDER_SOURCES[0]!.label);
      const shopify = at.find((o) => o.source === SHOPIFY_SOURCE);
      if (!plain || !shopify) return [];
      const ratio = plain.api.opsPerSec > 0 ? shopify.api.opsPerSec / plain.api.opsPerSec : NaN;
      return [[r.engine, String(concurrency), rate(shopify.api.opsPerSec), rate(plain.api.opsPerSec), percent(ratio)]];
    }),
  );
  return {
    title: 'Connector orders: Shopify webhook orders/s beside POST /v1/orders with the same content',
    headers: ['Engine', 'Conc.', 'Shopify orders/s', 'POST /v1/orders orders/s', 'Connector/plain'],
    numeric: numeric(1, 2, 3, 4),
    rows,
  };
}

export function flowsTable(results: EngineResult[]): Table {
  return {
    title: 'Order → ship → deliver flows: order, accept, pick, pack, ship, delivered tracking event, order read back',
    headers: ['Engine', 'Conc.', 'Flows/s', 'p50 ms', 'p99 ms', 'max ms', 'Calls/flow', 'Errors'],
    numeric: numeric(1, 2, 3, 4, 5, 6, 7),
    rows: results.flatMap((r) =>
      r.flows.map((f) => [
        r.engine,
        String(f.concurrency),
        rateCell(f.result, rate),
        millis(f.result.p50Ms),
        millis(f.result.p99Ms),
        millis(f.result.maxMs),
        Number.isFinite(f.callsPerFlow) ? f.callsPerFlow.toFixed(1) : '—',
        String(f.result.errors),
      ]),
    ),
  };
}

export function outboxTable(results: EngineResult[]): Table {
  return {
    title: 'Webhook delivery: the server’s dispatcher, outbox → signed POSTs to a local receiver',
    headers: [
      'Engine',
      'Events',
      'Tick ms',
      'Commit → last delivery ms',
      'Events/s',
      'Lag p50 ms',
      'Lag p99 ms',
      'Duplicates',
      'Steady events/s',
      'Steady lag p50 ms',
      'Steady lag p99 ms',
    ],
    numeric: numeric(1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
    rows: results.map((r) => [
      r.engine,
      integer(r.outbox.events),
      integer(r.outbox.intervalMs),
      integer(r.outbox.ms),
      integer(r.outbox.eventsPerSec),
      integer(r.outbox.lagP50Ms),
      integer(r.outbox.lagP99Ms),
      String(r.outbox.duplicates),
      integer(r.outbox.steady.eventsPerSec),
      millis(r.outbox.steady.lagP50Ms),
      millis(r.outbox.steady.lagP99Ms),
    ]),
  };
}

const list = (values: readonly number[]) => values.join('/');

/** The method of the order, flow, webhook and planner scenarios, for docs/benchmarks.md. */
/** How the order-change rows are measured (also written into docs/benchmarks.md). */
const CHANGES_METHOD = `- Order changes: a closed loop that places a 1-line order, drafts a change adding a unit to its line (\`POST /v1/orders/{id}/changes\`: checked, stored and previewed by applying it in a savepoint that is rolled back) and confirms it (\`…/confirm\`: an additional authorization of the delta through the \`test\` gateway, the line grown, the new unit routed and reserved, the version and totals written, events). The draft and the confirmation are timed on their own and set beside the plain \`POST /v1/orders\` p50 at the same concurrency. Declined: confirmations the test gateway declined (deltas ending in .02 or .51), which put the order on a payment hold instead. Concurrency ${list(CHANGE_CONCURRENCIES)}.`;

export function ordersMethod(outboxEvents: number): string {
  return `- Order network: ${ORDER_NETWORK_SIZE.distributionCentres} distribution centres and ${ORDER_NETWORK_SIZE.stores} stores at real US ZIP centroids (seeded), all shipping, in one location group behind the \`${ORDER_CHANNEL}\` channel, each holding all ${ORDER_NETWORK_SIZE.skus} order SKUs (on_hand ${ORDER_NETWORK_SIZE.onHand.toLocaleString('en-US')}). Routing rules are the defaults, so an order ships whole from the location nearest its customer.
- Orders: \`POST /v1/orders\` on the \`${ORDER_CHANNEL}\` channel with ${ORDER_LINES} distinct SKUs × 1 unit, a shipping address with a US ZIP and its coordinates (one of 2,000 ZIP centroids), money that adds up (lines − discount + shipping + tax = total), a \`test\` gateway payment authorization for the total, a unique external_id and a unique \`Idempotency-Key\`; 201 with the routed fulfillment orders counts. Concurrency ${list(ORDER_CONCURRENCIES)}; as orders and flows can outlast a short window, their window stays open until each worker has started at least 3 operations in it.
- Connector orders: the same samples as Shopify \`orders/create\` webhooks on \`POST /v1/connectors/shopify/orders\` (the channel's connector set to Shopify first): IDs above 2^53, prices as decimal strings, the same discount, shipping, tax and total, signed with \`X-Shopify-Hmac-Sha256\`; the connector checks the signature on the raw body, parses the IDs exactly, maps the order and places it as \`POST /v1/orders\` does. Measured against the same floor, and set beside the plain rate at the same concurrency.
- Orders floor: per order \`BEGIN\`, then for each of its ${ORDER_LINES} lines (in SKU order, the order in which Consign locks them) the guarded \`UPDATE stock_levels … RETURNING\` and a ledger row at the location routing ships from (the nearest to the customer; every location holds every SKU), \`COMMIT\` — prepared statements, N workers, the same database; measured right after the API row on PostgreSQL, in-process after the server has exited on PGlite, as for holds. API/floor is orders/s over floor orders/s.
- CPU per order (PostgreSQL, Linux): CPU time (user + system, from /proc) of the server process, of every PostgreSQL process and of the bench process, read before and after each \`POST /v1/orders\` row and each floor row and divided by the operations run in it, warm-up included. Besides the order's transaction the server's background workers (outbox followers, sweepers) run in it, idle but ticking. The last column is the most CPU an order may use, server, PostgreSQL and load generator together, for the API to reach the target's share of the floor's rate on this machine's cores.
- Flows: a closed loop of whole order lives through the API — \`POST /v1/orders\` with 1–2 lines, then per fulfillment order \`accept\`, \`pick\`, \`pack\`, \`ship\` (carrier and tracking number), a \`delivered\` event on \`POST /v1/shipments/{id}/tracking-events\`, and \`GET /v1/orders/{id}\`, which must say \`delivered\`. One operation is one flow; its latency runs from the order's POST to the read-back. Concurrency ${list(FLOW_CONCURRENCIES)}.
${CHANGES_METHOD}
- Webhook delivery (first on each server, while the dispatcher has only the set-up's events behind it): a node:http receiver on 127.0.0.1 answers 200 to every POST and counts it. A subscription to \`inventory.availability_changed\` is created through the API; a one-row feed is sent and its delivery awaited, so the dispatcher has caught up with every older event; then one snapshot feed of ${outboxEvents.toLocaleString('en-US')} rows commits ${outboxEvents.toLocaleString('en-US')} events at once. Events/s = events ÷ the time from that feed's answer (its commit) to the last delivery received. Lag = receipt time − the event's created_at (the delivery's \`timestamp\`). The dispatcher runs inside \`consign serve\` at its settings (tick = CONSIGN_WEBHOOK_INTERVAL_MS, default 1,000 ms, the fallback: committed events wake it at once; at most 10 claims of 200 deliveries per run, each claim's POSTs sent together over keep-alive connections (at most 64 per receiver) and their successes recorded in one statement, the next claim made while the last one's POSTs are out, and a run that stopped at that cap is followed at once by the next). Then a steady phase: a snapshot feed of 15 rows (15 events) every 50 ms for 5 s, on the schedule's clock, so 300 events/s; steady lag is measured over those events once all are delivered. The subscription is paused afterwards. \`--scenario webhooks\` runs only this, 3 times on one server per engine, and when a NATS server answers on 127.0.0.1:4222 the server also publishes to a JetStream stream of its own (deleted afterwards), where an ordered consumer started before the first feed times the same events: events/s from the feed's answer to the last message received, lag = receipt − the message's \`created_at\`.
- Routing planner: \`plan\` on 5-line orders over 200 candidate locations (20 distribution centres, 180 stores with popularity-skewed stock) in memory, no database, measured once per run before the engines; decisions/s = 1 ÷ mean decision time.`;
}

export function changesTable(results: EngineResult[]): Table {
  return {
    title: 'Order changes: draft (with preview) and confirm of a dearer change, beside a plain POST /v1/orders',
    headers: [
      'Engine',
      'Conc.',
      'Changes/s',
      'Draft p50 ms',
      'Confirm p50 ms',
      'Confirm p99 ms',
      'Plain order p50 ms',
      'Confirm/order p50',
      'Declined',
      'Errors',
    ],
    numeric: numeric(1, 2, 3, 4, 5, 6, 7, 8, 9),
    rows: results.flatMap((r) =>
      r.changes.map((c) => {
        const plain = r.orders.find((o) => o.source === ORDER_SOURCES[0]!.label && o.concurrency === c.concurrency);
        return [
          r.engine,
          String(c.concurrency),
          rateCell(c.result, rate),
          millis(c.draft.p50Ms),
          millis(c.confirm.p50Ms),
          millis(c.confirm.p99Ms),
          plain ? millis(plain.api.p50Ms) : '—',
          plain ? `${(c.confirm.p50Ms / plain.api.p50Ms).toFixed(2)}×` : '—',
          String(c.declined),
          String(c.result.errors),
        ];
      }),
    ),
  };
}
