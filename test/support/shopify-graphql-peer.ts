import { PlatformApiPeer, type PeerAnswer } from './platform-api-peer.ts';

/** A line item of the peer's order, as Shopify keeps it. */
interface Item {
  id: string;
  quantity: number;
  title: string;
  variantId: string | null;
}

interface Session {
  orderId: string;
  items: Item[];
}

export interface GraphqlCall {
  name: string;
  variables: Record<string, unknown>;
}

const ok = (data: unknown): PeerAnswer => ({ status: 200, text: JSON.stringify({ data }) });
const calculatedItem = (i: Item) => ({
  id: `gid://shopify/CalculatedLineItem/${i.id}`,
  quantity: i.quantity,
  title: i.title,
  variant: i.variantId ? { id: i.variantId } : null,
});

/**
 * Shopify's Admin GraphQL order editing, behind a connector's relay: `orderEditBegin` opens a
 * calculated order over the order's line items (each calculated line item numbered as its line
 * item), the `orderEditSetQuantity` / `AddVariant` / `AddCustomItem` mutations stage changes,
 * `orderEditCommit` applies them, `orderUpdate` sets the shipping address. The operation name is
 * read from the document and must be the mutation it calls; answers have Shopify's shapes,
 * `userErrors` included. A test can have one mutation answered with user errors, or applied
 * and its answer lost (HTTP 502).
 */
export class ShopifyGraphqlPeer {
  readonly calls: GraphqlCall[] = [];
  readonly orders = new Map<string, { items: Item[]; shippingAddress: unknown }>();
  /** The next call of the named mutation answers these user errors (and changes nothing). */
  readonly userErrorsNext = new Map<string, { field: string[]; message: string }[]>();
  /** The next call of the named mutation is applied, then answered 502. */
  loseAnswerOf: string | null = null;
  readonly peer: PlatformApiPeer;
  private readonly sessions = new Map<string, Session>();
  private nextId = 9_000_000_001;

  constructor(secret: string) {
    this.peer = new PlatformApiPeer(secret, '/shopify-relay', (method, path, text) => this.handle(method, path, text));
  }

  /** An order as Shopify has it (from the order payload's `line_items`). */
  addOrder(id: string, lineItems: { id: string; quantity: number; title: string; variant_id: string | null }[]) {
    const items = lineItems.map((li) => ({
      id: li.id,
      quantity: li.quantity,
      title: li.title,
      variantId: li.variant_id ? `gid://shopify/ProductVariant/${li.variant_id}` : null,
    }));
    this.orders.set(`gid://shopify/Order/${id}`, { items, shippingAddress: null });
  }

  private handle(method: string, path: string, text: string): PeerAnswer {
    if (method !== 'POST' || path !== '/admin/api/2024-10/graphql.json')
      return { status: 404, text: '{"errors":"Not Found"}' };
    const { query, variables } = JSON.parse(text) as { query: string; variables: Record<string, unknown> };
    const name = /^\s*mutation\s+(\w+)\s*\(/.exec(query)?.[1] ?? '';
    if (!new RegExp(`\\{\\s*${name}\\(`).test(query))
      return {
        status: 200,
        text: JSON.stringify({ errors: [{ message: `operation ${name} does not call ${name}` }] }),
      };
    this.calls.push({ name, variables });
    const userErrors = this.userErrorsNext.get(name);
    if (userErrors) {
      this.userErrorsNext.delete(name);
      return ok({ [name]: { userErrors } });
    }
    const answer = this.mutate(name, variables);
    if (this.loseAnswerOf === name) {
      this.loseAnswerOf = null;
      return { status: 502, text: '{"errors":"Bad Gateway"}' };
    }
    return answer;
  }

  private mutate(name: string, v: Record<string, unknown>): PeerAnswer {
    if (name === 'orderUpdate') {
      const input = v.input as { id: string; shippingAddress: unknown };
      const order = this.orders.get(input.id);
      if (!order)
        return ok({ orderUpdate: { order: null, userErrors: [{ field: ['id'], message: 'Order does not exist' }] } });
      order.shippingAddress = input.shippingAddress;
      return ok({ orderUpdate: { order: { id: input.id }, userErrors: [] } });
    }
    if (name === 'orderEditBegin') {
      const order = this.orders.get(v.id as string);
      if (!order)
        return ok({
          orderEditBegin: { calculatedOrder: null, userErrors: [{ field: ['id'], message: 'Order does not exist' }] },
        });
      const id = `gid://shopify/CalculatedOrder/${this.nextId++}`;
      this.sessions.set(id, { orderId: v.id as string, items: order.items.map((i) => ({ ...i })) });
      const nodes = order.items.map(calculatedItem);
      return ok({ orderEditBegin: { calculatedOrder: { id, lineItems: { nodes } }, userErrors: [] } });
    }
    const session = this.sessions.get(v.id as string);
    if (!session)
      return ok({ [name]: { userErrors: [{ field: ['id'], message: 'The calculated order does not exist' }] } });
    if (name === 'orderEditCommit') {
      this.orders.get(session.orderId)!.items = session.items;
      this.sessions.delete(v.id as string);
      return ok({ orderEditCommit: { order: { id: session.orderId }, userErrors: [] } });
    }
    if (name === 'orderEditSetQuantity') {
      const item = session.items.find((i) => `gid://shopify/CalculatedLineItem/${i.id}` === v.lineItemId);
      if (!item)
        return ok({ [name]: { userErrors: [{ field: ['lineItemId'], message: 'Line item does not exist' }] } });
      item.quantity = v.quantity as number;
      return ok({ [name]: { calculatedLineItem: calculatedItem(item), userErrors: [] } });
    }
    const added: Item =
      name === 'orderEditAddVariant'
        ? {
            id: String(this.nextId++),
            quantity: v.quantity as number,
            title: 'variant',
            variantId: v.variantId as string,
          }
        : { id: String(this.nextId++), quantity: v.quantity as number, title: v.title as string, variantId: null };
    session.items.push(added);
    return ok({ [name]: { calculatedLineItem: calculatedItem(added), userErrors: [] } });
  }
}
