import type { ChangeAction, ShippingAddress } from '../../orders/index.ts';
import type { Platform } from '../mapping.ts';
import { toDecimal } from '../money.ts';

/** Platforms whose orders Consign edits after a confirmed change. */
export const EDITING_PLATFORMS: ReadonlySet<Platform> = new Set(['shopify', 'woocommerce']);

/** What a confirmed change and its order say, for the platform's edit. */
export interface EditFacts {
  platform: Platform;
  changeId: string;
  reason: string;
  externalId: string;
  currency: string;
  actions: ChangeAction[];
  /** The order's line IDs: a line the platform sent has the platform's line item ID as its own. */
  lineIds: string[];
  /** The IDs of the lines the change added, in the order of its `add_line` actions. */
  addedLineIds: string[];
  /** The channel's catalog mapping of the SKUs the change adds. */
  items: ReadonlyMap<string, { product_id: string; variant_id: string }>;
}

/** An action, or the part of one, the platform is not told about, and why. */
export interface NotPushed {
  action: ChangeAction['type'];
  line_id?: string;
  reason: string;
}

/** A line the change adds, as the platform is to add it (prices as the platform's decimals). */
interface Addition {
  line_id: string;
  title: string;
  quantity: number;
  unit_price: string;
  /** The line's price after its discount (quantity × unit price − discount). */
  total: string;
  product_id?: string;
  variant_id?: string;
}

/** The edit a platform is asked to make: the message body its performer carries out. */
export interface EditPlan {
  platform: Platform;
  change_id: string;
  reason: string;
  external_id: string;
  currency: string;
  /** The platform line item IDs the order had: any other item on the platform order was added by an edit. */
  known_line_items: string[];
  /** Existing platform line items and the quantity each is to have (0 removes it). */
  set_quantities: { line_item_id: string; quantity: number }[];
  additions: Addition[];
  shipping_address: ShippingAddress | null;
}

/** Platform line item IDs are integers; a line added in Consign has Consign's own ID. */
const isPlatformLine = (lineId: string) => /^\d+$/.test(lineId);

const notPushedReasons: Record<Exclude<ChangeAction['type'], 'add_line' | 'change_shipping_address'>, string> = {
  change_quantity: '',
  remove_line: '',
  change_price:
    'a platform order edit cannot reprice an existing line: change the price on the platform, or remove the line and add it again at the new price',
  change_delivery_method: 'the delivery method is not part of a platform order edit: change it on the platform',
  add_discount: 'an order-level discount is not part of a platform order edit: apply it on the platform',
  remove_discount: 'an order-level discount is not part of a platform order edit: remove it on the platform',
  set_shipping: 'the shipping charge is not part of the order edit Consign sends: change it on the platform',
};

function addition(facts: EditFacts, action: Extract<ChangeAction, { type: 'add_line' }>, lineId: string) {
  const item = facts.items.get(action.sku);
  const gross = action.unit_price.amount * action.quantity;
  return {
    line_id: lineId,
    title: action.name ?? action.sku,
    quantity: action.quantity,
    unit_price: toDecimal(action.unit_price.amount, facts.currency),
    total: toDecimal(gross - (action.discount?.amount ?? 0), facts.currency),
    ...(item && { product_id: item.product_id }),
    ...(item?.variant_id && { variant_id: item.variant_id }),
  };
}

/** What of an added line the platform cannot be told (`added`: whether the line itself is added). */
function additionShortfall(
  facts: EditFacts,
  action: Extract<ChangeAction, { type: 'add_line' }>,
): { added: boolean; reason: string } | undefined {
  const mapped = facts.items.has(action.sku);
  if (facts.platform === 'woocommerce' && !mapped)
    return {
      added: false,
      reason: `no WooCommerce product is mapped to ${action.sku}: add the line on the platform, or map the product and make the change again`,
    };
  if (facts.platform === 'shopify' && mapped && (action.discount?.amount ?? 0) > 0)
    return {
      added: true,
      reason: `Shopify adds the variant at its own price: apply the new line's discount of ${toDecimal(action.discount!.amount, facts.currency)} on the platform`,
    };
  return undefined;
}

/**
 * The platform edit a change makes, and what it cannot say: quantities of the platform's own
 * lines (0 removes one), added lines (the mapped variant or product, else a custom item on
 * Shopify) and a new shipping address are pushed; the rest is named with its reason. A line
 * added in Consign by an earlier change has no platform line item Consign knows of.
 */
export function planEdit(facts: EditFacts): { plan: EditPlan; notPushed: NotPushed[] } {
  const plan: EditPlan = {
    platform: facts.platform,
    change_id: facts.changeId,
    reason: facts.reason,
    external_id: facts.externalId,
    currency: facts.currency,
    known_line_items: facts.lineIds.filter(isPlatformLine),
    set_quantities: [],
    additions: [],
    shipping_address: null,
  };
  const notPushed: NotPushed[] = [];
  const explicit = new Set(facts.actions.flatMap((a) => (a.type === 'add_line' && a.line_id ? [a.line_id] : [])));
  const generated = facts.addedLineIds.filter((id) => !explicit.has(id));
  for (const action of facts.actions) {
    if (action.type === 'change_quantity' || action.type === 'remove_line') {
      const quantity = action.type === 'remove_line' ? 0 : action.quantity;
      if (isPlatformLine(action.line_id)) plan.set_quantities.push({ line_item_id: action.line_id, quantity });
      else
        notPushed.push({
          action: action.type,
          line_id: action.line_id,
          reason: `line ${action.line_id} was added in Consign and Consign does not know its platform line item: change it on the platform`,
        });
    } else if (action.type === 'add_line') {
      const lineId = action.line_id ?? generated.shift() ?? action.sku;
      const shortfall = additionShortfall(facts, action);
      if (shortfall) notPushed.push({ action: action.type, line_id: lineId, reason: shortfall.reason });
      if (shortfall?.added !== false) plan.additions.push(addition(facts, action, lineId));
    } else if (action.type === 'change_shipping_address') {
      plan.shipping_address = action.shipping_address;
    } else {
      notPushed.push({
        action: action.type,
        ...('line_id' in action && { line_id: action.line_id }),
        reason: notPushedReasons[action.type],
      });
    }
  }
  return { plan, notPushed };
}

/** True when the plan asks the platform for anything. */
export const hasEdits = (plan: EditPlan) =>
  plan.set_quantities.length > 0 || plan.additions.length > 0 || plan.shipping_address !== null;
