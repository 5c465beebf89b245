import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '../../src/auth/index.ts';
import { keyRoles } from '../../src/cli/keys-create.ts';
import { createCliTarget, killChildren, runConsign, type CliTarget, CLI_TEST_TIMEOUT_MS } from './cli-process.ts';

let target: CliTarget;

beforeAll(async () => {
  target = await createCliTarget();
});
afterAll(async () => {
  killChildren();
  await target?.close();
});

/** One line on stderr, status 1: the CLI's contract for an error a user can fix. */
function expectOneLineError(result: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(result.code).toBe(1);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
}

describe('consign keys create: flags', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('offers exactly the roles the API knows', () => {
    expect([...keyRoles]).toEqual([...roles]);
  });

  it('refuses a fulfillment key without --location', async () => {
    const result = await runConsign(['keys', 'create', '--role', 'fulfillment'], target.env);
    expectOneLineError(result, /^error: A fulfillment key needs at least one --location/);
  });

  it('refuses a channel key without --channel, and scope flags on other roles', async () => {
    expectOneLineError(await runConsign(['keys', 'create', '--role', 'channel'], target.env), /needs --channel/);
    expectOneLineError(
      await runConsign(['keys', 'create', '--role', 'admin', '--location', 'DC-SEC'], target.env),
      /--location applies to fulfillment keys only/,
    );
  });

  it('says how to migrate when the database has no schema yet', async () => {
    expectOneLineError(await runConsign(['keys', 'list'], target.env), /run `consign migrate`/);
  });
});

describe('consign seed --demo and keys on the demo network', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('seeds once with progress, and says so the second time', async () => {
    const first = await runConsign(['seed', '--demo'], target.env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Loaded the demo network: 3 distribution centres, 9 stores/);
    expect(first.stderr).toContain('Seeding demo network: stock levels');
    const second = await runConsign(['seed', '--demo'], target.env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/already loaded .*nothing to do/);
  });

  it('creates a fulfillment key for locations given by code and names unknown ones', async () => {
    const created = await runConsign(
      [
        'keys',
        'create',
        '--role',
        'fulfillment',
        '--location',
        'NYC-SOHO',
        '--location',
        'DC-SEC',
        '--name',
        'SoHo',
        '--json',
      ],
      target.env,
    );
    expect(created.code, created.stderr).toBe(0);
    const key = JSON.parse(created.stdout) as { id: string; secret: string; role: string; location_ids: string[] };
    expect(key).toMatchObject({ role: 'fulfillment', name: 'SoHo' });
    expect(key.secret).toMatch(/^csk_/);
    expect(key.location_ids).toHaveLength(2);
    expect(key.location_ids.every((id) => id.startsWith('loc_'))).toBe(true);

    expectOneLineError(
      await runConsign(['keys', 'create', '--role', 'fulfillment', '--location', 'loc_nowhere'], target.env),
      /Unknown location\(s\): loc_nowhere/,
    );
    expectOneLineError(
      await runConsign(['keys', 'create', '--role', 'channel', '--channel', 'carrier-pigeon'], target.env),
      /Unknown channel: carrier-pigeon/,
    );
  });

  it('prints a new secret once, lists keys without secrets, and revokes', async () => {
    const created = await runConsign(['keys', 'create', '--role', 'channel', '--channel', 'web'], target.env);
    expect(created.code, created.stderr).toBe(0);
    const id = /Created channel key (key_\w+)/.exec(created.stdout)?.[1];
    const secret = /^ {2}(csk_\S+)$/m.exec(created.stdout)?.[1];
    expect(id).toBeDefined();
    expect(secret).toBeDefined();

    const listed = await runConsign(['keys', 'list'], target.env);
    expect(listed.stdout).toContain(id!);
    expect(listed.stdout).not.toContain(secret!);

    const revoked = await runConsign(['keys', 'revoke', id!], target.env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`Revoked ${id}`);
    expectOneLineError(await runConsign(['keys', 'revoke', id!], target.env), /No active key/);

    const active = JSON.parse((await runConsign(['keys', 'list', '--json'], target.env)).stdout) as { id: string }[];
    expect(active.map((k) => k.id)).not.toContain(id);
  });
});
