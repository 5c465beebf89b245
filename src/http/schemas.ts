import { Type } from '@sinclair/typebox';

/** Shared pieces of the OpenAPI document. */
export const Id = (prefix: string) => Type.String({ pattern: `^${prefix}_[0-9a-z]+$`, maxLength: 64 });
export const Sku = Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\s,]([^,]*[^\\s,])?$' });
export const Quantity = Type.Integer({ minimum: 1, maximum: 1_000_000_000 });
export const NonNegativeQuantity = Type.Integer({ minimum: 0, maximum: 1_000_000_000 });
export const Timestamp = Type.String({ format: 'date-time' });
