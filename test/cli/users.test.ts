import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpPeer } from '../support/smtp-peer.ts';
import {
  createCliTarget,
  killChildren,
  runConsign,
  startServeProcess,
  type CliTarget,
  CLI_TEST_TIMEOUT_MS,
} from './cli-process.ts';

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

  it('mails the sign-in link to the person when mail is set up, and the mailed link works once', async () => {
    const smtp = await new SmtpPeer().start();
    try {
      const mail = { CONSIGN_SMTP_URL: smtp.url, CONSIGN_NOTIFY_FROM: 'consign@shop.example' };
      const added = await runConsign(['users', 'add', 'lin@example.com', '--name', 'Lin', '--role', 'agent'], {
        ...target.env,
        ...mail,
      });
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).toMatch(/^Mailed it to lin@example\.com\.$/m);
      const reset = await runConsign(['users', 'reset-link', 'lin@example.com'], { ...target.env, ...mail });
      expect(reset.code, reset.stderr).toBe(0);
      expect(smtp.messages).toHaveLength(2);
      const [invited, again] = smtp.messages;
      for (const [message, printed] of [
        [invited!, added.stdout],
        [again!, reset.stdout],
      ] as const) {
        expect(message.to).toMatchObject({ value: [{ address: 'lin@example.com' }] });
        expect(message.from).toMatchObject({ value: [{ address: 'consign@shop.example' }] });
        expect(message.subject).toBe('Your Consign sign-in link');
        expect(message.text).toContain(linkOf(printed)!);
      }

      // The newest mailed link sets the password once; a second use is refused.
      const token = /set-password#token=([\w-]+)/.exec(again!.text ?? '')![1]!;
      const serve = await startServeProcess(target.env);
      try {
        const use = () =>
          fetch(`${serve.url}/v1/auth/sign-in-link`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ token, password: 'a long enough password' }),
          });
        const first = await use();
        expect(first.status, await first.clone().text()).toBe(200);
        expect(((await first.json()) as { role: string }).role).toBe('agent');
        const second = await use();
        expect(second.status).toBe(400);
        expect(((await second.json()) as { code: string }).code).toBe('invalid_sign_in_link');
      } finally {
        serve.child.kill('SIGTERM');
        await serve.exited;
      }
    } finally {
      await smtp.stop();
    }
  });
});
