import type { CreateProduct } from '../catalog/index.ts';

/**
 * Harbor & Pine's demo catalog as product families; each family expands to one SKU per
 * variant (colour × size). `demand` scales the stock the generator puts on the shelves.
 */
interface ProductFamily {
  code: string;
  name: string;
  weightGrams: number;
  /** Packed size in millimetres: length, width, height. */
  packedMm: readonly [number, number, number];
  colours: readonly (readonly [code: string, label: string])[];
  sizes?: readonly string[];
  /** Made to order or restocked on demand: orders may exceed stock. */
  allowBackorder?: boolean;
  /** Relative sales velocity: 1 is a typical item. */
  demand: number;
  /** Bulky or niche: carried by the distribution centres only. */
  dcOnly?: boolean;
}

const apparelSizes = ['S', 'M', 'L', 'XL'] as const;

const productFamilies: readonly ProductFamily[] = [
  {
    code: 'TEE',
    name: 'Organic Cotton Crew Tee',
    weightGrams: 180,
    packedMm: [280, 220, 20],
    colours: [
      ['WHT', 'White'],
      ['NVY', 'Navy'],
      ['SGE', 'Sage'],
    ],
    sizes: apparelSizes,
    demand: 2.5,
  },
  {
    code: 'HOOD',
    name: 'Heavyweight Fleece Hoodie',
    weightGrams: 620,
    packedMm: [350, 300, 60],
    colours: [
      ['CHR', 'Charcoal'],
      ['OAT', 'Oatmeal'],
    ],
    sizes: apparelSizes,
    demand: 1.4,
  },
  {
    code: 'SHRT',
    name: 'Linen Button-Down Shirt',
    weightGrams: 240,
    packedMm: [300, 230, 30],
    colours: [
      ['WHT', 'White'],
      ['SKY', 'Sky Blue'],
    ],
    sizes: ['S', 'M', 'L'],
    demand: 1,
  },
  {
    code: 'JEAN',
    name: 'Slim Selvedge Jeans',
    weightGrams: 850,
    packedMm: [380, 300, 50],
    colours: [['IND', 'Indigo']],
    sizes: ['30', '32', '34', '36'],
    demand: 1.1,
  },
  {
    code: 'VEST',
    name: 'Recycled Quilted Vest',
    weightGrams: 430,
    packedMm: [360, 300, 80],
    colours: [['BLK', 'Black']],
    sizes: ['M', 'L'],
    allowBackorder: true,
    demand: 0.5,
  },
  {
    code: 'SOCK',
    name: 'Merino Crew Socks',
    weightGrams: 70,
    packedMm: [200, 100, 20],
    colours: [
      ['GRY', 'Grey'],
      ['BLK', 'Black'],
    ],
    sizes: ['M', 'L'],
    demand: 2,
  },
  {
    code: 'BEAN',
    name: 'Chunky Rib Beanie',
    weightGrams: 110,
    packedMm: [230, 200, 40],
    colours: [
      ['RST', 'Rust'],
      ['BLK', 'Black'],
      ['CRM', 'Cream'],
    ],
    demand: 1.2,
  },
  {
    code: 'TOTE',
    name: 'Waxed Canvas Tote',
    weightGrams: 540,
    packedMm: [420, 360, 40],
    colours: [
      ['OLV', 'Olive'],
      ['TAN', 'Tan'],
    ],
    demand: 0.8,
  },
  {
    code: 'SHEETQ',
    name: 'Stonewashed Linen Sheet Set, Queen',
    weightGrams: 2300,
    packedMm: [400, 320, 110],
    colours: [
      ['WHT', 'White'],
      ['FLX', 'Flax'],
    ],
    demand: 0.7,
  },
  {
    code: 'SHEETK',
    name: 'Stonewashed Linen Sheet Set, King',
    weightGrams: 2800,
    packedMm: [420, 340, 120],
    colours: [
      ['WHT', 'White'],
      ['FLX', 'Flax'],
    ],
    demand: 0.5,
    dcOnly: true,
  },
  {
    code: 'TOWEL',
    name: 'Waffle Bath Towel',
    weightGrams: 650,
    packedMm: [350, 250, 80],
    colours: [
      ['WHT', 'White'],
      ['STN', 'Stone'],
      ['CLY', 'Clay'],
    ],
    demand: 1,
  },
  {
    code: 'THROW',
    name: 'Lambswool Throw Blanket',
    weightGrams: 1100,
    packedMm: [400, 300, 100],
    colours: [
      ['HRB', 'Grey Herringbone'],
      ['PLD', 'Rust Plaid'],
    ],
    demand: 0.6,
  },
  {
    code: 'CNDL',
    name: 'Soy Candle, 8 oz',
    weightGrams: 420,
    packedMm: [100, 100, 110],
    colours: [
      ['CDR', 'Cedar & Sage'],
      ['FIG', 'Black Fig'],
      ['SEA', 'Sea Salt'],
    ],
    demand: 1.6,
  },
  {
    code: 'MUG',
    name: 'Stoneware Mug, 12 oz',
    weightGrams: 380,
    packedMm: [130, 110, 110],
    colours: [
      ['SPK', 'Speckled White'],
      ['SLT', 'Slate'],
    ],
    demand: 1.3,
  },
  {
    code: 'CUSH',
    name: 'Linen Cushion Cover, 20 in',
    weightGrams: 200,
    packedMm: [300, 250, 20],
    colours: [
      ['FLX', 'Flax'],
      ['CHR', 'Charcoal'],
    ],
    demand: 0.7,
  },
  {
    code: 'BOARD',
    name: 'Walnut Serving Board',
    weightGrams: 1400,
    packedMm: [460, 250, 40],
    colours: [['WAL', 'Walnut']],
    allowBackorder: true,
    demand: 0.4,
    dcOnly: true,
  },
  {
    code: 'VASE',
    name: 'Hand-Thrown Bud Vase',
    weightGrams: 520,
    packedMm: [200, 200, 250],
    colours: [['ASH', 'Ash Glaze']],
    allowBackorder: true,
    demand: 0.3,
    dcOnly: true,
  },
];

export interface DemoProduct extends CreateProduct {
  demand: number;
  dcOnly: boolean;
}

/** One SKU per colour and size: `HP-TEE-NVY-M`, "Organic Cotton Crew Tee — Navy, M". */
function expandFamily(family: ProductFamily): DemoProduct[] {
  const sizes = family.sizes ?? [undefined];
  return family.colours.flatMap(([colourCode, colour]) =>
    sizes.map((size) => ({
      sku: ['HP', family.code, colourCode, size].filter(Boolean).join('-'),
      name: `${family.name} — ${colour}${size ? `, ${size}` : ''}`,
      weight_grams: family.weightGrams,
      dimensions: { length_mm: family.packedMm[0], width_mm: family.packedMm[1], height_mm: family.packedMm[2] },
      allow_backorder: family.allowBackorder ?? false,
      demand: family.demand,
      dcOnly: family.dcOnly ?? false,
    })),
  );
}

export const demoProducts: readonly DemoProduct[] = productFamilies.flatMap(expandFamily);
