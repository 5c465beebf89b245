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
import {
  DEFAULT_OVERSTOCK_DAYS,
  inventoryTurnover,
  listOverstock,
  stockHealth,
  type OverstockKey,
} from './inventory.ts';
import { countLowStock, DEFAULT_LOW_STOCK_THRESHOLD, listLowStock } from './low-stock.ts';
import { ordersPerDay, topChannels } from './orders.ts';
import { reportResponses, type ReportName } from './schemas.ts';
import { header, previousPeriod, RangeQuery, resolveScope, type RangeParams, type ReportScope } from './scope.ts';

interface ReportParams extends RangeParams {
  sla_hours?: number;
  overstock_days?: number;
  compare?: 'previous';
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

const CompareQuery = {
  compare: Type.Optional(
    Type.Literal('previous', {
      description: 'Also compute the figures of the same number of days just before `from`, as `previous`',
    }),
  ),
};

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
          querystring: Type.Object({ ...RangeQuery, ...CompareQuery, ...report.query }),
          response: { 200: reportResponses[name] },
        },
      },
      async (request, reply) => {
        const answer = await reads(request, async (db) => {
          const scope = await resolveScope(db, request.principal, request.query);
          if (!scope.ok) return scope;
          const figures = await report.run(db, scope.value, request.query);
          if (request.query.compare !== 'previous') return ok({ ...header(name, scope.value), ...figures });
          const before = previousPeriod(scope.value);
          const previous = { from: before.from, to: before.to, ...(await report.run(db, before, request.query)) };
          return ok({ ...header(name, scope.value), ...figures, previous });
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
  overstockRoute(app, reads);
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

/** A keyset cursor: the last row's sort key, a JSON array of numbers and strings of the given kinds. */
function sortKeyCursor<K extends (number | string)[]>(cursor: string | undefined, kinds: ('number' | 'string')[]) {
  const after = decodeCursor<string>(cursor, 'string');
  if (after === undefined) return undefined;
  const key: unknown = (() => {
    try {
      return JSON.parse(after);
    } catch {
      return undefined;
    }
  })();
  if (Array.isArray(key) && key.length === kinds.length && kinds.every((kind, i) => typeof key[i] === kind)) {
    return key as K;
  }
  throw new ProblemError(problem('validation_failed', 'cursor is not one this API issued; start again without it.'));
}

const nextCursor = (more: boolean, key: unknown[] | undefined) =>
  more && key ? encodeCursor(JSON.stringify(key)) : null;

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
      const key = sortKeyCursor<[number, string, string]>(cursor, ['number', 'string', 'string']);
      const after = key && { available: key[0], sku: key[1], locationId: key[2] };
      const [rows, total] = await reads(request, async (db) => [
        await listLowStock(db, { threshold, locationId: location_id, after, limit: limit + 1 }),
        await countLowStock(db, { threshold, locationId: location_id }),
      ]);
      const data = rows.slice(0, limit);
      const last = data.at(-1);
      return {
        threshold,
        total,
        data,
        next_cursor: nextCursor(rows.length > limit, last && [last.available, last.sku, last.location_id]),
      };
    },
  );
}

const OverstockQuery = Type.Object({
  ...RangeQuery,
  overstock_days: optionalInteger(3650, DEFAULT_OVERSTOCK_DAYS, 'Days of cover above which stock is overstock'),
  location_id: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 300 })),
});

function overstockRoute(app: FastifyInstance, reads: ReadOn): void {
  app.get<{
    Querystring: RangeParams & { overstock_days?: number; location_id?: string; limit: number; cursor?: string };
  }>(
    '/inventory/overstock',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags: ['inventory'],
        summary:
          'Overstock: free stock unsold in the range or with more days of cover than overstock_days, worst first',
        querystring: OverstockQuery,
      },
    },
    async (request, reply) => {
      const { overstock_days = DEFAULT_OVERSTOCK_DAYS, location_id, limit, cursor } = request.query;
      const after = sortKeyCursor<OverstockKey>(cursor, ['number', 'number', 'number', 'string', 'string']);
      const answer = await reads(request, async (db) => {
        const scope = await resolveScope(db, request.principal, request.query);
        if (!scope.ok) return scope;
        const filter = { overstockDays: overstock_days, locationId: location_id, after, limit: limit + 1 };
        return ok({ scope: scope.value, list: await listOverstock(db, scope.value, filter) });
      });
      if (!answer.ok) return sendProblem(reply, answer.problem);
      const { scope, list } = answer.value;
      return {
        from: scope.from,
        to: scope.to,
        overstock_days,
        total: list.total,
        data: list.rows.slice(0, limit),
        next_cursor: nextCursor(list.rows.length > limit, list.keys[limit - 1]),
      };
    },
  );
}
