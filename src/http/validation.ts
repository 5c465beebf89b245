import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats ships CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * Bodies are validated as sent: no type coercion and no silent removal of unknown fields, so
 * `"quantity": "5"` or a misspelt field is a 400, never a guess. Query strings and path
 * parameters arrive as text and are coerced to their declared types.
 */
const strict = addFormats(
  new Ajv({ allErrors: true, coerceTypes: false, removeAdditional: false, useDefaults: true, strict: false }),
);
const coercing = addFormats(
  new Ajv({ allErrors: true, coerceTypes: 'array', removeAdditional: false, useDefaults: true, strict: false }),
);

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strict : coercing;
  return ajv.compile(schema) as ValidateFunction;
};

interface FieldError {
  pointer: string;
  message: string;
}

/** Turns ajv's errors into `{ pointer, message }` pairs a client can show next to a field. */
export function describeValidationErrors(errors: ErrorObject[], part: string): FieldError[] {
  return errors.map((error) => {
    const base = part === 'body' ? '' : `/${part}`;
    if (error.keyword === 'additionalProperties') {
      const field = (error.params as { additionalProperty: string }).additionalProperty;
      return { pointer: `${base}${error.instancePath}/${field}`, message: `unknown field "${field}"` };
    }
    if (error.keyword === 'required') {
      const field = (error.params as { missingProperty: string }).missingProperty;
      return { pointer: `${base}${error.instancePath}/${field}`, message: 'is required' };
    }
    return { pointer: `${base}${error.instancePath}` || '/', message: error.message ?? 'is invalid' };
  });
}
