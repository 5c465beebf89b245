export { invoiceRoutes } from './routes.ts';
export { issueInvoice, issueCreditMemo } from './issue.ts';
export { invoicesOfOrder } from './read.ts';
export type { InvoiceView } from './read.ts';
export type { DocumentLineInput } from './document.ts';
export { formatMoney } from './money-format.ts';
export { invoiceSettingsFromEnv } from './settings.ts';
export { currencyExponent, minorToDecimal } from './money-format.ts';
