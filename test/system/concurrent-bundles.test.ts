import { describeBundleStorm } from '../support/bundle-storm.ts';

describeBundleStorm({
  title: '',
  claim:
    'never oversells a part: each order is placed whole or refused, and parts reserved are what placed orders take',
  codePrefix: 'BS',
  // Demand far exceeds supply.
  stock: [
    [14, 9, 11],
    [10, 12, 7],
  ],
  baskets: [['KIT'], ['KIT', 'PART-C'], ['CRATE'], ['PART-A'], ['PART-B'], ['PART-A', 'PART-B'], ['PART-C']],
});
