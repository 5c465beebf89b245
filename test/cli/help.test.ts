import { afterAll, describe, expect, it } from 'vitest';
import { killChildren, runConsign, CLI_TEST_TIMEOUT_MS } from './cli-process.ts';

afterAll(() => killChildren());

describe('consign --help', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('lists the commands and the configuration', async () => {
    const result = await runConsign(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: consign [options] [command]');
    for (const command of ['serve', 'migrate', 'seed', 'keys', 'backup', 'restore'])
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(result.stdout).toContain('DATABASE_URL');
    expect(result.stdout).toContain('CONSIGN_DEMO=0');
  });

  it('documents every option of keys create', async () => {
    const result = await runConsign(['keys', 'create', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: consign keys create [options]');
    for (const flag of ['--role <role>', '--location <id>', '--channel <id>', '--name <text>', '--json']) {
      expect(result.stdout).toContain(flag);
    }
    for (const role of ['admin', 'agent', 'fulfillment', 'channel']) expect(result.stdout).toContain(`"${role}"`);
  });

  it('has help on every command', async () => {
    const commands = [
      ['serve'],
      ['migrate'],
      ['seed'],
      ['keys'],
      ['keys', 'list'],
      ['keys', 'revoke'],
      ['backup'],
      ['restore'],
      ['geo'],
      ['geo', 'import'],
    ];
    for (const command of commands) {
      const result = await runConsign([...command, '--help']);
      expect(result.code, command.join(' ')).toBe(0);
      expect(result.stdout).toContain(`Usage: consign ${command.join(' ')}`);
    }
  });

  it('suggests the command meant by a typo and exits 1', async () => {
    const result = await runConsign(['serv']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("unknown command 'serv'");
    expect(result.stderr).toContain('Did you mean serve?');
  });
});
