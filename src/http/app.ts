import http from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { createKeyResolver, oidcClient, type OidcSettings } from '../auth/index.ts';
import { isMigrated, query, startReadRouting, type Database, type ReadRoutingOptions } from '../db/index.ts';
import { sql } from 'drizzle-orm';
import { answerClientError, answerFrameworkError, registerErrorHandling } from './errors.ts';
import { registerTextCheck } from './text.ts';
import { registerConsole } from './console.ts';
import { simulationRoutes } from '../simulations/index.ts';
import { shadowRoutes } from '../shadow/index.ts';
import { registerMetrics } from './metrics-route.ts';
import { nameRequestSpan, traceRequest, tracingActive } from '../telemetry/index.ts';
import { registerAuthentication } from './authenticate.ts';
import { registerRateLimit, type RateLimit } from './rate-limit.ts';
import { registerReadRouting, type ReadOn } from './read-after.ts';
import { validatorCompiler } from './validation.ts';
import { problemRoutes } from './problem-docs.ts';
import { networkRoutes } from '../network/index.ts';
import { catalogRoutes } from '../catalog/index.ts';
import { inventoryRoutes } from '../inventory/index.ts';
import { reservationRoutes } from '../reservations/index.ts';
import { eventRoutes } from '../events/index.ts';
import { orderRoutes } from '../orders/index.ts';
import { fulfillmentRoutes } from '../fulfillment/index.ts';
import { trackingRoutes } from '../tracking/index.ts';
import { webhookRoutes } from '../webhooks/index.ts';
import { paymentRoutes } from '../payments/index.ts';
import { invoiceRoutes } from '../invoices/index.ts';
import { routingRoutes } from '../routing/index.ts';
import { returnPolicyRoutes, returnRoutes } from '../returns/index.ts';
import { reportRoutes } from '../reports/index.ts';
import { customerRoutes } from '../customers/index.ts';
import { searchRoutes } from '../search/index.ts';
import { historyRoutes } from '../history/index.ts';
import { subscriptionRoutes } from '../subscriptions/index.ts';
import { connectorRoutes } from '../connectors/index.ts';
import { accountRoutes, sessionRoutes } from '../auth/index.ts';
import { backupRoutes } from '../backup/index.ts';
import { supplyRoutes } from '../supply/index.ts';
import { exportRoutes } from '../exports/index.ts';
import { automationRoutes } from '../automations/index.ts';
import { taskRoutes } from '../tasks/index.ts';
import { taxRoutes } from '../tax/index.ts';
import { notificationRoutes, notificationTemplateRoutes } from '../notifications/index.ts';

interface AppOptions {
  database: Database;
  bootstrapAdminKey?: string | undefined;
  logLevel?: string;
  version?: string;
  /** The built console to serve at `/` (default `console/dist`). */
  consoleDir?: string;
  /** Per-key request limit in this process; none when absent. */
  rateLimit?: RateLimit | undefined;
  /** Single sign-on by OpenID Connect; absent: people sign in with passwords only. */
  oidc?: OidcSettings | undefined;
  /** Bearer token `/metrics` asks for; public when absent. */
  metricsToken?: string | undefined;
  /** Bounds of reads routed to the database's replica (when it has one). */
  readRouting?: Omit<ReadRoutingOptions, 'onChange'> | undefined;
}

export interface AppContext {
  database: Database;
  /** Runs a read that may go to the replica (availability, order search, reports, customer 360). */
  reads: ReadOn;
}

const DEFAULT_READ_ROUTING = { readAfterWaitMs: 200, maxLagMs: 5000, probeIntervalMs: 1000 };

/** Builds the HTTP API: every dependency is passed in here, nothing is global. */
/** Request headers beyond this many bytes answer 431. */
const MAX_HEADER_SIZE = 64 * 1024;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'info',
      // Request bodies and headers are not logged; should an object with a secret reach a log line, it shows as [redacted].
      redact: {
        paths: ['secret', '*.secret', 'access_token', '*.access_token', 'authorization', '*.authorization'],
        censor: '[redacted]',
      },
      serializers: {
        // Webhook URLs may carry a shared token (?token=…): never write it to the logs.
        req: (request: { method: string; url: string; ip?: string }) => ({
          method: request.method,
          url: request.url.replace(/([?&](?:token|secret|key)=)[^&]*/gi, '$1[redacted]'),
          remoteAddress: request.ip,
        }),
      },
    },
    bodyLimit: 1024 * 1024,
    ...(tracingActive()
      ? {
          // Every request runs inside its trace span, so the statements it causes are its children.
          serverFactory: (handler: http.RequestListener) =>
            http.createServer({ maxHeaderSize: MAX_HEADER_SIZE }, (request, response) =>
              traceRequest(request, response, () => handler(request, response)),
            ),
        }
      : { http: { maxHeaderSize: MAX_HEADER_SIZE } }),
    ajv: { customOptions: { coerceTypes: false } },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    genReqId: (request) => String(request.headers['x-request-id'] ?? '') || crypto.randomUUID(),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.removeContentTypeParser('text/plain'); // JSON only: anything else is a 415
  registerMetrics(app, { database: options.database, token: options.metricsToken });
  if (tracingActive())
    app.addHook('onRequest', async (request) => nameRequestSpan(request.method, request.routeOptions.url ?? '(none)'));
  registerErrorHandling(app, await registerConsole(app, options.consoleDir));
  registerAuthentication(app, options.database.db, createKeyResolver(options.database.db, options.bootstrapAdminKey));
  registerTextCheck(app);
  if (options.rateLimit) registerRateLimit(app, options.rateLimit);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Consign API',
        version: options.version ?? '0.1.0',
        description:
          'Order management: inventory network, availability, reservations and more. Errors are RFC 9457 problem+json with a stable `code`; every creating POST accepts `Idempotency-Key`. With a read replica configured, every write answers `Consign-Read-After: <WAL position>`, and availability, order search, reports and customer reads by the same key, or sending that header, include the write (docs/scaling.md).',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'Consign API key' } } },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const router = await startReadRouting(options.database, {
    ...(options.readRouting ?? DEFAULT_READ_ROUTING),
    onChange: (up, detail) => (up ? app.log.info : app.log.warn).call(app.log, { replica: true }, detail),
  });
  const context: AppContext = { database: options.database, reads: registerReadRouting(app, router) };
  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/ready', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await query(options.database.db, sql`select 1`);
      if (!(await isMigrated(options.database.db))) {
        return reply.code(503).send({ status: 'migrations_pending', detail: 'Run `consign migrate`.' });
      }
      return { status: 'ready', database: options.database.engine };
    } catch (error) {
      return reply.code(503).send({ status: 'database_unreachable', detail: (error as Error).message });
    }
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  problemRoutes(app);

  const sso = options.oidc ? oidcClient(options.oidc) : undefined;
  await app.register(
    async (v1) => {
      sessionRoutes(v1);
      accountRoutes(v1, context, sso);
      networkRoutes(v1, context);
      catalogRoutes(v1, context);
      inventoryRoutes(v1, context);
      reservationRoutes(v1, context);
      eventRoutes(v1, context);
      orderRoutes(v1, context);
      routingRoutes(v1, context);
      fulfillmentRoutes(v1, context);
      trackingRoutes(v1, context);
      webhookRoutes(v1, context);
      paymentRoutes(v1, context);
      invoiceRoutes(v1, context);
      returnRoutes(v1, context);
      returnPolicyRoutes(v1, context);
      reportRoutes(v1, context);
      customerRoutes(v1, context);
      searchRoutes(v1, context);
      subscriptionRoutes(v1, context);
      connectorRoutes(v1, context);
      exportRoutes(v1, context);
      backupRoutes(v1, context);
      supplyRoutes(v1, context);
      taxRoutes(v1, context);
      notificationRoutes(v1, context);
      notificationTemplateRoutes(v1, context);
      automationRoutes(v1, context);
      taskRoutes(v1, context);
      simulationRoutes(v1, context);
      historyRoutes(v1, context);
      shadowRoutes(v1, context);
    },
    { prefix: '/v1' },
  );
  return app;
}
