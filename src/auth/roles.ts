/**
 * The roles of API.md and what each may do: permissions are data, checked in one hook. A role
 * belongs to an API key or to a person (`read-only` reads what an agent reads, writes nothing).
 */
export const roles = ['admin', 'agent', 'fulfillment', 'channel', 'read-only'] as const;
export type Role = (typeof roles)[number];

const everyone: readonly Role[] = roles;

export const permissions = {
  /** `GET /v1/me`: every key may ask what it is allowed to do. */
  'session:read': everyone,
  'network:read': everyone,
  'network:write': ['admin'],
  'catalog:read': everyone,
  'catalog:write': ['admin'],
  'inventory:read': ['admin', 'agent', 'fulfillment', 'read-only'],
  /** Fulfillment keys may count and adjust stock at their own locations only. */
  'inventory:write': ['admin', 'fulfillment'],
  'availability:read': everyone,
  'reservations:read': ['admin', 'agent', 'channel', 'read-only'],
  'reservations:write': ['admin', 'channel'],
  'events:read': ['admin', 'agent', 'read-only'],
  /** Channel keys create and read their own channel's orders only. */
  'orders:read': ['admin', 'agent', 'channel', 'read-only'],
  'orders:create': ['admin', 'channel'],
  /** Customer service: cancel, hold, release. */
  'orders:manage': ['admin', 'agent'],
  /** Fulfillment keys work their own locations' queues only. */
  'fulfillment:read': ['admin', 'agent', 'fulfillment', 'read-only'],
  'fulfillment:write': ['admin', 'fulfillment'],
  /** Tracking updates in Consign's own format; fulfillment keys for their locations' shipments. */
  'tracking:write': ['admin', 'agent', 'fulfillment'],
  'routing:read': ['admin', 'agent', 'read-only'],
  'routing:write': ['admin'],
  /** Returns: channel keys start (and cancel) returns of their own channel's orders only. */
  'returns:read': ['admin', 'agent', 'channel', 'read-only'],
  'returns:create': ['admin', 'agent', 'channel'],
  /** Authorize, reject, refund, exchange, reship. */
  'returns:manage': ['admin', 'agent'],
  /** Fulfillment keys receive returns at their own locations only. */
  'returns:receive': ['admin', 'agent', 'fulfillment'],
  'returns:configure': ['admin'],
  /** API keys (create, list, revoke) and staff accounts (invite, change, disable). */
  'keys:write': ['admin'],
  'users:manage': ['admin'],
  /** Dashboards and customer 360; channel keys see only their own channel's figures. */
  'reports:read': ['admin', 'agent', 'channel', 'read-only'],
  'customers:read': ['admin', 'agent', 'channel', 'read-only'],
  'webhooks:manage': ['admin'],
  /** A backup holds every record and secret of the installation. */
  'backups:create': ['admin'],
  /** Recurring orders; channel keys their own channel's only. */
  'subscriptions:read': ['admin', 'agent', 'channel', 'read-only'],
  'subscriptions:manage': ['admin', 'agent', 'channel'],
  /** ERP exports: every channel's orders, invoices and payments, so admin keys only. */
  'exports:read': ['admin'],
  /** Importing a previous system's orders writes every channel's history, so admin keys only. */
  'history:import': ['admin'],
  /** An order's tax documents (channel keys their own channel's) and the tax settings and rates. */
  'tax:read': ['admin', 'agent', 'channel', 'read-only'],
  'tax:configure': ['admin'],
  /** Customer notifications: read messages and preferences; resend and set preferences; edit templates. */
  'notifications:read': ['admin', 'agent', 'read-only'],
  'notifications:write': ['admin', 'agent'],
  'notifications:configure': ['admin'],
  /** Task queues: work for people (review an order, call a customer); read, create, claim, complete, cancel. */
  'tasks:read': ['admin', 'agent', 'read-only'],
  'tasks:write': ['admin', 'agent'],
  /** Automation rules, their versions, executions and dry runs. */
  'automations:read': ['admin', 'agent', 'read-only'],
  /** Drafting and activating rules: their actions hold, cancel and call out, so admin keys only. */
  'automations:configure': ['admin'],
  /** Shadow mode: its reconciliation is read by admins and agents; feeding it and switching modes, admins only. */
  'shadow:read': ['admin', 'agent', 'read-only'],
  'shadow:write': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

/** A person signed in to the console (a session), as opposed to a machine's API key. */
interface Person {
  id: string;
  email: string;
  name: string;
}

export interface Principal {
  /**
   * Who acts, as recorded on what they do (events, holds, tasks): the API key's ID, or for a
   * person signed in, their e-mail address.
   */
  keyId: string;
  role: Role;
  /** For `fulfillment` keys: the locations whose work and stock they may touch. */
  locationIds: string[];
  /** For `channel` keys: the one channel they act for. */
  channelId: string | null;
  /** The person, when a session (not an API key) authenticated the request. */
  person?: Person | undefined;
}

export function can(principal: Principal, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(principal.role);
}

/** Channel keys see only their own channel's records (orders, holds, shipments, invoices); other roles see all. */
export function canSeeChannel(principal: Principal, channelId: string | null): boolean {
  return principal.role !== 'channel' || principal.channelId === channelId;
}

/** Admins reach every location; fulfillment keys only their own. */
export function canTouchLocation(principal: Principal, locationId: string): boolean {
  if (principal.role === 'admin') return true;
  return principal.role === 'fulfillment' && principal.locationIds.includes(locationId);
}
