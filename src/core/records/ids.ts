/**
 * Ids in values, as clients send and read them. The API hands out Relay global ids
 * (base64 of "Typename:uuid"); values store the raw uuid. Inputs take either (or an object with
 * an `id`, as reads return FILE values); reads always give global ids.
 */
import type { FieldType } from './field-types.js';
import type { CollectionKind, CollectionSchema, FieldDefinition } from './schema.js';
import { isUuid } from './sql.js';
import type { Json } from './values.js';

/** The GraphQL type of a collection kind's records. */
export const RECORD_TYPENAME: Record<CollectionKind, string> = { FORM: 'Entry', MODULE: 'ModuleRecord' };

/** The global-id type names each reference type accepts. */
export const REFERENCE_TYPENAMES: Partial<Record<FieldType, readonly string[]>> = {
  LINK: Object.values(RECORD_TYPENAME),
  USER: ['User'],
  FILE: ['File'],
};

export const isReferenceType = (type: FieldType) => type in REFERENCE_TYPENAMES;

export const toGlobalId = (typename: string, id: string) => Buffer.from(`${typename}:${id}`, 'utf8').toString('base64');

function fromGlobalId(s: string): { typename: string; id: string } | null {
  if (!/^[A-Za-z0-9+/_-]+=*$/.test(s)) return null;
  const text = Buffer.from(s, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon > 0 ? { typename: text.slice(0, colon), id: text.slice(colon + 1) } : null;
}

/**
 * The raw uuid of an id a client sent: a raw uuid, a global id of one of `typenames`, or an
 * object whose `id` is either. Null when it is none of these.
 */
export function rawId(v: unknown, typenames: readonly string[]): string | null {
  const given = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as { id?: unknown }).id : v;
  if (typeof given !== 'string') return null;
  if (isUuid(given)) return given.toLowerCase();
  const decoded = fromGlobalId(given);
  return decoded && typenames.includes(decoded.typename) && isUuid(decoded.id) ? decoded.id.toLowerCase() : null;
}

/** The global-id type name of a reference field's ids, or null for other fields. */
export function referenceTypename(field: FieldDefinition): string | null {
  if (field.type === 'USER') return 'User';
  if (field.type === 'FILE') return 'File';
  if (field.type === 'LINK') return RECORD_TYPENAME[field.targetKind ?? 'FORM'];
  return null;
}

/** One field's stored value as clients read it: raw ids become global ids. */
export function presentValue(field: FieldDefinition, v: Json | undefined): Json | undefined {
  const typename = referenceTypename(field);
  if (!typename || v === undefined || v === null) return v;
  const one = (x: Json): Json => {
    if (typeof x === 'string') return toGlobalId(typename, x);
    if (typeof x === 'object' && x !== null && !Array.isArray(x) && typeof x.id === 'string') return { ...x, id: toGlobalId(typename, x.id) };
    return x;
  };
  return Array.isArray(v) ? v.map(one) : one(v);
}

/** A record's values as clients read them. */
export function presentValues(schema: CollectionSchema, values: Record<string, Json>): Record<string, Json> {
  let out: Record<string, Json> | null = null;
  for (const [key, v] of Object.entries(values)) {
    const field = schema.byKey.get(key);
    if (!field || !referenceTypename(field)) continue;
    out ??= { ...values };
    out[key] = presentValue(field, v)!;
  }
  return out ?? values;
}
