import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliTarget, killChildren, runConsign, type CliTarget, CLI_TEST_TIMEOUT_MS } from './cli-process.ts';

let target: CliTarget;

beforeAll(async () => {
  target = await createCliTarget();
  const migrated = await runConsign(['migrate'], target.env, 170_000);
  expect(migrated.code, migrated.stderr).toBe(0);
}, CLI_TEST_TIMEOUT_MS);
afterAll(async () => {
  killChildren();
  await target?.close();
});

const linkOf = (stdout: string) => /^ {2}(http:\/\/localhost:\d+\/set-password#token=[\w-]+)$/m.exec(stdout)?.[1];

describe('consign users', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('invites a person and prints their one-time sign-in link', async () => {
    const added = await runConsign(['users', 'add', 'Ada@Example.com', '--name', 'Ada Lovelace', '--role', 'agent'], {
      ...target.env,
      CONSIGN_SMTP_URL: '',
    });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/^Added agent ada@example\.com \(usr_\w+\)\./);
    expect(linkOf(added.stdout)).toBeDefined();
    const again = await runConsign(['users', 'add', 'ada@example.com', '--role', 'agent'], target.env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('lists people with their state, prints a new link, and disables them', async () => {
    const listed = await runConsign(['users', 'list'], target.env);
    expect(listed.stdout).toMatch(/ada@example\.com\s+Ada Lovelace\s+agent\s+-\s+invited/);
    const link = await runConsign(['users', 'reset-link', 'ada@example.com'], target.env);
    expect(link.code, link.stderr).toBe(0);
    expect(linkOf(link.stdout)).toBeDefined();
    const disabled = await runConsign(['users', 'disable', 'ada@example.com'], target.env);
    expect(disabled.stdout).toMatch(/^Disabled ada@example\.com/);
    expect((await runConsign(['users', 'list'], target.env)).stdout).toMatch(/ada@example\.com.*disabled/);
  });

  it('names an unknown person or location in one line', async () => {
    const nobody = await runConsign(['users', 'reset-link', 'nobody@example.com'], target.env);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr.trim().split('\n')).toHaveLength(1);
    expect(nobody.stderr).toMatch(/No person nobody@example\.com/);
    const nowhere = await runConsign(
      ['users', 'add', 'sam@example.com', '--role', 'fulfillment', '--location', 'NOWHERE'],
      target.env,
    );
    expect(nowhere.stderr).toMatch(/Unknown location\(s\): NOWHERE/);
  });
});
