/** The types of the condition language; a schema declares the type of every field. */
export type ScalarType = 'string' | 'int' | 'bool';
export type ValueType = ScalarType | `list<${ScalarType}>`;

/** What a condition may read: field name (`order.channel`) → its type. */
export type FieldSchema = Readonly<Record<string, ValueType>>;

/** A field's value at evaluation; `null` when it has none (an event about no order has no `order.*`). */
export type Value = string | number | boolean | readonly (string | number | boolean)[] | null;

export const isListType = (type: ValueType | 'list<empty>'): boolean => type.startsWith('list<');

export const elementType = (type: ValueType | 'list<empty>'): ScalarType | 'empty' =>
  type.slice('list<'.length, -1) as ScalarType | 'empty';
