import type { FieldType } from './field-types.js';
import type { FieldDefinition } from './schema.js';
import { normalizeValue, type Json } from './values.js';

/** A value as plain data, to carry it across a type change. */
function plain(field: FieldDefinition, v: Json, forType: FieldType): unknown {
  if (field.type === 'STATIC_SELECT' && forType !== 'STATIC_SELECT') {
    const label = (id: Json) => field.options.find((o) => o.id === id)?.label ?? id;
    return Array.isArray(v) ? v.map(label) : label(v);
  }
  if (field.type === 'CURRENCY' && forType !== 'CURRENCY') return (v as { amount: string }).amount;
  return v;
}

/** A stored value of `from` as a value of `to`, or why it does not convert. */
export function convertValue(from: FieldDefinition, to: FieldDefinition, v: Json) {
  let p = plain(from, v, to.type);
  if (Array.isArray(p) && !to.allowMultiple && p.length === 1 && to.type !== 'CHECKLIST') p = p[0];
  if (['TEXT', 'EMAIL', 'WEBSITE', 'PHONE_NUMBER'].includes(to.type) && (typeof p === 'number' || typeof p === 'boolean')) p = String(p);
  if (to.type === 'NUMBER' && typeof p === 'string' && /^-?\d+(\.\d+)?$/.test(p.trim())) p = Number(p);
  if (to.type === 'CURRENCY' && typeof p === 'number') p = String(p);
  if (to.type === 'BOOLEAN' && typeof p === 'string' && /^(true|false)$/i.test(p.trim())) p = p.trim().toLowerCase() === 'true';
  return normalizeValue(to, p);
}
