/**
 * Where webhooks may go: public addresses only, unless the operator names an internal host in
 * CONSIGN_WEBHOOK_ALLOW_HOSTS. A subscription's URL is checked when it is set and again before
 * every delivery, since what a name resolves to can change.
 */
import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import { problem, type Problem } from '../shared/problem.ts';

const ALLOW_HOSTS_VARIABLE = 'CONSIGN_WEBHOOK_ALLOW_HOSTS';

/** Ranges a webhook must not reach: loopback, private, shared, link-local and other non-public space. */
const internalRanges: readonly [string, number, 'ipv4' | 'ipv6', string][] = [
  ['0.0.0.0', 8, 'ipv4', '"this network"'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'IETF protocol'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['::ffff:0:0', 96, 'ipv6', 'IPv4-mapped'],
  ['fc00::', 7, 'ipv6', 'unique local (private)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

/** The kind of internal range `address` (an IP literal) lies in, or undefined for a public address. */
export function internalRange(address: string): string | undefined {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  for (const [network, prefix, rangeFamily, kind] of internalRanges) {
    if (rangeFamily !== family) continue;
    const list = new BlockList();
    list.addSubnet(network, prefix, rangeFamily);
    if (list.check(address, family)) return kind;
  }
  return undefined;
}

/** The operator's allow-list: host names, IP addresses and CIDR ranges, comma-separated. */
export function allowList(raw: string | undefined): (host: string) => boolean {
  const names = new Set<string>();
  const ranges = new BlockList();
  for (const entry of (raw ?? '').split(',').map((e) => e.trim().toLowerCase().replace(/[[\]]/g, ''))) {
    if (!entry) continue;
    const [network, prefix] = entry.split('/');
    const family = isIP(network ?? '');
    if (family && prefix !== undefined) ranges.addSubnet(network!, Number(prefix), family === 6 ? 'ipv6' : 'ipv4');
    else names.add(entry);
  }
  return (host) => {
    const bare = host.toLowerCase().replace(/^\[|\]$/g, '');
    const family = isIP(bare);
    return names.has(bare) || (family > 0 && ranges.check(bare, family === 6 ? 'ipv6' : 'ipv4'));
  };
}

/**
 * Why `url` may not receive webhooks (its host is, or resolves to, an internal address that the
 * allow-list does not name), or undefined. A name that does not resolve is not refused here:
 * the delivery fails on its own and is retried.
 */
export async function targetProblem(url: string, env: NodeJS.ProcessEnv = process.env): Promise<Problem | undefined> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const allowed = allowList(env[ALLOW_HOSTS_VARIABLE]);
  if (allowed(host)) return undefined;
  const addresses = isIP(host) ? [host] : await resolve(host);
  for (const address of addresses) {
    const kind = internalRange(address);
    if (kind && !allowed(address)) return refused(host, address, kind);
  }
  return undefined;
}

async function resolve(host: string): Promise<string[]> {
  try {
    return (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
  } catch {
    return [];
  }
}

function refused(host: string, address: string, kind: string): Problem {
  const where = host === address ? `${address} is` : `${host} resolves to ${address},`;
  const message = `${where} a ${kind} address; webhooks go to public addresses only`;
  return problem(
    'webhook_target_not_allowed',
    `url: ${message}. To deliver to an internal host, name it (or its address or range) in ${ALLOW_HOSTS_VARIABLE}.`,
    { errors: [{ pointer: '/url', message }] },
  );
}
