import type { PerformOutcome, RelayRequest } from '../../webhooks/index.ts';
import type { ShippingAddress } from '../../orders/index.ts';
import type { EditPlan } from './edit-plan.ts';

/** Shopify Admin GraphQL, the version the other Shopify calls use. */
const SHOPIFY_GRAPHQL_PATH = '/admin/api/2024-10/graphql.json';

const USER_ERRORS = 'userErrors { field message }';
const MUTATIONS = {
  orderEditBegin: `mutation orderEditBegin($id: ID!) { orderEditBegin(id: $id) { calculatedOrder { id lineItems(first: 250) { nodes { id quantity title variant { id } } } } ${USER_ERRORS} } }`,
  orderEditSetQuantity: `mutation orderEditSetQuantity($id: ID!, $lineItemId: ID!, $quantity: Int!, $restock: Boolean) { orderEditSetQuantity(id: $id, lineItemId: $lineItemId, quantity: $quantity, restock: $restock) { calculatedLineItem { id quantity } ${USER_ERRORS} } }`,
  orderEditAddVariant: `mutation orderEditAddVariant($id: ID!, $variantId: ID!, $quantity: Int!) { orderEditAddVariant(id: $id, variantId: $variantId, quantity: $quantity) { calculatedLineItem { id quantity } ${USER_ERRORS} } }`,
  orderEditAddCustomItem: `mutation orderEditAddCustomItem($id: ID!, $title: String!, $price: MoneyInput!, $quantity: Int!) { orderEditAddCustomItem(id: $id, title: $title, price: $price, quantity: $quantity) { calculatedLineItem { id quantity } ${USER_ERRORS} } }`,
  orderEditCommit: `mutation orderEditCommit($id: ID!, $notifyCustomer: Boolean, $staffNote: String) { orderEditCommit(id: $id, notifyCustomer: $notifyCustomer, staffNote: $staffNote) { order { id } ${USER_ERRORS} } }`,
  orderUpdate: `mutation orderUpdate($input: OrderInput!) { orderUpdate(input: $input) { order { id } ${USER_ERRORS} } }`,
} as const;
type Mutation = keyof typeof MUTATIONS;

interface CalculatedItem {
  id: string;
  quantity: number;
  title: string;
  variant: { id: string } | null;
}

type Answer = { ok: true; data: Record<string, unknown> } | { ok: false; status: number | null; error: string };

const gid = (type: string, id: string) => `gid://shopify/${type}/${id}`;
/** The numeric part of a Shopify GID: an existing line's calculated line item has its line item's number. */
const tail = (id: string) => id.slice(id.lastIndexOf('/') + 1);

/** One mutation; its `userErrors` (and GraphQL or HTTP errors) are a failure naming Shopify's message. */
async function mutate(request: RelayRequest, name: Mutation, variables: Record<string, unknown>): Promise<Answer> {
  const answer = await request('POST', SHOPIFY_GRAPHQL_PATH, JSON.stringify({ query: MUTATIONS[name], variables }));
  if (answer.status < 200 || answer.status >= 300)
    return {
      ok: false,
      status: answer.status,
      error: `Shopify ${name}: HTTP ${answer.status} ${answer.text.slice(0, 300)}`,
    };
  const body = JSON.parse(answer.text) as { data?: Record<string, unknown>; errors?: { message: string }[] };
  if (body.errors?.length)
    return {
      ok: false,
      status: answer.status,
      error: `Shopify ${name}: ${body.errors.map((e) => e.message).join('; ')}`,
    };
  const result = body.data?.[name] as
    ({ userErrors?: { field?: string[]; message: string }[] } & Record<string, unknown>) | null;
  const userErrors = result?.userErrors ?? [];
  if (!result || userErrors.length > 0) {
    const messages = userErrors.map((e) => `${e.field?.join('.') ?? ''}${e.field ? ': ' : ''}${e.message}`);
    return { ok: false, status: answer.status, error: `Shopify ${name}: ${messages.join('; ') || 'no result'}` };
  }
  return { ok: true, data: result };
}

/** Consign's address as Shopify's `MailingAddressInput`. */
function mailingAddress(a: ShippingAddress) {
  const [firstName, ...rest] = (a.name ?? '').split(' ');
  return {
    ...(firstName && { firstName }),
    ...(rest.length > 0 && { lastName: rest.join(' ') }),
    address1: a.line1,
    ...(a.line2 && { address2: a.line2 }),
    city: a.city,
    ...(a.region && { provinceCode: a.region }),
    ...(a.postal_code && { zip: a.postal_code }),
    countryCode: a.country,
    ...(a.phone && { phone: a.phone }),
  };
}

/**
 * The mutations still needed against the order as Shopify has it now (the edit's calculated
 * order): a quantity already as wanted, or an added item already there (an item that was not on
 * the order, of the same variant or custom title and quantity), asks for nothing. A retry after
 * a commit whose answer was lost therefore changes nothing.
 */
function stagedMutations(plan: EditPlan, id: string, items: CalculatedItem[]) {
  const staged: { name: Mutation; variables: Record<string, unknown> }[] = [];
  const byLine = new Map(items.map((i) => [tail(i.id), i]));
  for (const edit of plan.set_quantities) {
    const item = byLine.get(edit.line_item_id);
    if (!item ? edit.quantity === 0 : item.quantity === edit.quantity) continue;
    const lineItemId = item?.id ?? gid('CalculatedLineItem', edit.line_item_id);
    staged.push({
      name: 'orderEditSetQuantity',
      variables: { id, lineItemId, quantity: edit.quantity, restock: true },
    });
  }
  const known = new Set(plan.known_line_items);
  const added = items.filter((i) => !known.has(tail(i.id)) && i.quantity > 0);
  for (const a of plan.additions) {
    const variantId = a.variant_id ? gid('ProductVariant', a.variant_id) : undefined;
    const same = (i: CalculatedItem) =>
      i.quantity === a.quantity && (variantId ? i.variant?.id === variantId : !i.variant && i.title === a.title);
    const there = added.findIndex(same);
    if (there >= 0) {
      added.splice(there, 1);
      continue;
    }
    if (variantId) staged.push({ name: 'orderEditAddVariant', variables: { id, variantId, quantity: a.quantity } });
    else {
      const price = { amount: a.unit_price, currencyCode: plan.currency };
      staged.push({ name: 'orderEditAddCustomItem', variables: { id, title: a.title, price, quantity: a.quantity } });
    }
  }
  return staged;
}

/**
 * A confirmed change as a Shopify order edit: `orderEditBegin`, the quantities and additions
 * still needed, `orderEditCommit` with the change's reason as the staff note (the customer is
 * not notified by Shopify: Consign notifies), then `orderUpdate` for a new shipping address.
 * The first refusal stops the edit (an uncommitted edit changes nothing on Shopify).
 */
export async function performShopifyEdit(plan: EditPlan, request: RelayRequest): Promise<PerformOutcome> {
  const order = gid('Order', plan.external_id);
  if (plan.set_quantities.length > 0 || plan.additions.length > 0) {
    const begun = await mutate(request, 'orderEditBegin', { id: order });
    if (!begun.ok) return begun;
    const calculated = begun.data.calculatedOrder as { id: string; lineItems: { nodes: CalculatedItem[] } };
    const staged = stagedMutations(plan, calculated.id, calculated.lineItems.nodes);
    for (const step of staged) {
      const done = await mutate(request, step.name, step.variables);
      if (!done.ok) return done;
    }
    if (staged.length > 0) {
      // The change ID ends the note whatever the reason's length: orders/edited is known by it.
      const suffix = ` (Consign change ${plan.change_id})`;
      const staffNote = `${plan.reason.slice(0, 255 - suffix.length)}${suffix}`;
      const committed = await mutate(request, 'orderEditCommit', {
        id: calculated.id,
        notifyCustomer: false,
        staffNote,
      });
      if (!committed.ok) return committed;
    }
  }
  if (plan.shipping_address) {
    const input = { id: order, shippingAddress: mailingAddress(plan.shipping_address) };
    const updated = await mutate(request, 'orderUpdate', { input });
    if (!updated.ok) return updated;
  }
  return { ok: true, status: 200 };
}
