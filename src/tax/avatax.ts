import { currencyExponent, minorToDecimal } from '../invoices/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import type { TaxAddress, TaxEngine, TaxQuote, TaxRequest } from './adapter.ts';
import type { LineTax } from './compute.ts';

/** CONSIGN_AVATAX_URL (e.g. https://sandbox-rest.avatax.com), _ACCOUNT, _LICENSE and _COMPANY. */
interface AvaTaxSettings {
  url: string;
  account: string;
  license: string;
  companyCode: string;
  timeoutMs: number;
}

export function avataxSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AvaTaxSettings | null {
  const url = env.CONSIGN_AVATAX_URL?.trim();
  if (!url) return null;
  return {
    url: url.replace(/\/+$/, ''),
    account: env.CONSIGN_AVATAX_ACCOUNT?.trim() ?? '',
    license: env.CONSIGN_AVATAX_LICENSE?.trim() ?? '',
    companyCode: env.CONSIGN_AVATAX_COMPANY?.trim() || 'DEFAULT',
    timeoutMs: Number(env.CONSIGN_AVATAX_TIMEOUT_MS) || 10_000,
  };
}

/** The parts of AvaTax's TransactionModel Consign reads. */
interface AvaTransaction {
  code?: string;
  totalTax?: number;
  lines?: {
    lineNumber?: string;
    tax?: number;
    taxableAmount?: number;
    details?: { jurisCode?: string; jurisType?: string; taxName?: string; rate?: number; tax?: number }[];
  }[];
}

function avaAddress(address: TaxAddress) {
  return {
    ...(address.line1 ? { line1: address.line1 } : {}),
    ...(address.city ? { city: address.city } : {}),
    ...(address.region ? { region: address.region } : {}),
    ...(address.postalCode ? { postalCode: address.postalCode } : {}),
    country: address.country,
  };
}

/** A sale is recorded (SalesInvoice), a refund given back (ReturnInvoice), an estimate only computed (SalesOrder). */
const documentTypes = { sale: 'SalesInvoice', refund: 'ReturnInvoice', estimate: 'SalesOrder' } as const;

/** Consign's request as AvaTax's CreateTransactionModel, amounts in the currency's decimals. */
function createTransactionBody(request: TaxRequest, companyCode: string) {
  const amount = (minor: number) => Number(minorToDecimal(minor, request.currency));
  return {
    type: documentTypes[request.kind],
    code: request.code,
    companyCode,
    date: request.date,
    customerCode: request.customerCode,
    addresses: request.shipFrom
      ? { shipFrom: avaAddress(request.shipFrom), shipTo: avaAddress(request.shipTo) }
      : { singleLocation: avaAddress(request.shipTo) },
    lines: request.lines.map((line) => ({
      number: line.lineId,
      quantity: line.quantity,
      amount: amount(line.amountMinor),
      ...(line.shipping ? { taxCode: 'FR020100' } : line.taxCode ? { taxCode: line.taxCode } : {}),
      ...(line.sku ? { itemCode: line.sku } : {}),
      ...(request.mode === 'inclusive' ? { taxIncluded: true } : {}),
    })),
    // A refund is taxed as of the sale it gives back, not as of today.
    ...(request.kind === 'refund' ? { taxOverride: { type: 'TaxDate', taxDate: request.date, reason: 'Refund' } } : {}),
    commit: request.commit,
    currencyCode: request.currency,
  };
}

/** AvaTax's decimal amounts → minor units (7.75 USD → 775), rounded to the currency's places. */
function toMinor(value: number | undefined, currency: string): number {
  return Math.round((value ?? 0) * 10 ** currencyExponent(currency));
}

/** Reads a TransactionModel's lines into Consign's per-line tax, in request order. */
function parseTransaction(body: AvaTransaction, request: TaxRequest): Result<TaxQuote> {
  const byNumber = new Map((body.lines ?? []).map((line) => [String(line.lineNumber), line]));
  const lines: LineTax[] = [];
  for (const asked of request.lines) {
    const line = byNumber.get(asked.lineId);
    if (!line) return fail(problem('tax_unavailable', `AvaTax answered without line ${asked.lineId}.`));
    const taxMinor = toMinor(line.tax, request.currency);
    lines.push({
      lineId: asked.lineId,
      taxableMinor: request.mode === 'inclusive' ? asked.amountMinor - taxMinor : asked.amountMinor,
      taxMinor,
      details: (line.details ?? []).map((d) => ({
        jurisdiction: `${d.jurisType ?? ''}:${d.jurisCode ?? ''}`,
        name: d.taxName ?? '',
        ratePpm: Math.round((d.rate ?? 0) * 1_000_000),
        taxMinor: toMinor(d.tax, request.currency),
      })),
    });
  }
  const total = lines.reduce((n, l) => n + l.taxMinor, 0);
  if (total !== toMinor(body.totalTax, request.currency))
    return fail(problem('tax_unavailable', `AvaTax's lines add up to ${total}, its totalTax to ${body.totalTax}.`));
  return ok({ externalCode: body.code ?? request.code, lines });
}

async function call(settings: AvaTaxSettings, path: string, body: unknown): Promise<Result<unknown>> {
  const auth = Buffer.from(`${settings.account}:${settings.license}`).toString('base64');
  try {
    const response = await fetch(`${settings.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) {
      const message = (() => {
        try {
          return (JSON.parse(text) as { error?: { message?: string } }).error?.message;
        } catch {
          return undefined;
        }
      })();
      return fail(problem('tax_unavailable', `AvaTax answered ${response.status}: ${message ?? text.slice(0, 200)}`));
    }
    return ok(JSON.parse(text) as unknown);
  } catch (error) {
    return fail(problem('tax_unavailable', `AvaTax could not be reached: ${(error as Error).message}`));
  }
}

function transactionPath(settings: AvaTaxSettings, code: string): string {
  return `/api/v2/companies/${encodeURIComponent(settings.companyCode)}/transactions/${encodeURIComponent(code)}`;
}

/** AvaTax REST v2: CreateTransaction to quote (and record), AdjustTransaction on a change, CommitTransaction on invoice. */
export function avataxEngine(settings: AvaTaxSettings): TaxEngine {
  return {
    name: 'avatax',
    async quote(request) {
      const body = createTransactionBody(request, settings.companyCode);
      // AdjustTransaction replaces the recorded sale with the order's new state under the same code.
      const answer = request.adjusts
        ? await call(settings, `${transactionPath(settings, request.code)}/adjust`, {
            adjustmentReason: request.adjusts.reason,
            adjustmentDescription: request.adjusts.description,
            newTransaction: body,
          })
        : await call(settings, '/api/v2/transactions/create', body);
      return answer.ok ? parseTransaction(answer.value as AvaTransaction, request) : answer;
    },
    async commit(externalCode) {
      const answer = await call(settings, `${transactionPath(settings, externalCode)}/commit`, { commit: true });
      return answer.ok ? ok(undefined) : answer;
    },
  };
}
