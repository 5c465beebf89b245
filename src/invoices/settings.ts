/** Who issues the documents and how they are numbered, read from the environment. */
export interface Seller {
  name: string;
  address: string[];
  tax_id: string | null;
}

export interface InvoiceSettings {
  /** Series prefixes; the year is appended (`INV-2026`), so numbering restarts every year. */
  invoicePrefix: string;
  creditMemoPrefix: string;
  seller: Seller;
}

const PREFIX = /^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$/;

function prefixFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name]?.trim() || fallback;
  if (!PREFIX.test(value)) throw new Error(`${name} must be 1–16 letters, digits, _ or -, got "${value}"`);
  return value;
}

/**
 * CONSIGN_INVOICE_SERIES (default `INV`), CONSIGN_CREDIT_MEMO_SERIES (`CM`), CONSIGN_SELLER_NAME
 * (`Consign Store`), CONSIGN_SELLER_ADDRESS (lines separated by `;` or new lines) and
 * CONSIGN_SELLER_TAX_ID (none).
 */
export function invoiceSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): InvoiceSettings {
  return {
    invoicePrefix: prefixFromEnv(env, 'CONSIGN_INVOICE_SERIES', 'INV'),
    creditMemoPrefix: prefixFromEnv(env, 'CONSIGN_CREDIT_MEMO_SERIES', 'CM'),
    seller: {
      name: env.CONSIGN_SELLER_NAME?.trim() || 'Consign Store',
      address: (env.CONSIGN_SELLER_ADDRESS ?? '')
        .split(/[;\n]/)
        .map((line) => line.trim())
        .filter(Boolean),
      tax_id: env.CONSIGN_SELLER_TAX_ID?.trim() || null,
    },
  };
}

/** `INV-2026` for an invoice issued in 2026 (UTC). */
export function seriesFor(prefix: string, issuedAt: Date): string {
  return `${prefix}-${issuedAt.getUTCFullYear()}`;
}

/** `INV-2026-000042`: six digits, wider when a series outgrows them. */
export function formatNumber(series: string, sequence: number): string {
  return `${series}-${String(sequence).padStart(6, '0')}`;
}
