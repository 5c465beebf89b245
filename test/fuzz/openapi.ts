/** The operations of Consign's OpenAPI document, as the fuzzer needs them. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON Schema as the document states it
export type Schema = Record<string, any>;

export interface Parameter {
  name: string;
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: string;
  /** The path template, e.g. `/v1/orders/{id}/cancel`. */
  path: string;
  pathParams: Parameter[];
  query: Parameter[];
  /** The JSON body's schema, when the operation takes one. */
  body: Schema | undefined;
}

interface Document {
  paths: Record<string, Record<string, { parameters?: (Parameter & { in: string })[]; requestBody?: Schema }>>;
}

export function operationsOf(document: Document): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const parameters = operation.parameters ?? [];
      const select = (where: string) =>
        parameters
          .filter((p) => p.in === where)
          .map((p) => ({ name: p.name, required: p.required === true || where === 'path', schema: p.schema ?? {} }));
      return {
        method: method.toUpperCase(),
        path,
        pathParams: select('path'),
        query: select('query'),
        body: operation.requestBody?.content?.['application/json']?.schema as Schema | undefined,
      };
    }),
  );
}

/** Every integer or number a request accepts that lacks a minimum or a maximum, as `METHOD path pointer`. */
export function unboundedNumbers(operations: Operation[]): string[] {
  const found: string[] = [];
  const walk = (schema: unknown, at: string, where: string) => {
    if (!schema || typeof schema !== 'object') return;
    if (Array.isArray(schema)) return schema.forEach((s, i) => walk(s, `${at}/${i}`, where));
    const s = schema as Schema;
    if ((s.type === 'integer' || s.type === 'number') && (s.minimum === undefined || s.maximum === undefined)) {
      found.push(`${where} ${at}`);
    }
    for (const [key, value] of Object.entries(s)) walk(value, `${at}/${key}`, where);
  };
  for (const op of operations) {
    const where = `${op.method} ${op.path}`;
    for (const p of [...op.pathParams, ...op.query]) walk(p.schema, `/${p.name}`, where);
    walk(op.body, '/body', where);
  }
  return found;
}
