import type { FieldIssue, IssueCode } from '../../errors.js';
import { FIELD_TYPE_SPECS } from './field-types.js';
import type { CollectionSchema, FieldDefinition } from './schema.js';
import { rawId, REFERENCE_TYPENAMES } from './ids.js';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Result of normalising one value: `undefined` means empty (the key is dropped from `values`). */
export type Normalized = { ok: true; value: Json | undefined } | { ok: false; code: IssueCode; message: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
export const DECIMAL = /^-?\d{1,18}(\.\d{1,8})?$/;
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
export const MAX_TEXT = 100_000;
export const MAX_ITEMS = 1_000;

const ok = (value: Json | undefined): Normalized => ({ ok: true, value });
const bad = (code: IssueCode, message: string): Normalized => ({ ok: false, code, message });

export const isCurrencyCode = (s: unknown): s is string => typeof s === 'string' && CURRENCIES.has(s);

export function isEmptyInput(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

export function normalizeDateTime(v: unknown): string | null {
  if (typeof v !== 'string' || !ISO_DATE.test(v.trim())) return null;
  const d = new Date(v.trim());
  if (Number.isNaN(d.getTime())) return null;
  const year = d.getUTCFullYear();
  if (year < 1000 || year > 9999) return null;
  return d.toISOString();
}

/** Canonical exact decimal: no plus sign, no leading zeros, no "-0". Null when not a decimal. */
export function normalizeDecimal(v: unknown): string | null {
  const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v.trim() : null;
  if (s === null || !DECIMAL.test(s)) return null;
  let [int, frac = ''] = s.replace(/^-/, '').split('.') as [string, string?];
  int = int.replace(/^0+(?=\d)/, '');
  frac = frac.replace(/0+$/, '');
  const negative = s.startsWith('-') && (/[1-9]/.test(int) || /[1-9]/.test(frac));
  return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

function normalizeWebsite(v: string): string | null {
  const s = v.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(s) ? s : `https://${s}`;
  try {
    const u = new URL(withScheme);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    if (!u.hostname.includes('.') && u.hostname !== 'localhost') return null;
    return withScheme;
  } catch {
    return null;
  }
}

export function normalizePhone(v: string): string | null {
  const s = v.trim().replace(/[\s().-]/g, '');
  return /^\+?\d{5,15}$/.test(s) ? s : null;
}

function one(field: FieldDefinition, v: unknown, each: (item: unknown) => Normalized): Normalized {
  // single LINK and FILE values read back as a list of one: writing that back is fine
  if (Array.isArray(v) && !field.allowMultiple && v.length === 1 && (field.type === 'LINK' || field.type === 'FILE')) v = v[0];
  if (Array.isArray(v)) {
    if (!field.allowMultiple) return bad('INVALID_TYPE', `"${field.key}" takes one value, not a list`);
    if (v.length > MAX_ITEMS) return bad('TOO_MANY', `"${field.key}" takes at most ${MAX_ITEMS} values`);
    const out: Json[] = [];
    for (const item of v) {
      const r = each(item);
      if (!r.ok) return r;
      if (r.value !== undefined && !out.includes(r.value)) out.push(r.value);
    }
    return ok(out.length ? out : undefined);
  }
  const r = each(v);
  if (!r.ok || !field.allowMultiple || r.value === undefined) return r;
  return ok([r.value]);
}

function selectOption(field: FieldDefinition, v: unknown): Normalized {
  if (typeof v !== 'string') return bad('INVALID_TYPE', `"${field.key}" takes option ids (strings)`);
  const option = field.options.find((o) => o.id === v) ?? field.options.find((o) => o.label.toLowerCase() === v.toLowerCase());
  if (!option) return bad('UNKNOWN_OPTION', `"${v}" is not an option of "${field.key}" (options: ${field.options.map((o) => o.id).join(', ')})`);
  return ok(option.id);
}

const idOf =
  (field: FieldDefinition, what: string) =>
  (v: unknown): Normalized => {
    const id = rawId(v, REFERENCE_TYPENAMES[field.type] ?? []);
    return id ? ok(id) : bad('INVALID_VALUE', `"${field.key}" takes ${what} ids (the global ids the API returns, or raw uuids)`);
  };

/**
 * Checks and normalises one value for a field; read-only types are refused. LINK, USER and FILE
 * values come out as ids; `checkReferences` then proves they exist.
 */
export function normalizeValue(field: FieldDefinition, v: unknown): Normalized {
  if (FIELD_TYPE_SPECS[field.type].readOnly) return bad('READ_ONLY', `"${field.key}" is ${field.type} and computed by the server`);
  if (isEmptyInput(v)) return ok(undefined);
  switch (field.type) {
    case 'TEXT':
      if (typeof v !== 'string') return bad('INVALID_TYPE', `"${field.key}" takes text`);
      if (v.length > MAX_TEXT) return bad('TOO_LONG', `"${field.key}" takes at most ${MAX_TEXT} characters`);
      return ok(v);
    case 'NUMBER':
      if (typeof v !== 'number' || !Number.isFinite(v)) return bad('INVALID_TYPE', `"${field.key}" takes a number`);
      return ok(v);
    case 'DATETIME': {
      const d = normalizeDateTime(v);
      return d ? ok(d) : bad('INVALID_VALUE', `"${field.key}" takes an ISO 8601 date-time between years 1000 and 9999`);
    }
    case 'BOOLEAN':
      return typeof v === 'boolean' ? ok(v) : bad('INVALID_TYPE', `"${field.key}" takes true or false`);
    case 'STATIC_SELECT':
      return one(field, v, (item) => selectOption(field, item));
    case 'USER':
      return one(field, v, idOf(field, 'user'));
    case 'LINK': {
      // stored as a list even when single, so containment and counts read the same way
      const r = one(field, v, idOf(field, 'record'));
      return r.ok && typeof r.value === 'string' ? ok([r.value]) : r;
    }
    case 'FILE': {
      // an id, or a file object read back from `values` ({ id, name, ... })
      const r = one(field, v, idOf(field, 'file'));
      return r.ok && typeof r.value === 'string' ? ok([r.value]) : r;
    }
    case 'WEBSITE': {
      if (typeof v !== 'string') return bad('INVALID_TYPE', `"${field.key}" takes a URL`);
      const u = normalizeWebsite(v);
      return u ? ok(u) : bad('INVALID_VALUE', `"${field.key}" takes an http(s) URL`);
    }
    case 'EMAIL':
      if (typeof v !== 'string') return bad('INVALID_TYPE', `"${field.key}" takes an email address`);
      return EMAIL.test(v.trim()) ? ok(v.trim().toLowerCase()) : bad('INVALID_VALUE', `"${field.key}" takes an email address`);
    case 'PHONE_NUMBER': {
      if (typeof v !== 'string') return bad('INVALID_TYPE', `"${field.key}" takes a phone number`);
      const p = normalizePhone(v);
      return p ? ok(p) : bad('INVALID_VALUE', `"${field.key}" takes a phone number of 5 to 15 digits, optionally starting with +`);
    }
    case 'CURRENCY': {
      const fixed = field.config.currency;
      let amount: unknown = v;
      let currency: unknown = fixed;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
        const o = v as Record<string, unknown>;
        amount = o.amount;
        currency = o.currency ?? fixed;
        const extra = Object.keys(o).filter((k) => k !== 'amount' && k !== 'currency');
        if (extra.length) return bad('INVALID_VALUE', `"${field.key}" takes { amount, currency }; unknown ${extra.join(', ')}`);
      }
      if (typeof amount === 'number') return bad('INVALID_TYPE', `"${field.key}" takes the amount as a decimal string (e.g. "12.50") to keep it exact`);
      const exact = normalizeDecimal(amount);
      if (exact === null) return bad('INVALID_VALUE', `"${field.key}" takes a decimal amount with at most 18 digits before and 8 after the point`);
      if (!isCurrencyCode(currency)) return bad('INVALID_CURRENCY', `"${field.key}" needs an ISO 4217 currency code`);
      if (fixed && currency !== fixed) return bad('INVALID_CURRENCY', `"${field.key}" is in ${fixed}, not ${String(currency)}`);
      return ok({ amount: exact, currency });
    }
    case 'CHECKLIST': {
      if (!Array.isArray(v)) return bad('INVALID_TYPE', `"${field.key}" takes a list of { label, checked }`);
      if (v.length > MAX_ITEMS) return bad('TOO_MANY', `"${field.key}" takes at most ${MAX_ITEMS} items`);
      const items: Json[] = [];
      for (const item of v) {
        const o = item as Record<string, unknown>;
        if (typeof o !== 'object' || o === null || typeof o.label !== 'string' || !o.label.trim())
          return bad('INVALID_VALUE', `every item of "${field.key}" needs a label`);
        if (o.checked !== undefined && typeof o.checked !== 'boolean') return bad('INVALID_TYPE', `"checked" of an item of "${field.key}" is true or false`);
        items.push({ label: o.label, checked: o.checked === true });
      }
      return ok(items);
    }
    default:
      return bad('READ_ONLY', `"${field.key}" cannot be written`);
  }
}

export interface References {
  /** LINK: target collection id -> record ids */
  records: Map<string, Set<string>>;
  users: Set<string>;
  files: Set<string>;
}

export interface ValidatedValues {
  values: Record<string, Json>;
  issues: FieldIssue[];
}

/**
 * Validates a whole `values` object against a collection. `replace` / `create`: the result is
 * exactly the input (plus defaults on create); `patch`: merged into `current`. Every problem is
 * reported, with `path` = [...prefix, key].
 */
export function validateValues(
  schema: CollectionSchema,
  input: unknown,
  mode: 'create' | 'replace' | 'patch',
  prefix: string[],
  current: Record<string, Json> = {},
): ValidatedValues {
  const issues: FieldIssue[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { values: {}, issues: [{ path: prefix, code: 'INVALID_TYPE', message: 'values must be an object keyed by field key' }] };
  }
  const given = input as Record<string, unknown>;
  const values: Record<string, Json> = {};
  if (mode === 'patch') {
    for (const [k, v] of Object.entries(current)) if (schema.byKey.has(k) && !FIELD_TYPE_SPECS[schema.byKey.get(k)!.type].readOnly) values[k] = v;
  }
  for (const [key, raw] of Object.entries(given)) {
    const field = schema.byKey.get(key);
    if (!field) {
      issues.push({ path: [...prefix, key], code: 'UNKNOWN_FIELD', message: `No field with key "${key}"` });
      continue;
    }
    const r = normalizeValue(field, raw);
    if (!r.ok) issues.push({ path: [...prefix, key], code: r.code, message: r.message });
    else if (r.value === undefined) delete values[key];
    else values[key] = r.value;
  }
  for (const field of schema.fields) {
    if (FIELD_TYPE_SPECS[field.type].readOnly) continue;
    if (mode === 'create' && !(field.key in given) && field.defaultValue !== null && field.defaultValue !== undefined) {
      const r = normalizeValue(field, field.defaultValue);
      if (r.ok && r.value !== undefined) values[field.key] = r.value;
    }
    if (field.required && values[field.key] === undefined && !issues.some((i) => i.path[prefix.length] === field.key)) {
      issues.push({ path: [...prefix, field.key], code: 'REQUIRED', message: `"${field.key}" is required` });
    }
  }
  return { values, issues };
}

/** Ids that must exist for the values to be valid. */
export function collectReferences(schema: CollectionSchema, values: Record<string, Json>, into: References) {
  for (const [key, v] of Object.entries(values)) {
    const field = schema.byKey.get(key)!;
    const ids = (Array.isArray(v) ? v : [v])
      .map((x) => (typeof x === 'object' && x !== null && !Array.isArray(x) ? x.id : x))
      .filter((x): x is string => typeof x === 'string');
    if (field.type === 'LINK') {
      const target = field.config.targetCollectionId!;
      const set = into.records.get(target) ?? new Set();
      for (const id of ids) set.add(id);
      into.records.set(target, set);
    } else if (field.type === 'USER') for (const id of ids) into.users.add(id);
    else if (field.type === 'FILE') for (const id of ids) into.files.add(id);
  }
}

export const emptyReferences = (): References => ({ records: new Map(), users: new Set(), files: new Set() });
