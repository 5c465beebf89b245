import type { Config } from '../config.ts';

/** An expected failure of a command: its message says what to do next. */
export class CliError extends Error {}

interface SystemError {
  code?: unknown;
  port?: unknown;
  address?: unknown;
  errors?: unknown[];
}

function errorCode(error: unknown): string | undefined {
  const value = error as SystemError | null;
  if (typeof value?.code === 'string') return value.code;
  const inner = Array.isArray(value?.errors) ? (value.errors[0] as SystemError | undefined) : undefined;
  return typeof inner?.code === 'string' ? inner.code : undefined;
}

/** The innermost cause: drivers and the query layer wrap the error that names the problem. */
function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (!cause || typeof cause !== 'object') break;
    current = cause;
  }
  return current;
}

/** `host:port/database` of DATABASE_URL, without credentials. */
function databaseTarget(databaseUrl: string | undefined): string {
  if (!databaseUrl) return 'the database';
  try {
    const url = new URL(databaseUrl);
    return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
  } catch {
    return 'the PostgreSQL server of DATABASE_URL';
  }
}

/**
 * One line that says what went wrong and what to do next, for the errors an operator can fix
 * (unreachable database, bad credentials, a port in use); other errors keep their message.
 */
export function describeError(thrown: unknown, config: Config | undefined): string {
  if (thrown instanceof CliError) return thrown.message;
  const error = rootCause(thrown);
  const target = databaseTarget(config?.databaseUrl);
  const message = error instanceof Error ? error.message : String(error);
  const { port, address } = (error ?? {}) as SystemError;
  switch (errorCode(error)) {
    case 'ECONNREFUSED':
      return `Cannot connect to ${target}: start the server or fix DATABASE_URL.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot resolve the host of ${target}: fix DATABASE_URL.`;
    case '28P01':
    case '28000':
      return `${target} refused the credentials in DATABASE_URL (${message}).`;
    case '3D000':
      return `${message} on ${target}: create it (createdb) or fix DATABASE_URL.`;
    case 'EADDRINUSE':
      return `Port ${String(port)} on ${String(address)} is already in use: stop the other process or choose another port with PORT or --port.`;
    case 'EACCES':
      return port !== undefined
        ? `Not allowed to listen on port ${String(port)}: choose a port above 1023 with PORT or --port.`
        : message;
    case 'EADDRNOTAVAIL':
      return `Cannot listen on ${String(address)}: it is not an address of this machine; set HOST or --host.`;
    default:
      return message.split('\n')[0] ?? message;
  }
}
