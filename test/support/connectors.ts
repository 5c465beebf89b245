import { readFileSync } from 'node:fs';
import { platformSignature, signatureHeaders, type Platform } from '../../src/connectors/index.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { must } from './client.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from './fixtures.ts';
import { startTestServer, type TestResponse, type TestServer } from './server.ts';
import { allowLocalWebhooks } from './webhook-receiver.ts';

export const CONNECTOR_SECRET = 'shpss_consign_connector_tests_0123';

/** A connector fixture's text (platform JSON, big integers intact). */
export const connectorFixture = (path: string): string =>
  readFileSync(new URL(`../fixtures/connectors/${path}`, import.meta.url), 'utf8');

export interface ConnectorWorld {
  database: TestDatabase;
  server: TestServer;
  net: SmallNetwork;
  /** The channel the connector is on (ID). */
  channelId: string;
  post: (raw: string, options?: PostOptions) => Promise<TestResponse>;
  close: () => Promise<void>;
}

export interface PostOptions {
  secret?: string;
  channel?: string;
  /** More headers (the platform's topic header). */
  headers?: Record<string, string>;
}

export interface ConnectorWorldOptions {
  platform: Platform;
  skus: string[];
  currency?: string;
  onMismatch?: 'reject' | 'review_hold';
  locationMap?: Record<string, string>;
  outbound?: { url: string; secret: string };
}

/** A server with a small network, the fixture's SKUs in stock at both stores, and a channel using `platform`. */
export async function startConnectorWorld(options: ConnectorWorldOptions): Promise<ConnectorWorld> {
  const database = await createTestDatabase();
  const server = await startTestServer(database);
  const net = await createSmallNetwork(server, 1);
  await must(server.request, 'PATCH', `/v1/locations/${net.storeA}`, { latitude: 42.3601, longitude: -71.0589 });
  await must(server.request, 'PATCH', `/v1/locations/${net.storeB}`, { latitude: 42.6526, longitude: -73.7562 });
  let channelId = net.channelId;
  if (options.currency && options.currency !== 'USD') {
    const channel = await must(server.request, 'POST', '/v1/channels', {
      code: `${options.platform}-${options.currency.toLowerCase()}`,
      name: `${options.platform} ${options.currency}`,
      type: 'marketplace',
      location_group_id: net.groupId,
      currency: options.currency,
    });
    channelId = channel.id;
  }
  for (const sku of options.skus) {
    await must(server.request, 'POST', '/v1/products', { sku, name: `Product ${sku}`, weight_grams: 500 });
    await setStock(server, net.storeA, sku, 50);
    await setStock(server, net.storeB, sku, 50);
  }
  // Outbound messages in these tests go to a local receiver, which webhooks may reach only when allowed.
  const restoreAllowList = options.outbound ? allowLocalWebhooks() : () => {};
  await must(server.request, 'PUT', `/v1/channels/${channelId}/connector`, {
    platform: options.platform,
    secret: CONNECTOR_SECRET,
    on_mismatch: options.onMismatch ?? 'reject',
    location_map: options.locationMap ?? {},
    ...(options.outbound ? { outbound: options.outbound } : {}),
  });
  const post = (raw: string, o: PostOptions = {}) =>
    server.request('POST', `/v1/connectors/${options.platform}/orders${o.channel ? `?channel=${o.channel}` : ''}`, {
      rawBody: raw,
      key: null,
      headers: {
        ...o.headers,
        [signatureHeaders[options.platform]]: platformSignature(raw, o.secret ?? CONNECTOR_SECRET),
      },
    });
  return {
    database,
    server,
    net,
    channelId,
    post,
    close: async () => {
      await server.close();
      await database.close();
      restoreAllowList();
    },
  };
}

/** Replaces every `"currency"`-like code in a platform payload's text (to test a currency mismatch). */
export function withCurrency(raw: string, from: string, to: string): string {
  return raw.replaceAll(`"${from}"`, `"${to}"`);
}
