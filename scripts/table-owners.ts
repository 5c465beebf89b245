/**
 * Which folder under src/ writes each table, and where code writes tables. Used by
 * check-boundaries.ts; docs/architecture.md lists the same map with the reasons.
 */
import ts from 'typescript';

/** Every table of the schema → the one folder under src/ whose files write it. */
export const TABLE_OWNERS: Readonly<Record<string, string>> = {
  consign_meta: 'db',
  idempotency_keys: 'http',
  api_keys: 'auth',
  users: 'auth',
  user_sessions: 'auth',
  password_resets: 'auth',
  events: 'events',
  events_archive: 'events',
  outbox_cursors: 'streaming',
  notification_messages: 'notifications',
  notification_templates: 'notifications',
  notification_preferences: 'notifications',
  locations: 'network',
  location_groups: 'network',
  location_group_members: 'network',
  channels: 'network',
  products: 'catalog',
  product_components: 'catalog',
  stock_levels: 'inventory',
  inventory_ledger: 'inventory',
  inventory_feeds: 'inventory',
  supplies: 'supply',
  supply_lines: 'supply',
  product_preorders: 'supply',
  reservations: 'reservations',
  reservation_lines: 'reservations',
  orders: 'orders',
  order_lines: 'orders',
  order_allocations: 'orders',
  order_holds: 'orders',
  fulfillment_orders: 'orders',
  routing_decisions: 'orders',
  order_changes: 'orders',
  order_versions: 'orders',
  fulfillment_release_requests: 'orders',
  routing_rule_versions: 'routing',
  fulfillment_order_details: 'fulfillment',
  shipments: 'fulfillment',
  shipment_lines: 'fulfillment',
  tracking_events: 'tracking',
  payments: 'payments',
  payment_details: 'payments',
  invoice_counters: 'invoices',
  invoices: 'invoices',
  webhook_subscriptions: 'webhooks',
  webhook_deliveries: 'webhooks',
  channel_return_policies: 'returns',
  product_return_policies: 'returns',
  returns: 'returns',
  return_lines: 'returns',
  return_receipts: 'returns',
  linked_orders: 'returns',
  linked_order_lines: 'returns',
  exchange_credits: 'returns',
  channel_connectors: 'connectors',
  connector_reviews: 'connectors',
  connector_events: 'connectors',
  connector_errors: 'connectors',
  channel_catalog_mappings: 'connectors',
  subscriptions: 'subscriptions',
  subscription_periods: 'subscriptions',
  subscription_attempts: 'subscriptions',
  export_positions: 'exports',
  tax_rates: 'tax',
  tax_settings: 'tax',
  product_tax_codes: 'tax',
  tax_documents: 'tax',
  tax_lines: 'tax',
  automation_rules: 'automations',
  automation_rule_versions: 'automations',
  automation_executions: 'automations',
  order_tags: 'orders',
  tasks: 'tasks',
  postal_centroids: 'geo',
  routing_simulations: 'simulations',
  routing_simulation_changes: 'simulations',
  routing_order_sets: 'simulations',
  routing_order_set_orders: 'simulations',
  shadow_orders: 'shadow',
  shadow_outcomes: 'shadow',
  shadow_stock: 'shadow',
};

/** Tables any folder may INSERT into (only the owner updates or deletes): the transactional outbox. */
export const APPEND_ONLY_TABLES: ReadonlySet<string> = new Set(['events']);

/** The schema's tables: SQL names, and the drizzle exports that stand for them. */
export interface SchemaTables {
  names: ReadonlySet<string>;
  /** Export name (`orderLines`) → table name (`order_lines`). */
  byExport: ReadonlyMap<string, string>;
}

/** Reads `export const x = pgTable('name', …)` from the text of the schema files. */
export function readSchemaTables(sources: string[]): SchemaTables {
  const byExport = new Map<string, string>();
  for (const source of sources) {
    for (const m of source.matchAll(/export\s+const\s+(\w+)\s*=\s*pgTable\(\s*['"]([a-z_][a-z0-9_]*)['"]/g)) {
      byExport.set(m[1]!, m[2]!);
    }
  }
  return { names: new Set(byExport.values()), byExport };
}

export type WriteVerb = 'insert' | 'update' | 'delete';

export interface TableWrite {
  table: string;
  verb: WriteVerb;
  /** 1-based. */
  line: number;
}

/** `insert into t`, `update t`, `delete from t`; not `for update`, `for no key update` or `do update`. */
const SQL_WRITE = /\b(insert\s+into|update|delete\s+from)\s+(?:only\s+)?"?([a-z_][a-z0-9_]*)"?/gi;
const NOT_A_WRITE_BEFORE = /\b(?:for|key|do)\s+$/i;

function verbOf(keyword: string): WriteVerb {
  const word = keyword.toLowerCase();
  return word.startsWith('insert') ? 'insert' : word.startsWith('delete') ? 'delete' : 'update';
}

function sqlWrites(text: string, names: ReadonlySet<string>): { table: string; verb: WriteVerb }[] {
  const writes: { table: string; verb: WriteVerb }[] = [];
  for (const m of text.matchAll(SQL_WRITE)) {
    const table = m[2]!.toLowerCase();
    if (!names.has(table) || NOT_A_WRITE_BEFORE.test(text.slice(0, m.index))) continue;
    writes.push({ table, verb: verbOf(m[1]!) });
  }
  return writes;
}

/** The table a drizzle table expression names: `tables.orders`, `orders`, or a local alias of one. */
function drizzleTable(node: ts.Expression, schema: SchemaTables, aliases: Map<string, string>): string | undefined {
  if (ts.isPropertyAccessExpression(node)) return schema.byExport.get(node.name.text);
  if (ts.isIdentifier(node)) return aliases.get(node.text) ?? schema.byExport.get(node.text);
  return undefined;
}

/**
 * Every table write in a TypeScript source: SQL text in strings and templates (`sql\`…\``), and
 * drizzle's `.insert(t)`, `.update(t)`, `.delete(t)` on a schema table. Comments are not code.
 */
export function findTableWrites(source: string, schema: SchemaTables, fileName = 'file.ts'): TableWrite[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const writes: TableWrite[] = [];
  const aliases = new Map<string, string>();
  const lineOf = (node: ts.Node) => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const table = drizzleTable(node.initializer, schema, aliases);
      if (table) aliases.set(node.name.text, table);
    }
    if (ts.isStringLiteral(node) || ts.isTemplateLiteralToken(node)) {
      for (const write of sqlWrites(node.text, schema.names)) writes.push({ ...write, line: lineOf(node) });
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.arguments[0]) {
      const method = node.expression.name.text;
      const table = ['insert', 'update', 'delete'].includes(method)
        ? drizzleTable(node.arguments[0], schema, aliases)
        : undefined;
      if (table) writes.push({ table, verb: method as WriteVerb, line: lineOf(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return writes;
}

/** Why `writer` (a folder under src/, or a top-level file) may not make this write, or undefined when it may. */
export function writeOffence(
  writer: string,
  write: Pick<TableWrite, 'table' | 'verb'>,
  owners: Readonly<Record<string, string>> = TABLE_OWNERS,
): string | undefined {
  const owner = owners[write.table];
  if (owner === undefined) return `table ${write.table} has no owner in TABLE_OWNERS (scripts/table-owners.ts)`;
  if (owner === writer) return undefined;
  if (write.verb === 'insert' && APPEND_ONLY_TABLES.has(write.table)) return undefined;
  return `${write.table} belongs to src/${owner}/; call its functions instead of writing it (${write.verb} from src/${writer})`;
}

/** Problems with the map itself: schema tables without an owner, owners that are not folders, entries for no table. */
export function ownerMapProblems(
  schema: SchemaTables,
  folders: ReadonlySet<string>,
  owners: Readonly<Record<string, string>> = TABLE_OWNERS,
): string[] {
  const problems: string[] = [];
  for (const table of [...schema.names].sort()) {
    const owner = owners[table];
    if (owner === undefined) problems.push(`table ${table} has no owner in TABLE_OWNERS (scripts/table-owners.ts)`);
    else if (!folders.has(owner)) problems.push(`table ${table} is owned by src/${owner}/, which does not exist`);
  }
  for (const table of Object.keys(owners).sort()) {
    if (!schema.names.has(table)) problems.push(`TABLE_OWNERS names ${table}, which is not a table of the schema`);
  }
  return problems;
}
