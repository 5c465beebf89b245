import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';

/** The most records one call takes (a file or request body); larger files are sent in parts. */
const MAX_RECORDS = 50_000;

export interface FieldError {
  pointer: string;
  message: string;
}

/**
 * The records of a body or file: a JSON array, or JSON lines (one object per line, blank lines
 * ignored). A line that is not JSON refuses the whole input.
 */
function parseRecords(input: unknown): Result<unknown[]> {
  if (Array.isArray(input)) return bounded(input);
  if (typeof input !== 'string') return fail(problem('validation_failed', 'Send a JSON array or JSON lines.'));
  const text = input.trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return bounded(parsed);
    } catch {
      // Reported below as not JSON.
    }
    return fail(problem('malformed_json', 'The input starts as a JSON array but is not one.'));
  }
  const records: unknown[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line));
    } catch {
      return fail(problem('malformed_json', `Line ${i + 1} is not JSON.`, { line: i + 1 }));
    }
  }
  return bounded(records);
}

function bounded(records: unknown[]): Result<unknown[]> {
  if (records.length === 0) return fail(problem('validation_failed', 'There are no records.'));
  if (records.length > MAX_RECORDS)
    return fail(problem('validation_failed', `At most ${MAX_RECORDS} records per call, not ${records.length}.`));
  return ok(records);
}

/** Reads a record's fields, collecting what is wrong with them under the record's pointer. */
export class FieldReader {
  constructor(
    private readonly record: Record<string, unknown>,
    private readonly at: string,
    readonly errors: FieldError[],
  ) {}

  wrong(field: string, message: string): undefined {
    this.errors.push({ pointer: `${this.at}/${field}`, message });
    return undefined;
  }

  text(field: string, required: boolean): string | undefined {
    const value = this.record[field];
    if (value === undefined || value === null) return required ? this.wrong(field, 'is required') : undefined;
    if (typeof value !== 'string' || value.length === 0 || value.length > 200)
      return this.wrong(field, 'must be a text of 1 to 200 characters');
    return value;
  }

  count(field: string, required: boolean, minimum: number): number | undefined {
    const value = this.record[field];
    if (value === undefined || value === null) return required ? this.wrong(field, 'is required') : undefined;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum)
      return this.wrong(field, `must be a whole number of at least ${minimum}`);
    return value;
  }

  instant(field: string, required: boolean): string | undefined {
    const value = this.text(field, required);
    if (value === undefined) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value)))
      return this.wrong(field, 'must be an ISO 8601 date and time');
    return new Date(value).toISOString();
  }

  /** Money as `{ amount, currency }` in minor units, in the given currency. */
  money(field: string, currency: string): number | undefined {
    const value = this.record[field];
    if (value === undefined || value === null) return undefined;
    const { amount, currency: given } = (typeof value === 'object' ? value : {}) as Record<string, unknown>;
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0)
      return this.wrong(field, 'must be { amount, currency } with a whole amount in minor units of at least 0');
    if (given !== currency) return this.wrong(`${field}/currency`, `must be the channel's currency, ${currency}`);
    return amount;
  }

  /** Fields the record may not have. */
  only(fields: readonly string[]): void {
    for (const field of Object.keys(this.record))
      if (!fields.includes(field)) this.wrong(field, 'is not a field of this kind of record');
  }
}

/**
 * The records of an input, each read by `read` (which collects what is wrong with its fields):
 * all of them, or the errors of every record that is not an object or does not read.
 */
export function readRecords<T>(
  input: unknown,
  read: (fields: FieldReader) => T,
): Result<{ records: T[]; errors: FieldError[] }> {
  const parsed = parseRecords(input);
  if (!parsed.ok) return parsed;
  const errors: FieldError[] = [];
  const records: T[] = [];
  for (const [i, record] of parsed.value.entries()) {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      errors.push({ pointer: `/${i}`, message: 'must be an object' });
      continue;
    }
    const value = read(new FieldReader(record as Record<string, unknown>, `/${i}`, errors));
    if (errors.length === 0) records.push(value);
  }
  return ok({ records, errors });
}

export function refused(what: string, errors: FieldError[]): Result<never> {
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return fail(
    problem('validation_failed', `The ${what} are not valid: ${errors[0]!.pointer} ${errors[0]!.message}${more}.`, {
      errors: errors.slice(0, 100),
    }),
  );
}
