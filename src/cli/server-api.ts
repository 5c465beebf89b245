import type { Config } from '../config.ts';
import { CliError } from './errors.ts';

/** The API key for `--server`: CONSIGN_API_KEY, else the bootstrap admin key of the configuration. */
export function adminKey(config: Config): string {
  const key = process.env.CONSIGN_API_KEY || config.bootstrapAdminKey;
  if (!key) {
    throw new CliError(
      'Set CONSIGN_API_KEY to an admin API key of that server (the key its first start printed, or its CONSIGN_BOOTSTRAP_ADMIN_KEY).',
    );
  }
  return key;
}

/** What a refusing server said: its problem's detail, else the start of its answer. */
export async function refusal(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    return (JSON.parse(text) as { detail?: string }).detail ?? text;
  } catch {
    return text.slice(0, 200);
  }
}

/** Sends one request to a running server (`path` under its URL); an unreachable server is a CliError. */
export async function callServer(server: string, path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(`${server.replace(/\/+$/, '')}${path}`, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new CliError(`Cannot reach the server at ${server} (${cause}): is it running, and is --server its URL?`);
  }
}
