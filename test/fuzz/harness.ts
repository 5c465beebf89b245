import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { createApiKey } from '../../src/auth/index.ts';
import { platformSignature, signatureHeaders } from '../../src/connectors/index.ts';
import { query, type Db } from '../../src/db/index.ts';
import { easypostSignature } from '../../src/tracking/signatures.ts';
import { CONNECTOR_SECRET, connectorFixture, startConnectorWorld, type ConnectorWorld } from '../support/connectors.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { operationsOf, type Operation } from './openapi.ts';
import { requestsFor, type FuzzRequest, type PoolRef } from './requests.ts';

/**
 * The schema-driven fuzzer: reads the OpenAPI document a running Consign server publishes,
 * builds malformed requests for every operation (and signed platform and carrier webhooks with
 * mutated payloads), sends them, and checks each answer: never a 5xx; a 4xx is problem+json
 * with a `code` and leaves every table exactly as it was.
 */

const EASYPOST_SECRET = 'whsec_consign_fuzz';

export interface Fuzz {
  world: ConnectorWorld;
  operations: Operation[];
  adminKey: string;
  close: () => Promise<void>;
}

export interface Totals {
  requests: number;
  byClass: Record<'2xx' | '3xx' | '4xx' | '5xx', number>;
  /** Every broken rule, with the request that broke it (5xx, a 4xx that is not a problem, a rejected request that wrote). */
  failures: string[];
  seconds: number;
  /** Of which reading the tables' fingerprints. */
  checkSeconds: number;
}

/** A server with a small network, stock, an order, a Shopify connector and an EasyPost secret. */
export async function startFuzz(): Promise<Fuzz> {
  process.env.CONSIGN_EASYPOST_WEBHOOK_SECRET = EASYPOST_SECRET;
  const world = await startConnectorWorld({ platform: 'shopify', skus: ['IPOD2008PINK', 'IPOD2008GREEN'] });
  const adminKey = (await createApiKey(world.database.db, { role: 'admin', name: 'fuzz' })).secret;
  const placed = await placeOrder(world.server, orderBody('FUZZ-1', [{ sku: 'IPOD2008PINK', quantity: 1 }]));
  if (placed.status !== 201) throw new Error(`the fuzz world's order → ${placed.status}`);
  const document = (await world.server.request('GET', '/openapi.json')).body;
  return { world, operations: operationsOf(document), adminKey, close: () => world.close() };
}

const signers: Record<string, (raw: string) => Record<string, string>> = {
  shopify: (raw) => ({ [signatureHeaders.shopify]: platformSignature(raw, CONNECTOR_SECRET) }),
  easypost: (raw) => ({ 'x-hmac-signature': easypostSignature(raw, EASYPOST_SECRET) }),
};

/** Every operation's requests, and signed webhooks whose payloads are mutated platform and carrier fixtures. */
export function fuzzRequests(operations: Operation[]): fc.Arbitrary<FuzzRequest> {
  const find = (method: string, path: string) => operations.find((o) => o.method === method && o.path === path);
  const shopify = find('POST', '/v1/connectors/{platform}/orders');
  const easypost = find('POST', '/v1/webhooks/carriers/{carrier}');
  const fixture = (path: string) => fc.constant(JSON.parse(connectorFixture(path)) as unknown);
  const signed = [
    ...(shopify
      ? [requestsFor(pinned(shopify, 'shopify'), { base: fixture('shopify/orders-create.json'), signer: 'shopify' })]
      : []),
    ...(easypost
      ? [
          requestsFor(pinned(easypost, 'easypost'), {
            base: fixture('../carriers/easypost/tracker-updated-in-transit.json'),
            signer: 'easypost',
          }),
        ]
      : []),
  ];
  return fc.oneof(
    { weight: 10, arbitrary: fc.oneof(...operations.map((o) => requestsFor(o))) },
    ...signed.map((arbitrary) => ({ weight: 1, arbitrary })),
  );
}

/** The operation with its one path parameter fixed (the platform or carrier) and no query. */
function pinned(operation: Operation, value: string): Operation {
  return { ...operation, path: operation.path.replace(/\{[^}]+\}/, value), pathParams: [], query: [] };
}

/**
 * One string per table: its row count and a hash of its rows, read in one statement. A key's
 * `last_used_at` is left out: authentication writes it (at most once a minute) for any request the
 * key signs, refused or not, and that is bookkeeping of the key, not something the request wrote.
 */
async function fingerprint(db: Db, tables: string[]): Promise<Record<string, string>> {
  const columns = tables.map(
    (t) =>
      sql`(select count(*)::text || ':' || coalesce(sum(hashtext((to_jsonb(x) - 'last_used_at')::text)::numeric), 0)::text from ${sql.identifier(t)} x) as ${sql.identifier(t)}`,
  );
  const [row] = await query<Record<string, string>>(db, sql`select ${sql.join(columns, sql`, `)}`);
  return row!;
}

const ID = /^[a-z]{2,5}_[0-9a-z]{6,}$/;

/** IDs (and SKUs) from an answer, for later requests' path segments. */
function harvest(value: unknown, pool: string[], key = ''): void {
  if (typeof value === 'string') {
    if ((ID.test(value) || key === 'sku' || key === 'code') && !pool.includes(value)) pool.push(value);
    if (pool.length > 500) pool.splice(0, pool.length - 500);
  } else if (Array.isArray(value)) value.forEach((v) => harvest(v, pool, key));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) harvest(v, pool, k);
}

const resolve = (value: string | PoolRef, pool: string[]) =>
  typeof value === 'string' ? value : (pool[value.pool % Math.max(pool.length, 1)] ?? 'none');

/** Percent-encoding that also sends an unpaired surrogate, as the three bytes a careless encoder writes (WTF-8). */
function encode(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (c.length === 1 && code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    } else out += encodeURIComponent(c);
  }
  return out;
}

function urlOf(request: FuzzRequest, pool: string[]): string {
  const path = request.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const s = request.segments[name]!;
    if ('raw' in s) return s.raw;
    return encode('text' in s ? s.text : resolve(s, pool));
  });
  const query = request.query.map(([k, v]) => `${encode(k)}=${encode(resolve(v, pool))}`);
  return query.length ? `${path}?${query.join('&')}` : path;
}

interface Sent {
  url: string;
  status: number;
  contentType: string;
  body: unknown;
  text: string;
}

async function send(fuzz: Fuzz, request: FuzzRequest, pool: string[]): Promise<Sent> {
  const url = urlOf(request, pool);
  const headers: Record<string, string> = {};
  if (request.key === 'admin') headers.authorization = `Bearer ${fuzz.adminKey}`;
  if (request.key === 'unknown') headers.authorization = 'Bearer csk_not_a_key';
  if (request.idempotencyKey) headers['idempotency-key'] = request.idempotencyKey;
  let payload: string | undefined;
  if (request.body.kind === 'json') {
    payload = JSON.stringify(request.body.value) ?? 'null';
    headers['content-type'] = 'application/json';
  } else if (request.body.kind === 'text') {
    payload = request.body.text;
    if (request.body.contentType) headers['content-type'] = request.body.contentType;
  }
  if (request.signer && payload !== undefined) Object.assign(headers, signers[request.signer]!(payload));
  const withBody = payload !== undefined && request.method !== 'GET' && request.method !== 'HEAD';
  const response = await fetch(fuzz.world.server.url + url, {
    method: request.method,
    headers,
    body: withBody ? payload : undefined,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: checked below
  }
  return { url, status: response.status, contentType: response.headers.get('content-type') ?? '', body, text };
}

export interface RunOptions {
  runs: number;
  seed: number;
  onProgress?: (totals: Totals) => void;
}

/**
 * Tables whose rows record refusals themselves, by design: `connector_errors` keeps a channel's
 * last refused platform delivery for its health page. Every other table must be left as it was.
 */
const RECORDS_REFUSALS = ['connector_errors'];

/** Sends `runs` generated requests and returns what they got; never throws for a broken rule (see `failures`). */
export async function runFuzz(fuzz: Fuzz, options: RunOptions): Promise<Totals> {
  const started = Date.now();
  const db = fuzz.world.database.db;
  const tables = (
    await query<{ name: string }>(
      db,
      sql`select tablename as name from pg_tables where schemaname = 'public' order by 1`,
    )
  )
    .map((t) => t.name)
    .filter((name) => !RECORDS_REFUSALS.includes(name));
  const pool: string[] = [];
  harvest((await fuzz.world.server.request('GET', '/v1/orders')).body, pool);
  harvest((await fuzz.world.server.request('GET', '/v1/locations')).body, pool);
  const totals: Totals = {
    requests: 0,
    byClass: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 },
    failures: [],
    seconds: 0,
    checkSeconds: 0,
  };
  const requests = fc.sample(fuzzRequests(fuzz.operations), { numRuns: options.runs, seed: options.seed });
  let state: Record<string, string> | undefined;
  const timed = async () => {
    const start = Date.now();
    const value = await fingerprint(db, tables);
    totals.checkSeconds += (Date.now() - start) / 1000;
    return value;
  };
  for (const request of requests) {
    state ??= await timed();
    let sent: Sent;
    try {
      sent = await send(fuzz, request, pool);
    } catch (error) {
      totals.requests += 1;
      totals.failures.push(
        `${request.operation}: no answer (${(error as Error).message})\n  request: ${describe(request)}`,
      );
      continue;
    }
    totals.requests += 1;
    const kind = `${Math.floor(sent.status / 100)}xx` as keyof Totals['byClass'];
    if (kind in totals.byClass) totals.byClass[kind] += 1;
    const broken = await check(sent, state, timed);
    if (broken)
      totals.failures.push(
        `${request.method} ${sent.url} → ${sent.status}: ${broken}\n  request: ${describe(request)}`,
      );
    // After a success (or a refusal that wrote, reported once above) the tables are read afresh.
    if (sent.status < 400) harvest(sent.body, pool);
    if (sent.status < 400 || broken) state = undefined;
    totals.seconds = (Date.now() - started) / 1000;
    options.onProgress?.(totals);
  }
  return totals;
}

/** What the answer broke, if anything. */
async function check(
  sent: Sent,
  before: Record<string, string>,
  after: () => Promise<Record<string, string>>,
): Promise<string | undefined> {
  if (sent.status >= 500) return `server error ${sent.text.slice(0, 300)}`;
  if (sent.status < 400) return undefined;
  if (!sent.contentType.includes('application/problem+json')) {
    return `4xx without problem+json (${sent.contentType}): ${sent.text.slice(0, 300)}`;
  }
  if (typeof (sent.body as { code?: unknown }).code !== 'string')
    return `problem without a code: ${sent.text.slice(0, 300)}`;
  const now = await after();
  const changed = Object.keys(now).filter((t) => now[t] !== before[t]);
  return changed.length ? `rejected, yet wrote to ${changed.join(', ')}` : undefined;
}

function describe(request: FuzzRequest): string {
  const text = JSON.stringify({ ...request, body: request.body }, (_k, v: unknown) =>
    typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}…(${v.length} chars)` : v,
  );
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}
