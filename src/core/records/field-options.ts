import type { FieldIssue } from '../../errors.js';
import type { FieldInput } from './field-input.js';
import type { SelectOption } from './schema.js';

const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40) || 'option';

/** Options of one STATIC_SELECT field; more is refused (TOO_MANY), documented in README "Limits". */
export const MAX_OPTIONS = 1000;

/**
 * The options to store: an option without an id takes the slug of its label. Two options with
 * the same id are refused (DUPLICATE_OPTION, at the second one), never renamed: a client keeps the
 * ids it chose. One pass with a set, so any number of options costs linear time.
 */
export function normalizeOptions(input: FieldInput['options'], path: string[], issues: FieldIssue[]): SelectOption[] {
  const given = input ?? [];
  if (given.length > MAX_OPTIONS) {
    issues.push({ path: [...path, 'options'], code: 'TOO_MANY', message: `At most ${MAX_OPTIONS} options` });
    return [];
  }
  const used = new Set<string>();
  return given.map((o, i) => {
    const id = o.id?.trim() || slug(o.label);
    if (used.has(id)) issues.push({ path: [...path, 'options', String(i), 'id'], code: 'DUPLICATE_OPTION', message: `Another option has the id "${id}"` });
    used.add(id);
    return { id, label: o.label.trim(), order: o.order ?? i };
  });
}
