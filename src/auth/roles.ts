/** The four roles of API.md and what each may do: permissions are data, checked in one hook. */
export const roles = ['admin', 'agent', 'fulfillment', 'channel'] as const;
export type Role = (typeof roles)[number];

const everyone: readonly Role[] = roles;

export const permissions = {
  /** `GET /v1/me`: every key may ask what it is allowed to do. */
  'session:read': everyone,
  'network:read': everyone,
  'network:write': ['admin'],
  'catalog:read': everyone,
  'catalog:write': ['admin'],
  'inventory:read': ['admin', 'agent', 'fulfillment'],
  /** Fulfillment keys may count and adjust stock at their own locations only. */
  'inventory:write': ['admin', 'fulfillment'],
  'availability:read': everyone,
  'reservations:read': ['admin', 'agent', 'channel'],
  'reservations:write': ['admin', 'channel'],
  'events:read': ['admin', 'agent'],
  /** Channel keys create and read their own channel's orders only. */
  'orders:read': ['admin', 'agent', 'channel'],
  'orders:create': ['admin', 'channel'],
  /** Customer service: cancel, hold, release. */
  'orders:manage': ['admin', 'agent'],
  /** Fulfillment keys work their own locations' queues only. */
  'fulfillment:read': ['admin', 'agent', 'fulfillment'],
  'fulfillment:write': ['admin', 'fulfillment'],
  /** Tracking updates in Consign's own format; fulfillment keys for their locations' shipments. */
  'tracking:write': ['admin', 'agent', 'fulfillment'],
  'routing:read': ['admin', 'agent'],
  'routing:write': ['admin'],
  /** Returns: channel keys start (and cancel) returns of their own channel's orders only. */
  'returns:read': ['admin', 'agent', 'channel'],
  'returns:create': ['admin', 'agent', 'channel'],
  /** Authorize, reject, refund, exchange, reship. */
  'returns:manage': ['admin', 'agent'],
  /** Fulfillment keys receive returns at their own locations only. */
  'returns:receive': ['admin', 'agent', 'fulfillment'],
  'returns:configure': ['admin'],
  'keys:write': ['admin'],
  /** Dashboards and customer 360; channel keys see only their own channel's figures. */
  'reports:read': ['admin', 'agent', 'channel'],
  'customers:read': ['admin', 'agent', 'channel'],
  'webhooks:manage': ['admin'],
  /** A backup holds every record and secret of the installation. */
  'backups:create': ['admin'],
  /** Recurring orders; channel keys their own channel's only. */
  'subscriptions:read': ['admin', 'agent', 'channel'],
  'subscriptions:manage': ['admin', 'agent', 'channel'],
  /** ERP exports: every channel's orders, invoices and payments, so admin keys only. */
  'exports:read': ['admin'],
  /** Importing a previous system's orders writes every channel's history, so admin keys only. */
  'history:import': ['admin'],
  /** An order's tax documents (channel keys their own channel's) and the tax settings and rates. */
  'tax:read': ['admin', 'agent', 'channel'],
  'tax:configure': ['admin'],
  /** Customer notifications: read messages and preferences; resend and set preferences; edit templates. */
  'notifications:read': ['admin', 'agent'],
  'notifications:write': ['admin', 'agent'],
  'notifications:configure': ['admin'],
  /** Task queues: work for people (review an order, call a customer); read, create, claim, complete, cancel. */
  'tasks:read': ['admin', 'agent'],
  'tasks:write': ['admin', 'agent'],
  /** Automation rules, their versions, executions and dry runs. */
  'automations:read': ['admin', 'agent'],
  /** Drafting and activating rules: their actions hold, cancel and call out, so admin keys only. */
  'automations:configure': ['admin'],
  /** Shadow mode: its reconciliation is read by admins and agents; feeding it and switching modes, admins only. */
  'shadow:read': ['admin', 'agent'],
  'shadow:write': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export interface Principal {
  keyId: string;
  role: Role;
  /** For `fulfillment` keys: the locations whose work and stock they may touch. */
  locationIds: string[];
  /** For `channel` keys: the one channel they act for. */
  channelId: string | null;
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
