import type { CollectionSchema } from './schema.js';
import type { RecordRow } from './query.js';

const LABEL_TYPES = new Set(['TEXT', 'EMAIL', 'WEBSITE', 'PHONE_NUMBER']);

/**
 * How a linked record is shown in a list: its first non-empty text-like field in field order
 * (visible fields first), else "#<auto-number>".
 */
export function displayValue(schema: CollectionSchema, row: RecordRow): string {
  const candidates = schema.fields.filter((f) => LABEL_TYPES.has(f.type));
  const ordered = [...candidates.filter((f) => f.visible), ...candidates.filter((f) => !f.visible)];
  for (const f of ordered) {
    const v = row.values[f.key];
    if (typeof v === 'string' && v.trim()) return v;
  }
  return `#${row.autoNumber}`;
}

/** The raw ids a LINK value holds, in stored order. */
export const linkedIds = (v: unknown): string[] => (Array.isArray(v) ? v : v == null ? [] : [v]).filter((x): x is string => typeof x === 'string');
