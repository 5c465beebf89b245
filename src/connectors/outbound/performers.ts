import type { DeliveryPerformer } from '../../webhooks/index.ts';
import { parseExact } from '../json.ts';
import type { EditPlan } from './edit-plan.ts';
import { ORDER_EDIT_KIND } from './edits.ts';
import { performShopifyEdit } from './shopify-edit.ts';
import { performWooEdit } from './woo-edit.ts';

/** An `order_edit` message: its plan carried out against the platform it names. */
const performOrderEdit: DeliveryPerformer = async (payload, request) => {
  const plan = parseExact((payload as { body_json: string }).body_json) as EditPlan;
  if (plan.platform === 'shopify') return performShopifyEdit(plan, request);
  if (plan.platform === 'woocommerce') return performWooEdit(plan, request);
  return { ok: false, status: null, error: `${plan.platform} has no order edit` };
};

/**
 * The connector messages the webhook dispatcher hands back to the connectors to deliver (wired
 * in server.ts): an order edit is several platform calls, each reading the previous answer.
 */
export const outboundPerformers: Readonly<Record<string, DeliveryPerformer>> = {
  [ORDER_EDIT_KIND]: performOrderEdit,
};
