import { expect } from 'vitest';
import { defaultRoutingRules } from '../../src/routing/index.ts';
import { describeBundleStorm } from '../support/bundle-storm.ts';

describeBundleStorm({
  title: 'with kits split over locations',
  claim: 'never oversells a part: each kit is reserved at every location it takes parts from or not at all',
  codePrefix: 'SS',
  // Demand far exceeds supply, and each store is short of what the other has plenty of: store 0
  // holds no PART-B and store 1 PART-A for one kit, so every other kit can only be made from both
  // (split_components), whichever orders arrive first.
  stock: [
    [24, 0, 11],
    [2, 14, 7],
  ],
  baskets: [['KIT'], ['KIT'], ['KIT', 'PART-C'], ['CRATE'], ['PART-A'], ['PART-B'], ['PART-A', 'PART-B'], ['PART-C']],
  rules: { ...defaultRoutingRules, bundles: 'split_components' },
  // Some kits were split: their parts name the components each store picks.
  alsoExpect: (accepted) =>
    expect(
      accepted.filter((r) => r.body.allocations.some((a: { kit_group?: string }) => a.kit_group)).length,
    ).toBeGreaterThan(0),
});
