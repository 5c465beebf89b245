import type { Result } from '../shared/result.ts';
import type { LineTax, PriceMode } from './compute.ts';

/** An address as tax engines need it: where goods leave from and where they go. */
export interface TaxAddress {
  line1: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string;
}

export interface TaxRequestLine {
  /** The order line's ID, or `shipping` for the shipping charge. */
  lineId: string;
  sku: string | null;
  taxCode: string | null;
  quantity: number;
  /** The line's amount for all its units, after discounts; negative for a refund. */
  amountMinor: number;
  shipping: boolean;
}

export interface TaxRequest {
  /** Consign's code for the transaction: the order ID, or `<order>:refund:<payment>`. */
  code: string;
  /** `estimate`: what a sale would come to, recorded nowhere (a change's preview). */
  kind: 'sale' | 'refund' | 'estimate';
  /** The order's sale is recorded in the engine already: replace it with this one (AvaTax AdjustTransaction). */
  adjusts?: { reason: 'PriceAdjusted' | 'ProductExchanged'; description: string };
  /** The day tax is due for (the order's placing date, also for its refunds). */
  date: string;
  currency: string;
  customerCode: string;
  shipFrom: TaxAddress | null;
  shipTo: TaxAddress;
  mode: PriceMode;
  lines: TaxRequestLine[];
  /** Record it as final in the engine now (refunds), or later with `commit` (sales, on invoice). */
  commit: boolean;
}

export interface TaxQuote {
  /** The engine's code of the transaction, to commit it by. */
  externalCode: string | null;
  lines: LineTax[];
}

/** What Consign asks of a tax engine: the built-in rate table and AvaTax both answer it. */
export interface TaxEngine {
  name: 'table' | 'avatax';
  quote(request: TaxRequest): Promise<Result<TaxQuote>>;
  commit(externalCode: string): Promise<Result<void>>;
}
