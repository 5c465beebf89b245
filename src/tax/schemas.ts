import { Type, type Static } from '@sinclair/typebox';
import { INT4_MAX } from '../http/schemas.ts';
import { priceModes } from './compute.ts';
import { taxEngines, taxFailurePolicies } from './settings.ts';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Optional = (max: number) => Type.Union([Text(max), Type.Null()], { default: null });

const Rate = Type.Object(
  {
    country: Type.String({ maxLength: 8, description: 'ISO 3166-1 alpha-2 (US)' }),
    region: Optional(8),
    postal_prefix: Optional(16),
    tax_code: Optional(32),
    jurisdiction: Text(64),
    name: Text(100),
    // Bounded to the column's range here; the rate table refuses what is outside 0–1,000,000 with its own code.
    rate_ppm: Type.Integer({
      minimum: -INT4_MAX,
      maximum: INT4_MAX,
      description: 'Parts per million: 7.75 % is 77500',
    }),
    shipping_taxable: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);

export const RatesBody = Type.Object({ rates: Type.Array(Rate, { maxItems: 5000 }) }, { additionalProperties: false });
export type RatesBody = Static<typeof RatesBody>;

const Address = Type.Object(
  {
    line1: Optional(200),
    city: Optional(100),
    region: Optional(8),
    postal_code: Optional(16),
    country: Type.String({ pattern: '^[A-Z]{2}$' }),
  },
  { additionalProperties: false },
);

export const SettingsBody = Type.Object(
  {
    engine: literals(taxEngines),
    on_failure: literals(taxFailurePolicies),
    price_mode: literals(priceModes),
    ship_from: Type.Union([Address, Type.Null()], { default: null }),
  },
  { additionalProperties: false },
);
export type SettingsBody = Static<typeof SettingsBody>;

export const TaxCodeBody = Type.Object({ tax_code: Text(32) }, { additionalProperties: false });
