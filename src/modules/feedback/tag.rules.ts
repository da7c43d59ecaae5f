import { Prisma } from '../../generated/prisma/client.js';
import type { FieldIssue } from '../../errors.js';

export const METRIC_TYPES = ['NPS', 'CSAT', 'CES', 'OTHER'] as const;
export type MetricType = (typeof METRIC_TYPES)[number];
export const RULE_TYPES = ['SCORE_RANGE', 'METRIC_TYPE', 'PROPERTY_EQUALS'] as const;
export type RuleType = (typeof RULE_TYPES)[number];

/** A condition a response must satisfy for an automatic tag; all of a tag's rules must hold. */
export type FilterRule =
  | { type: 'SCORE_RANGE'; min: number | null; max: number | null }
  | { type: 'METRIC_TYPE'; metricTypes: MetricType[] }
  | { type: 'PROPERTY_EQUALS'; key: string; value: string };

export interface FilterRuleInput {
  type: RuleType;
  min?: number | null;
  max?: number | null;
  metricTypes?: MetricType[] | null;
  key?: string | null;
  value?: string | null;
}

export const LIMITS = { terms: 100, termLength: 100, rules: 20, name: 100, displayName: 200, description: 2000 } as const;

/**
 * A term is matched as whole words, case-insensitively: it must start and end with a letter or
 * digit (word boundaries are PostgreSQL's \m and \M: letters, digits and underscore per the
 * database's locale); inner whitespace matches any run of whitespace.
 */
const TERM = /^[\p{L}\p{N}](?:.*[\p{L}\p{N}])?$/su;

export function termIssues(terms: string[], path: string[]): { terms: string[]; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  if (terms.length > LIMITS.terms) issues.push({ path, code: 'TOO_MANY', message: `At most ${LIMITS.terms} text-match terms` });
  const cleaned: string[] = [];
  terms.forEach((raw, i) => {
    const term = raw.trim().replace(/\s+/g, ' ');
    if (!term) issues.push({ path: [...path, String(i)], code: 'REQUIRED', message: 'A term must not be blank' });
    else if (term.length > LIMITS.termLength)
      issues.push({ path: [...path, String(i)], code: 'TOO_LONG', message: `A term is at most ${LIMITS.termLength} characters` });
    else if (!TERM.test(term)) issues.push({ path: [...path, String(i)], code: 'INVALID_VALUE', message: 'A term must start and end with a letter or digit' });
    else if (!cleaned.some((c) => c.toLowerCase() === term.toLowerCase())) cleaned.push(term);
  });
  return { terms: cleaned, issues };
}

export function ruleIssues(rules: FilterRuleInput[], path: string[]): { rules: FilterRule[]; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const out: FilterRule[] = [];
  if (rules.length > LIMITS.rules) issues.push({ path, code: 'TOO_MANY', message: `At most ${LIMITS.rules} filter rules` });
  rules.forEach((r, i) => {
    const p = [...path, String(i)];
    const unexpected = (field: keyof FilterRuleInput) => {
      if (r[field] !== undefined && r[field] !== null)
        issues.push({ path: [...p, field], code: 'NOT_ALLOWED', message: `${field} does not apply to ${r.type} rules` });
    };
    switch (r.type) {
      case 'SCORE_RANGE': {
        (['metricTypes', 'key', 'value'] as const).forEach(unexpected);
        const min = r.min ?? null;
        const max = r.max ?? null;
        if (min === null && max === null) issues.push({ path: [...p, 'min'], code: 'REQUIRED', message: 'A score range needs min, max or both' });
        else if (min !== null && max !== null && min > max) issues.push({ path: [...p, 'max'], code: 'OUT_OF_RANGE', message: 'max must not be below min' });
        else out.push({ type: 'SCORE_RANGE', min, max });
        break;
      }
      case 'METRIC_TYPE':
        (['min', 'max', 'key', 'value'] as const).forEach(unexpected);
        if (!r.metricTypes?.length) issues.push({ path: [...p, 'metricTypes'], code: 'REQUIRED', message: 'List at least one metric type' });
        else out.push({ type: 'METRIC_TYPE', metricTypes: [...new Set(r.metricTypes)] });
        break;
      case 'PROPERTY_EQUALS':
        (['min', 'max', 'metricTypes'] as const).forEach(unexpected);
        if (!r.key?.trim()) issues.push({ path: [...p, 'key'], code: 'REQUIRED', message: 'A property rule needs a key' });
        if (r.value === undefined || r.value === null) issues.push({ path: [...p, 'value'], code: 'REQUIRED', message: 'A property rule needs a value' });
        if (r.key?.trim() && r.value !== undefined && r.value !== null) out.push({ type: 'PROPERTY_EQUALS', key: r.key.trim(), value: r.value });
        break;
    }
  });
  return { rules: out, issues };
}

/** Reads stored rules back (the column is JSON written only by ruleIssues). */
export const storedRules = (json: unknown): FilterRule[] => (Array.isArray(json) ? (json as FilterRule[]) : []);

/**
 * SQL: the response `r` satisfies every rule in the JSON array `rules` (an SQL expression).
 * PROPERTY_EQUALS compares the property's canonical text value exactly (see response.properties.ts).
 */
export const rulesHoldSql = (rules: Prisma.Sql) => Prisma.sql`NOT EXISTS (
  SELECT 1 FROM jsonb_array_elements(${rules}) AS rule
  WHERE NOT COALESCE(CASE rule->>'type'
    WHEN 'SCORE_RANGE' THEN r.score IS NOT NULL
      AND (rule->>'min' IS NULL OR r.score >= CAST(rule->>'min' AS float8))
      AND (rule->>'max' IS NULL OR r.score <= CAST(rule->>'max' AS float8))
    WHEN 'METRIC_TYPE' THEN CAST(r."metricType" AS text) IN (SELECT jsonb_array_elements_text(rule->'metricTypes'))
    WHEN 'PROPERTY_EQUALS' THEN EXISTS (SELECT 1 FROM "ResponseProperty" rp WHERE rp."responseId" = r.id AND rp.key = rule->>'key' AND rp.value = rule->>'value')
    ELSE false END, false))`;
