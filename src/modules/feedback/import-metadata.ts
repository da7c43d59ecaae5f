import type { ServiceContext } from '../../context.js';
import type { Tx } from '../../db/prisma.js';
import { requireWorkspace } from '../../context.js';
import { assertNoIssues, type FieldIssue } from '../../errors.js';
import type { MetricType } from '../../generated/prisma/enums.js';
import { CATEGORY_KEYS } from './onboarding.catalog.js';

/** What describes a CSV import of feedback: given to createImport, or at onboarding for the first. */
export interface ImportMetadata {
  name?: string | null;
  source?: string | null;
  metricType?: MetricType | null;
  language?: string | null;
  secondaryProductCategoryId?: string | null;
}

const LANGUAGE = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;

export function metadataIssues(input: ImportMetadata, path: string[] = []): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const p = (f: string) => [...path, f];
  if (input.name !== undefined && input.name !== null) {
    if (!input.name.trim()) issues.push({ path: p('name'), code: 'REQUIRED', message: 'Name must not be blank' });
    else if (input.name.trim().length > 200) issues.push({ path: p('name'), code: 'TOO_LONG', message: 'Name is at most 200 characters' });
  }
  if (input.source && input.source.trim().length > 100) issues.push({ path: p('source'), code: 'TOO_LONG', message: 'Source is at most 100 characters' });
  if (input.language && !LANGUAGE.test(input.language.trim()))
    issues.push({ path: p('language'), code: 'INVALID_VALUE', message: 'Language is a language tag such as "en" or "pt-BR"' });
  if (input.secondaryProductCategoryId && !CATEGORY_KEYS.includes(input.secondaryProductCategoryId)) {
    issues.push({ path: p('secondaryProductCategoryId'), code: 'INVALID_VALUE', message: `Unknown product category ${input.secondaryProductCategoryId}` });
  }
  return issues;
}

export const blankToNull = (s: string | null | undefined) => (s === undefined ? undefined : s?.trim() ? s.trim() : null);

/** Metadata for the workspace's first import, given during onboarding. */
export async function saveFirstImportDefaults(ctx: ServiceContext, input: ImportMetadata, path: string[], tx: Tx = ctx.db) {
  const { workspaceId } = requireWorkspace(ctx);
  assertNoIssues(metadataIssues(input, path));
  const data = {
    name: blankToNull(input.name) ?? null,
    source: blankToNull(input.source) ?? null,
    metricType: input.metricType ?? null,
    language: blankToNull(input.language) ?? null,
  };
  await tx.importDefaults.upsert({ where: { workspaceId }, create: { workspaceId, ...data }, update: data });
}
