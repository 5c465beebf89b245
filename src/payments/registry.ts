import type { Executor } from '../db/index.ts';
import type { PaymentGateway } from './gateway.ts';
import { createTestGateway } from './test-gateway.ts';

/**
 * Gateway names (the `gateway` of an order's authorization) → implementations. Only `test` is
 * built in; a deployment registers its own at start-up. An authorization whose gateway is not
 * registered is never guessed at: its captures, voids and refunds are recorded as `pending`.
 */
export type GatewayFactory = (executor: Executor) => PaymentGateway;

const factories = new Map<string, GatewayFactory>([['test', (executor) => createTestGateway(executor, 'test')]]);

export function registerGateway(name: string, factory: GatewayFactory): void {
  if (!/^[a-z0-9][a-z0-9_.-]{0,59}$/.test(name))
    throw new Error(`gateway name "${name}" must be lower-case letters, digits, _ . -`);
  factories.set(name, factory);
}

export function gatewayFor(name: string, executor: Executor): PaymentGateway | undefined {
  return factories.get(name)?.(executor);
}

export function registeredGateways(): string[] {
  return [...factories.keys()].sort();
}
