import type { FieldIssue } from '../../errors.js';

export const PROPERTY_DATA_TYPES = ['STRING', 'NUMBER', 'BOOLEAN', 'DATE'] as const;
export type PropertyDataType = (typeof PROPERTY_DATA_TYPES)[number];

export interface PropertyInput {
  key: string;
  dataType: PropertyDataType;
  value: string;
}

export const MAX_PROPERTIES = 100;
export const MAX_PROPERTY_VALUE = 2000;

/**
 * The canonical text of a property value, which is what is stored and what PROPERTY_EQUALS tag
 * rules compare: NUMBER as JavaScript prints it ("1e3" -> "1000", "2.50" -> "2.5"); BOOLEAN as
 * "true"/"false" (accepts true/false/yes/no/1/0, any case); DATE as an ISO 8601 UTC timestamp
 * ("2024-05-01" -> "2024-05-01T00:00:00.000Z"); STRING as given. Null when the value is invalid.
 */
export function canonicalPropertyValue(dataType: PropertyDataType, value: string): string | null {
  const v = value.trim();
  switch (dataType) {
    case 'STRING':
      return value.length <= MAX_PROPERTY_VALUE ? value : null;
    case 'NUMBER': {
      const n = v === '' ? NaN : Number(v);
      return Number.isFinite(n) ? String(n) : null;
    }
    case 'BOOLEAN': {
      const b = v.toLowerCase();
      return ['true', 'yes', '1'].includes(b) ? 'true' : ['false', 'no', '0'].includes(b) ? 'false' : null;
    }
    case 'DATE': {
      if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) return null;
      const d = new Date(v);
      if (Number.isNaN(d.getTime())) return null;
      // no silent roll-over of impossible calendar dates (2024-02-30)
      if (/^\d{4}-\d{2}-\d{2}$/.test(v) && d.toISOString().slice(0, 10) !== v) return null;
      return d.toISOString();
    }
  }
}

export function propertyIssues(inputs: PropertyInput[], path: string[]): { properties: PropertyInput[]; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const properties: PropertyInput[] = [];
  const keys = new Set<string>();
  if (inputs.length > MAX_PROPERTIES) issues.push({ path, code: 'TOO_MANY', message: `At most ${MAX_PROPERTIES} properties` });
  inputs.forEach((p, i) => {
    const key = p.key.trim();
    if (!key || key.length > 100) issues.push({ path: [...path, String(i), 'key'], code: 'INVALID_VALUE', message: 'A property key is 1-100 characters' });
    else if (keys.has(key)) issues.push({ path: [...path, String(i), 'key'], code: 'DUPLICATE', message: `Property ${key} is given twice` });
    keys.add(key);
    const value = canonicalPropertyValue(p.dataType, p.value);
    if (value === null) issues.push({ path: [...path, String(i), 'value'], code: 'INVALID_VALUE', message: `Not a valid ${p.dataType} value` });
    else if (key && key.length <= 100) properties.push({ key, dataType: p.dataType, value });
  });
  return { properties, issues };
}
