import type { PGlite, Transaction } from '@electric-sql/pglite';
import pg from 'pg';
import { startStatementSpan, traceStatement } from '../telemetry/index.ts';

type QueryArgs = Parameters<pg.Client['query']>;

/** The text of a `query(…)` call's first argument: a string or a `{ text }` config. */
function statementText(first: unknown): string | undefined {
  if (typeof first === 'string') return first;
  const text = (first as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : undefined;
}

/**
 * A pg client whose statements become spans of the request that runs them (when tracing is on):
 * the pool makes every connection from it, so drizzle's statements, in transactions or not, pass here.
 */
export class TracedClient extends pg.Client {
  // @ts-expect-error -- one implementation for pg's overloads: callback and promise styles alike
  override query(...args: QueryArgs) {
    const text = statementText(args[0]);
    const span = text === undefined ? undefined : startStatementSpan('postgresql', text);
    if (!span) return (super.query as (...a: QueryArgs) => unknown)(...args);
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      (args as unknown[])[last] = (error: unknown, result: unknown) => {
        span.end(error ?? undefined);
        (callback as (error: unknown, result: unknown) => void)(error, result);
      };
      return (super.query as (...a: QueryArgs) => unknown)(...args);
    }
    const result = (super.query as (...a: QueryArgs) => Promise<unknown>)(...args);
    result.then(
      () => span.end(),
      (error: unknown) => span.end(error),
    );
    return result;
  }
}

type Queryable = Pick<Transaction, 'query' | 'exec'>;

/** Wraps `query` and `exec` of PGlite (or of one of its transactions) in statement spans. */
function traceQueries<T extends Queryable>(target: T): T {
  const query = target.query.bind(target);
  const exec = target.exec.bind(target);
  target.query = ((text: string, ...rest: unknown[]) =>
    traceStatement('postgresql', text, () =>
      (query as (...a: unknown[]) => Promise<unknown>)(text, ...rest),
    )) as T['query'];
  target.exec = ((text: string, ...rest: unknown[]) =>
    traceStatement('postgresql', text, () =>
      (exec as (...a: unknown[]) => Promise<unknown>)(text, ...rest),
    )) as T['exec'];
  return target;
}

/** The embedded engine's statements as spans, in its transactions too. */
export function traceEmbedded(client: PGlite): PGlite {
  traceQueries(client);
  const transaction = client.transaction.bind(client);
  client.transaction = ((run: (tx: Transaction) => Promise<unknown>) =>
    transaction((tx) => run(traceQueries(tx)))) as PGlite['transaction'];
  return client;
}
