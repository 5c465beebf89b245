import { Type, type TProperties } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/index.ts';
import type { AppContext } from '../http/app.ts';
import { sendProblem } from '../http/errors.ts';
import { decodeCursor, encodeCursor } from '../http/pagination.ts';
import { problem, ProblemError } from '../shared/problem.ts';
import { ok } from '../shared/result.ts';
import type { ReadOn } from '../http/read-after.ts';
import { DEFAULT_SLA_HOURS, fulfillmentReport } from './fulfillment.ts';
import { DEFAULT_OVERSTOCK_DAYS, inventoryTurnover, stockHealth } from './inventory.ts';
import { DEFAULT_LOW_STOCK_THRESHOLD, listLowStock } from './low-stock.ts';
import { ordersPerDay, topChannels } from './orders.ts';
import { reportResponses, type ReportName } from './schemas.ts';
import { header, RangeQuery, resolveScope, type RangeParams, type ReportScope } from './scope.ts';

interface ReportParams extends RangeParams {
  sla_hours?: number;
  overstock_days?: number;
}

interface Report {
  summary: string;
  query: TProperties;
  run: (db: Db, scope: ReportScope, params: ReportParams) => Promise<object>;
}

const optionalInteger = (maximum: number, value: number, description: string) =>
  Type.Optional(Type.Integer({ minimum: 1, maximum, default: value, description }));

/** Every dashboard report, by the name in its path. Definitions: docs/reports.md. */
const reports: Record<ReportName, Report> = {
  'orders-per-day': {
    summary: 'Orders and revenue per day, channel and currency, with totals (cancelled orders left out)',
    query: {},
    run: ordersPerDay,
  },
  fulfillment: {
    summary: 'Fulfillment rate, time to ship (average, p90), SLA hits, split shipments, cancellations, returns',
    query: { sla_hours: optionalInteger(720, DEFAULT_SLA_HOURS, 'Hours from order to ship') },
    run: (db, scope, params) => fulfillmentReport(db, scope, params.sla_hours ?? DEFAULT_SLA_HOURS),
  },
  'inventory-turnover': {
    summary: 'Units shipped from each location in the range ÷ its current on hand',
    query: {},
    run: inventoryTurnover,
  },
  'stock-health': {
    summary: 'Stock-outs and overstock (days of cover above overstock_days, or no sales), worst first',
    query: {
      overstock_days: optionalInteger(3650, DEFAULT_OVERSTOCK_DAYS, 'Days of cover above which stock is overstock'),
    },
    run: (db, scope, params) => stockHealth(db, scope, params.overstock_days ?? DEFAULT_OVERSTOCK_DAYS),
  },
  'top-channels': {
    summary: 'Orders and revenue per channel and currency, most orders first',
    query: {},
    run: topChannels,
  },
};

const reportNames = Object.keys(reports);

export function reportRoutes(app: FastifyInstance, { reads }: AppContext): void {
  const tags = ['reports'];
  for (const [name, report] of Object.entries(reports) as [ReportName, Report][]) {
    app.get<{ Querystring: ReportParams }>(
      `/reports/${name}`,
      {
        config: { permission: 'reports:read' },
        schema: {
          tags,
          summary: report.summary,
          querystring: Type.Object({ ...RangeQuery, ...report.query }),
          response: { 200: reportResponses[name] },
        },
      },
      async (request, reply) => {
        const answer = await reads(request, async (db) => {
          const scope = await resolveScope(db, request.principal, request.query);
          if (!scope.ok) return scope;
          return ok({ ...header(name, scope.value), ...(await report.run(db, scope.value, request.query)) });
        });
        return answer.ok ? answer.value : sendProblem(reply, answer.problem);
      },
    );
  }
  app.get<{ Params: { name: string } }>(
    '/reports/:name',
    {
      config: { permission: 'reports:read' },
      schema: { hide: true, params: Type.Object({ name: Type.String({ maxLength: 100 }) }) },
    },
    async (request, reply) =>
      sendProblem(
        reply,
        problem('not_found', `No report ${request.params.name}; the reports are ${reportNames.join(', ')}.`, {
          reports: reportNames,
        }),
      ),
  );
  lowStockRoute(app, reads);
}

const LowStockQuery = Type.Object({
  threshold: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 1_000_000_000,
      description: `At most this many available; default ${DEFAULT_LOW_STOCK_THRESHOLD} (free stock within ${DEFAULT_LOW_STOCK_THRESHOLD} units of the safety stock)`,
    }),
  ),
  location_id: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 300 })),
});

/** The low-stock cursor is the last row's sort key: `[available, sku, location_id]`. */
function lowStockCursor(cursor: string | undefined) {
  const after = decodeCursor<string>(cursor, 'string');
  if (after === undefined) return undefined;
  const key: unknown = (() => {
    try {
      return JSON.parse(after);
    } catch {
      return undefined;
    }
  })();
  if (Array.isArray(key) && typeof key[0] === 'number' && typeof key[1] === 'string' && typeof key[2] === 'string') {
    return { available: key[0], sku: key[1], locationId: key[2] };
  }
  throw new ProblemError(problem('validation_failed', 'cursor is not one this API issued; start again without it.'));
}

function lowStockRoute(app: FastifyInstance, reads: ReadOn): void {
  app.get<{ Querystring: { threshold?: number; location_id?: string; limit: number; cursor?: string } }>(
    '/inventory/low-stock',
    {
      config: { permission: 'inventory:read' },
      schema: {
        tags: ['inventory'],
        summary: 'Low stock: levels with at most `threshold` available to promise, emptiest first',
        querystring: LowStockQuery,
      },
    },
    async (request) => {
      const { threshold = DEFAULT_LOW_STOCK_THRESHOLD, location_id, limit, cursor } = request.query;
      const after = lowStockCursor(cursor);
      const rows = await reads(request, (db) =>
        listLowStock(db, { threshold, locationId: location_id, after, limit: limit + 1 }),
      );
      const data = rows.slice(0, limit);
      const last = data.at(-1);
      const next = rows.length > limit && last ? JSON.stringify([last.available, last.sku, last.location_id]) : null;
      return { threshold, data, next_cursor: next ? encodeCursor(next) : null };
    },
  );
}
