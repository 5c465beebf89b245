import { describe, expect, it } from 'vitest';
import { planEdit, type EditFacts } from './edit-plan.ts';

const usd = (amount: number) => ({ amount, currency: 'USD' });

const facts = (over: Partial<EditFacts>): EditFacts => ({
  platform: 'shopify',
  changeId: 'chg_1',
  reason: 'customer asked',
  externalId: '450789469',
  currency: 'USD',
  actions: [],
  lineIds: ['466157049', '518995019', 'L3'],
  addedLineIds: [],
  items: new Map(),
  ...over,
});

describe('planEdit', () => {
  it('pushes quantities of platform lines and names a line added in Consign as not pushed', () => {
    const { plan, notPushed } = planEdit(
      facts({
        actions: [
          { type: 'change_quantity', line_id: '466157049', quantity: 3 },
          { type: 'remove_line', line_id: '518995019' },
          { type: 'change_quantity', line_id: 'L3', quantity: 1 },
        ],
      }),
    );
    expect(plan.set_quantities).toEqual([
      { line_item_id: '466157049', quantity: 3 },
      { line_item_id: '518995019', quantity: 0 },
    ]);
    expect(plan.known_line_items).toEqual(['466157049', '518995019']);
    expect(notPushed).toEqual([
      { action: 'change_quantity', line_id: 'L3', reason: expect.stringContaining('was added in Consign') },
    ]);
  });

  it('adds a mapped variant, a custom item on Shopify, and refuses an unmapped product on WooCommerce', () => {
    const actions = [
      { type: 'add_line' as const, sku: 'BLUE', quantity: 2, unit_price: usd(1999), discount: usd(100) },
      { type: 'add_line' as const, sku: 'WRAP', name: 'Gift wrap', quantity: 1, unit_price: usd(350) },
    ];
    const items = new Map([['BLUE', { product_id: '632910392', variant_id: '808950812' }]]);
    const shopify = planEdit(facts({ actions, items, addedLineIds: ['L4', 'L5'] }));
    expect(shopify.plan.additions).toEqual([
      {
        line_id: 'L4',
        title: 'BLUE',
        quantity: 2,
        unit_price: '19.99',
        total: '38.98',
        product_id: '632910392',
        variant_id: '808950812',
      },
      { line_id: 'L5', title: 'Gift wrap', quantity: 1, unit_price: '3.50', total: '3.50' },
    ]);
    // Shopify prices an added variant itself: the discount is left to do on the platform.
    expect(shopify.notPushed).toEqual([
      { action: 'add_line', line_id: 'L4', reason: expect.stringContaining('discount of 1.00') },
    ]);
    const woo = planEdit(facts({ platform: 'woocommerce', actions, items, addedLineIds: ['L4', 'L5'] }));
    expect(woo.plan.additions.map((a) => a.line_id)).toEqual(['L4']);
    expect(woo.notPushed).toEqual([
      {
        action: 'add_line',
        line_id: 'L5',
        reason: expect.stringContaining('no WooCommerce product is mapped to WRAP'),
      },
    ]);
  });

  it('pushes a new address and names what a platform edit cannot say', () => {
    const address = { line1: '1 Main St', city: 'Ottawa', country: 'CA' };
    const { plan, notPushed } = planEdit(
      facts({
        actions: [
          { type: 'change_shipping_address', shipping_address: address },
          { type: 'change_price', line_id: '466157049', unit_price: usd(100), reason: 'match' },
          { type: 'add_discount', amount: usd(100) },
          { type: 'set_shipping', amount: usd(0) },
          { type: 'change_delivery_method', delivery_method: 'ship' },
        ],
      }),
    );
    expect(plan.shipping_address).toEqual(address);
    expect(notPushed.map((n) => [n.action, n.line_id])).toEqual([
      ['change_price', '466157049'],
      ['add_discount', undefined],
      ['set_shipping', undefined],
      ['change_delivery_method', undefined],
    ]);
    expect(notPushed.every((n) => n.reason.length > 20)).toBe(true);
  });
});
