import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config.ts';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError('a port is an integer from 0 to 65535 (0 picks a free one).');
  }
  return port;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('Run the API server: migrates the database, loads the demo network on first start, then listens.')
    .option('-p, --port <port>', 'port to listen on, 0 for any free port (default: PORT or 3000)', parsePort)
    .option('-H, --host <host>', 'address to bind (default: HOST or 0.0.0.0)')
    .addHelpText(
      'after',
      `
On first start Consign creates an admin API key and prints it once, and loads the demo network
unless CONSIGN_DEMO=0. SIGTERM or Ctrl-C drains in-flight requests and exits; a second signal
exits at once.

Examples:
  $ consign serve
  $ PORT=8080 LOG_LEVEL=warn consign serve
  $ DATABASE_URL=postgres://consign@db.internal:5432/consign consign serve --host 0.0.0.0`,
    )
    .action(async (options: { port?: number; host?: string }) => {
      const config = loadConfig();
      const { startServer } = await import('../server.ts');
      await startServer({ ...config, port: options.port ?? config.port, host: options.host ?? config.host });
    });
}
