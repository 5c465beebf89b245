import { loadConfig, type Config } from '../config.ts';
import { describeError } from './errors.ts';
import { createProgram } from './program.ts';

function configIfValid(): Config | undefined {
  try {
    return loadConfig();
  } catch {
    return undefined;
  }
}

/**
 * Runs `consign`. Failures print one line saying what to do next and exit with status 1;
 * LOG_LEVEL=debug adds the stack.
 */
export async function main(argv: string[]): Promise<void> {
  try {
    await createProgram().parseAsync(argv);
  } catch (error) {
    process.stderr.write(`error: ${describeError(error, configIfValid())}\n`);
    if (['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '') && error instanceof Error) {
      process.stderr.write(`${error.stack ?? ''}\n`);
    }
    process.exit(1);
  }
}

await main(process.argv);
