import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/index.ts';
import { buildApp } from '../../src/http/app.ts';
import { invoiceRoutes } from '../../src/invoices/index.ts';
import { paymentRoutes } from '../../src/payments/index.ts';
import { createRequester } from '../support/client.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { primaryReads, TEST_ADMIN_KEY, type TestServer } from '../support/server.ts';

/**
 * A test server with the payments and invoices routes. Until `src/http/app.ts` registers them
 * itself, they are added here (after `buildApp`, before `listen`); once it does, this is a
 * plain `startTestServer`.
 */
export async function startPaymentsServer(database: Database): Promise<TestServer> {
  const app: FastifyInstance = await buildApp({ database, bootstrapAdminKey: TEST_ADMIN_KEY, logLevel: 'silent' });
  if (!app.hasRoute({ method: 'GET', url: '/v1/invoices/:id' })) {
    await app.register(
      async (v1) => {
        const context = { database, reads: primaryReads(database) };
        paymentRoutes(v1, context);
        invoiceRoutes(v1, context);
      },
      { prefix: '/v1' },
    );
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  const url = `http://127.0.0.1:${address.port}`;
  return { app, url, request: createRequester(url), close: () => app.close() };
}

/** A payments server over a small network of `skuCount` SKUs, each with `units` on hand at store A (Boston). */
export async function startStockedPaymentsServer(
  database: Database,
  skuCount: number,
  units = 100,
): Promise<{ server: TestServer; net: SmallNetwork }> {
  const server = await startPaymentsServer(database);
  const net = await createSmallNetwork(server, skuCount);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 42.36, longitude: -71.06 } });
  for (const sku of net.skus) await setStock(server, net.storeA, sku, units);
  return { server, net };
}

/** Accept, pick and pack a fulfillment order (once), then ship `lines` (all that is open when omitted). */
export async function ship(
  server: TestServer,
  foId: string,
  lines?: { line_id: string; quantity: number }[],
  prepare = true,
) {
  if (prepare) {
    for (const step of ['accept', 'pick', 'pack']) {
      const response = await server.request('POST', `/v1/fulfillment-orders/${foId}/${step}`, { body: {} });
      if (response.status !== 200)
        throw new Error(`${step} ${foId} → ${response.status} ${JSON.stringify(response.body)}`);
    }
  }
  const shipped = await server.request('POST', `/v1/fulfillment-orders/${foId}/ship`, {
    body: { carrier: 'ups', tracking_number: `1Z${foId.slice(-10)}`, ...(lines ? { lines } : {}) },
  });
  if (shipped.status !== 200) throw new Error(`ship ${foId} → ${shipped.status} ${JSON.stringify(shipped.body)}`);
  return shipped.body as { shipment_id: string; status: string };
}
