import { Type } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { queryOne, type Db } from '../db/index.ts';
import type { AppContext } from '../http/app.ts';
import { sendProblem } from '../http/errors.ts';
import { problem } from '../shared/problem.ts';
import { renderInvoicePdf } from './pdf.ts';
import { getInvoice, invoicesOfOrder } from './read.ts';
import { canSeeChannel } from '../auth/index.ts';

const IdParams = Type.Object({
  id: Type.String({ maxLength: 72, description: 'Invoice ID; `inv_….pdf` answers with the PDF' }),
});

/** Channel keys see only their own channel's orders (and so their invoices); others see all. */
async function orderVisible(db: Db, request: FastifyRequest, orderId: string): Promise<boolean> {
  const order = await queryOne<{ channel_id: string }>(db, sql`select channel_id from orders where id = ${orderId}`);
  const principal = request.principal;
  return order !== undefined && canSeeChannel(principal, order.channel_id);
}

async function sendInvoice(db: Db, request: FastifyRequest, reply: FastifyReply, id: string, asPdf: boolean) {
  const invoice = await getInvoice(db, id);
  if (!invoice || !(await orderVisible(db, request, invoice.order_id)))
    return sendProblem(reply, problem('not_found', `No invoice ${id}.`));
  if (!asPdf) return reply.send(invoice);
  const pdf = await renderInvoicePdf(invoice.document);
  return reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${invoice.number}.pdf"`)
    .send(pdf);
}

const wantsPdf = (request: FastifyRequest) =>
  /application\/pdf/.test(request.headers.accept ?? '') && !/application\/json/.test(request.headers.accept ?? '');

export function invoiceRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  const tags = ['invoices'];
  const read = { permission: 'orders:read' } as const;
  app.get<{ Params: { id: string } }>(
    '/invoices/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'An invoice or credit memo with its full JSON document',
        description: 'Append `.pdf` to the ID (or send `Accept: application/pdf`) for the printable PDF.',
        params: IdParams,
      },
    },
    (request, reply) => {
      const id = request.params.id;
      const pdf = id.endsWith('.pdf');
      return sendInvoice(db, request, reply, pdf ? id.slice(0, -4) : id, pdf || wantsPdf(request));
    },
  );
  app.get<{ Params: { id: string } }>(
    '/invoices/:id/pdf',
    {
      config: read,
      schema: {
        tags,
        summary: 'The invoice or credit memo as a PDF (A4)',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: {
          200: {
            description: 'The PDF, rendered from the JSON document',
            content: { 'application/pdf': { schema: Type.String({ format: 'binary' }) } },
          },
        },
      },
    },
    (request, reply) => sendInvoice(db, request, reply, request.params.id, true),
  );
  app.get<{ Params: { id: string } }>(
    '/orders/:id/invoices',
    {
      config: read,
      schema: {
        tags,
        summary: "The order's invoices and credit memos, oldest first",
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
      },
    },
    async (request, reply) => {
      if (!(await orderVisible(db, request, request.params.id)))
        return sendProblem(reply, problem('not_found', `No order ${request.params.id}.`));
      return { data: await invoicesOfOrder(db, request.params.id), next_cursor: null };
    },
  );
}
