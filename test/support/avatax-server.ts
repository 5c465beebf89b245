import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** AvaTax's own CreateTransaction response for Irvine, CA 92615 (4 jurisdictions, 7.75 %). */
export const sampleResponse = JSON.parse(
  readFileSync(new URL('../fixtures/tax/avatax/transaction_response.json', import.meta.url), 'utf8'),
);
export const sampleRequest = JSON.parse(
  readFileSync(new URL('../fixtures/tax/avatax/transaction_request.json', import.meta.url), 'utf8'),
);

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the JSON AvaTax was sent
  body: any;
}

interface AvaLine {
  number: string;
  quantity: number;
  amount: number;
  taxCode?: string;
  itemCode?: string;
  taxIncluded?: boolean;
}

/** A jurisdiction's detail as AvaTax answers it (jurisType, jurisCode, taxName, rate, …). */
type AvaDetail = { rate: number } & Record<string, unknown>;

/** Half away from zero, to the cent. */
const cents = (value: number) => Math.sign(value) * Math.round(Math.abs(value) * 100 + 1e-9);

/**
 * One line answered the way AvaTax answers it: the jurisdictions of its destination (the
 * sample line's four for California), each taxed at its rate and rounded to the cent; freight (`FR…`) is not taxable in California.
 */
function answerLine(line: AvaLine, transactionId: number, jurisdictions: AvaDetail[]) {
  const template = sampleResponse.lines[0];
  const rates: AvaDetail[] = line.taxCode?.startsWith('FR') ? [] : jurisdictions;
  const total = rates.reduce((n, d) => n + d.rate, 0);
  const amountCents = cents(line.amount);
  const taxableCents = line.taxIncluded ? cents(line.amount / (1 + total)) : amountCents;
  const details = rates.map((d) => {
    const tax = cents((taxableCents / 100) * d.rate) / 100;
    return { ...d, transactionId, taxableAmount: taxableCents / 100, tax, taxCalculated: tax };
  });
  const taxCents = line.taxIncluded
    ? amountCents - taxableCents
    : details.reduce((n, d) => n + Math.round(d.tax * 100), 0);
  return {
    ...template,
    transactionId,
    lineNumber: line.number,
    itemCode: line.itemCode ?? '',
    taxCode: line.taxCode ?? 'P0000000',
    quantity: line.quantity,
    lineAmount: line.taxIncluded ? taxableCents / 100 : line.amount,
    taxableAmount: taxableCents / 100,
    tax: taxCents / 100,
    taxCalculated: taxCents / 100,
    taxIncluded: line.taxIncluded ?? false,
    details,
  };
}

/**
 * A local AvaTax REST v2 peer: CreateTransaction, AdjustTransaction and CommitTransaction in AvaTax's format,
 * every request recorded; destinations in `regions` get those jurisdictions, any other California's; `down()` makes it answer 503 as AvaTax does when unavailable.
 */
export async function startAvataxServer(options: { regions?: Record<string, AvaDetail[]> } = {}) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a CreateTransactionModel
  const jurisdictionsOf = (body: any): AvaDetail[] => {
    const to = body.addresses?.shipTo ?? body.addresses?.singleLocation;
    const region = String(to?.region ?? '');
    return options.regions?.[region] ?? sampleResponse.lines[0].details;
  };
  const requests: RecordedRequest[] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- stored TransactionModels
  const transactions = new Map<string, any>();
  let available = true;
  let created = 0;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a CreateTransactionModel
  const transactionOf = (body: any) => {
    created += 1;
    const id = sampleResponse.id + created;
    const lines = (body.lines as AvaLine[]).map((line) => answerLine(line, id, jurisdictionsOf(body)));
    const totalTax = lines.reduce((n, l) => n + Math.round(l.tax * 100), 0) / 100;
    return {
      ...sampleResponse,
      id,
      code: body.code ?? randomUUID(),
      type: body.type,
      date: body.date,
      status: body.commit ? 'Committed' : 'Saved',
      totalAmount: lines.reduce((n, l) => n + l.lineAmount, 0),
      totalTax,
      totalTaxCalculated: totalTax,
      lines,
    };
  };
  const send = (response: http.ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      const body = text ? JSON.parse(text) : null;
      const path = request.url ?? '';
      requests.push({ method: request.method ?? '', path, authorization: request.headers.authorization, body });
      if (!available)
        return send(response, 503, { error: { code: 'ServiceUnavailable', message: 'AvaTax is unavailable' } });
      const adjust = /^\/api\/v2\/companies\/([^/]+)\/transactions\/([^/]+)\/adjust$/.exec(path);
      if (request.method === 'POST' && adjust) {
        const code = decodeURIComponent(adjust[2]!);
        const old = transactions.get(code);
        if (!old)
          return send(response, 404, { error: { code: 'EntityNotFoundError', message: 'Document not found.' } });
        if (!body.adjustmentReason || !body.newTransaction)
          return send(response, 400, {
            error: { code: 'ValueRequiredError', message: 'adjustmentReason is required.' },
          });
        // The old version is replaced by the new one under the same code, its version counted up.
        const transaction = { ...transactionOf({ ...body.newTransaction, code }), version: (old.version ?? 1) + 1 };
        transaction.adjustmentReason = body.adjustmentReason;
        transaction.adjustmentDescription = body.adjustmentDescription ?? '';
        transactions.set(code, transaction);
        return send(response, 201, transaction);
      }
      if (request.method === 'POST' && path === '/api/v2/transactions/create') {
        const transaction = transactionOf(body);
        // A SalesOrder is an estimate: AvaTax computes it and records nothing.
        if (body.type !== 'SalesOrder') transactions.set(transaction.code, transaction);
        return send(response, 201, transaction);
      }
      const commit = /^\/api\/v2\/companies\/([^/]+)\/transactions\/([^/]+)\/commit$/.exec(path);
      if (request.method === 'POST' && commit) {
        const transaction = transactions.get(decodeURIComponent(commit[2]!));
        if (!transaction)
          return send(response, 404, { error: { code: 'EntityNotFoundError', message: 'Document not found.' } });
        transaction.status = 'Committed';
        return send(response, 200, transaction);
      }
      send(response, 404, { error: { code: 'NotFound', message: `no route ${path}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    transactions,
    down: () => void (available = false),
    up: () => void (available = true),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
