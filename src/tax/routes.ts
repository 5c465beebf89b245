import { Type } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { canSeeChannel } from '../auth/index.ts';
import { inTransaction, queryOne } from '../db/index.ts';
import type { AppContext } from '../http/app.ts';
import { sendProblem } from '../http/errors.ts';
import { problem } from '../shared/problem.ts';
import { ok } from '../shared/result.ts';
import { orderTax } from './read.ts';
import { RatesBody, SettingsBody, TaxCodeBody } from './schemas.ts';
import { readTaxSettings, writeTaxSettings } from './settings.ts';
import { forgetTaxSettings, watchTaxSettings } from './settings-cache.ts';
import { checkRates, listRates, replaceRates } from './table.ts';

/** Tax settings, the built-in rate table, product tax codes, and an order's tax. */
export function taxRoutes(app: FastifyInstance, { database }: AppContext): void {
  const { db } = database;
  const watching = watchTaxSettings(database);
  app.addHook('onClose', async () => (await watching)());
  const tags = ['tax'];
  const read = { permission: 'tax:read' } as const;
  const configure = { permission: 'tax:configure' } as const;

  app.get('/tax/settings', { config: read, schema: { tags, summary: 'How Consign computes tax' } }, async () => {
    return (await readTaxSettings(db)) ?? { engine: null };
  });
  app.put<{ Body: SettingsBody }>(
    '/tax/settings',
    {
      config: configure,
      schema: { tags, summary: 'Choose the tax engine, its failure policy and price mode', body: SettingsBody },
    },
    async (request) => {
      await inTransaction(db, async (tx) => ok(await writeTaxSettings(tx, request.body)));
      forgetTaxSettings(); // at once here; other processes when the notification reaches them
      return readTaxSettings(db);
    },
  );
  app.get('/tax/rates', { config: read, schema: { tags, summary: 'The built-in rate table' } }, async () => ({
    data: await listRates(db),
  }));
  app.put<{ Body: RatesBody }>(
    '/tax/rates',
    {
      config: configure,
      schema: { tags, summary: 'Replace the built-in rate table', body: RatesBody },
    },
    async (request, reply) => {
      const bad = checkRates(request.body.rates);
      if (bad) return sendProblem(reply, bad);
      await inTransaction(db, async (tx) => {
        await replaceRates(tx, request.body.rates);
        return ok(undefined);
      });
      return { data: await listRates(db) };
    },
  );
  app.put<{ Params: { sku: string }; Body: { tax_code: string } }>(
    '/products/:sku/tax-code',
    {
      config: configure,
      schema: {
        tags,
        summary: 'Set the product’s tax code (AvaTax `taxCode`, and the key of product rows in the rate table)',
        params: Type.Object({ sku: Type.String({ maxLength: 100 }) }),
        body: TaxCodeBody,
      },
    },
    async (request, reply) => {
      const { sku } = request.params;
      const known = await queryOne(db, sql`select 1 from products where sku = ${sku}`);
      if (!known) return sendProblem(reply, problem('unknown_sku', `No product ${sku}.`));
      await db.execute(sql`insert into product_tax_codes (sku, tax_code) values (${sku}, ${request.body.tax_code})
                           on conflict (sku) do update set tax_code = excluded.tax_code`);
      return { sku, tax_code: request.body.tax_code };
    },
  );
  app.get<{ Params: { id: string } }>(
    '/orders/:id/tax',
    {
      config: read,
      schema: {
        tags,
        summary: 'The order’s tax per line, as quoted, committed and given back',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
      },
    },
    async (request, reply) => {
      const order = await queryOne<{ channel_id: string }>(
        db,
        sql`select channel_id from orders where id = ${request.params.id}`,
      );
      if (!order || !canSeeChannel(request.principal, order.channel_id))
        return sendProblem(reply, problem('not_found', `No order ${request.params.id}.`));
      return orderTax(db, request.params.id);
    },
  );
}
