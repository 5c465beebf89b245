import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
import { keyringFromEnv, openSecret } from '../../src/secrets/index.ts';
import { onTargetDb } from '../support/contents.ts';
import { testEngine } from '../support/db.ts';
import { createCliTarget, killChildren, runConsign, type CliTarget, CLI_TEST_TIMEOUT_MS } from './cli-process.ts';

let target: CliTarget;

beforeAll(async () => {
  target = await createCliTarget();
  const migrated = await runConsign(['migrate'], target.env);
  expect(migrated.code, migrated.stderr).toBe(0);
});
afterAll(async () => {
  killChildren();
  await target?.close();
});

describe('consign secrets rotate', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('explains the rotation procedure in --help', async () => {
    const help = await runConsign(['secrets', 'rotate', '--help'], target.env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('CONSIGN_SECRET_KEY_PREVIOUS=<old key>');
    expect(help.stdout).toContain('openssl rand -base64 32');
  });

  it('seals plaintext and old-key secrets with the new key, with progress; a second run has nothing to do', async () => {
    const oldKey = process.env.CONSIGN_SECRET_KEY!;
    const newKey = randomBytes(32).toString('base64');
    const plaintext = `whsec_${randomBytes(32).toString('base64')}`;
    await onTargetDb(target, (db) =>
      db.execute(sql`insert into webhook_subscriptions (id, url, secret, event_types)
                     values ('whs_rotate_cli', 'https://93.184.216.34/hook', ${plaintext}, '{}')`),
    );
    const env = { ...target.env, CONSIGN_SECRET_KEY: newKey, CONSIGN_SECRET_KEY_PREVIOUS: oldKey };
    const first = await runConsign(['secrets', 'rotate'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('webhook signing secrets: 1');
    expect(first.stdout).toMatch(/Sealed 1 secret with key [0-9a-f]{16}\./);

    const [row] = await onTargetDb(target, (db) =>
      query<{ secret: string }>(db, sql`select secret from webhook_subscriptions where id = 'whs_rotate_cli'`),
    );
    expect(row!.secret).not.toContain(plaintext);
    const newKeyring = keyringFromEnv({ CONSIGN_SECRET_KEY: newKey });
    expect(row!.secret.startsWith(`csec:v1:${newKeyring.current.id}:`)).toBe(true);
    expect(openSecret(row!.secret, 'webhook_subscriptions.secret:whs_rotate_cli', newKeyring)).toBe(plaintext);

    const second = await runConsign(['secrets', 'rotate'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('Every stored secret is already sealed');
  });

  it('refuses a key that is not 32 bytes of base64, saying how to make one', async () => {
    const result = await runConsign(['secrets', 'rotate'], { ...target.env, CONSIGN_SECRET_KEY: 'too-short' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/CONSIGN_SECRET_KEY must be base64 of exactly 32 bytes .*openssl rand -base64 32/);
  });
});

describe('the key on start', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it.runIf(testEngine() === 'postgres')(
    'a server on PostgreSQL without CONSIGN_SECRET_KEY refuses to start, saying what to set',
    async () => {
      const result = await runConsign(['serve'], { ...target.env, CONSIGN_SECRET_KEY: '', PORT: '0' });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/CONSIGN_SECRET_KEY is not set\..*openssl rand -base64 32/);
    },
  );

  it.runIf(testEngine() === 'pglite')(
    'the embedded database without CONSIGN_SECRET_KEY makes an owner-only key file and says so',
    async () => {
      const { startServeProcess } = await import('./cli-process.ts');
      const server = await startServeProcess({
        ...target.env,
        CONSIGN_SECRET_KEY: '',
        LOG_LEVEL: 'info',
        CONSIGN_DEMO: '0',
      });
      try {
        const keyFile = path.join(target.env.CONSIGN_DATA_DIR!, 'secret.key');
        expect(fs.existsSync(keyFile)).toBe(true);
        expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
        expect(server.output()).toContain('generated the key that seals webhook and connector secrets');
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    },
  );
});
