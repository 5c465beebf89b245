import { Type } from '@sinclair/typebox';

/** Shared pieces of the OpenAPI document. */
export const Id = (prefix: string) => Type.String({ pattern: `^${prefix}_[0-9a-z]+$`, maxLength: 64 });
export const Sku = Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\s,]([^,]*[^\\s,])?$' });
/** The largest value of a PostgreSQL `integer` column: every count or size a request carries fits one. */
export const INT4_MAX = 2_147_483_647;
/** A count or size in whole units (grams, millimetres). */
export const Count = Type.Integer({ minimum: 0, maximum: INT4_MAX });
export const Quantity = Type.Integer({ minimum: 1, maximum: 1_000_000_000 });
export const NonNegativeQuantity = Type.Integer({ minimum: 0, maximum: 1_000_000_000 });
export const Timestamp = Type.String({ format: 'date-time' });
