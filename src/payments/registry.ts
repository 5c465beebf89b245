import { testGatewayWanted } from '../config.ts';
import type { Executor } from '../db/index.ts';
import type { PaymentGateway } from './gateway.ts';
import { createTestGateway } from './test-gateway.ts';

/**
 * Gateway names (the `gateway` of an order's authorization) → implementations. A deployment
 * registers its own at start-up; the built-in `test` simulator is registered only when switched
 * on (`CONSIGN_TEST_GATEWAY=1`, or the embedded demo). An authorization whose gateway is not
 * registered is never guessed at: its captures, voids and refunds are recorded as `pending`.
 *
 * A name with a method after a colon (`shopify:shopify_payments`) is served by the gateway
 * registered under the part before it (`shopify`) when none is registered under the full name.
 */
type GatewayFactory = (executor: Executor) => PaymentGateway;

const TEST = 'test';
const factories = new Map<string, GatewayFactory>();

export function registerGateway(name: string, factory: GatewayFactory): void {
  if (!/^[a-z0-9][a-z0-9_.-]{0,59}$/.test(name))
    throw new Error(`gateway name "${name}" must be lower-case letters, digits, _ . -`);
  factories.set(name, factory);
}

export function gatewayFor(name: string, executor: Executor): PaymentGateway | undefined {
  const factory = factories.get(name) ?? factories.get(name.split(':')[0]!);
  return factory?.(executor);
}

export function registeredGateways(): string[] {
  return [...factories.keys()].sort();
}

/** Switches the `test` gateway (a simulator that moves no money) on or off for this process. */
export function setTestGateway(on: boolean): void {
  if (on) factories.set(TEST, (executor) => createTestGateway(executor, TEST));
  else factories.delete(TEST);
}

setTestGateway(testGatewayWanted(process.env));
