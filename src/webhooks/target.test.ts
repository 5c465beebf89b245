import { describe, expect, it } from 'vitest';
import { allowList, internalRange, targetProblem } from './target.ts';

describe('internal addresses', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['0.0.0.0', '"this network"'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared (carrier-grade NAT)'],
    ['100.127.255.255', 'shared (carrier-grade NAT)'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'unique local (private)'],
    ['fdff:ffff::1', 'unique local (private)'],
    ['fe80::1', 'link-local'],
    ['::ffff:7f00:1', 'IPv4-mapped'],
    ['::ffff:8.8.8.8', 'IPv4-mapped'],
  ])('%s is %s', (address, kind) => {
    expect(internalRange(address)).toBe(kind);
  });

  it.each(['8.8.8.8', '93.184.216.34', '172.32.0.1', '172.15.255.255', '100.128.0.1', '2606:4700::1111', 'fbff::1'])(
    '%s is public',
    (address) => {
      expect(internalRange(address)).toBeUndefined();
    },
  );
});

describe('the allow-list', () => {
  const allowed = allowList(' Hooks.Internal , 10.0.0.0/8, [fd00::]/8 ,127.0.0.1');
  it('matches names case-insensitively, addresses exactly and ranges by prefix', () => {
    expect(allowed('hooks.internal')).toBe(true);
    expect(allowed('10.200.1.1')).toBe(true);
    expect(allowed('fd12::1')).toBe(true);
    expect(allowed('127.0.0.1')).toBe(true);
    expect(allowed('127.0.0.2')).toBe(false);
    expect(allowed('192.168.0.1')).toBe(false);
    expect(allowList(undefined)('127.0.0.1')).toBe(false);
  });

  it('lets an allowed internal URL through and refuses the others with the variable to set', async () => {
    const env = { CONSIGN_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' };
    expect(await targetProblem('http://127.0.0.1:9/x', env)).toBeUndefined();
    const refused = await targetProblem('http://[::1]:9/x', env);
    expect(refused).toMatchObject({ code: 'webhook_target_not_allowed' });
    expect(refused?.detail).toContain('CONSIGN_WEBHOOK_ALLOW_HOSTS');
    expect(await targetProblem('https://8.8.8.8/x', {})).toBeUndefined();
  });
});
