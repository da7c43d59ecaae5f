/**
 * The first import's metadata, accepted by the feedback module's `updateOnboarding` (as in the
 * seed API): stored per workspace, used by createImport as defaults for the first import.
 */
import { builder } from '../../graphql/builder.js';
import type { ServiceContext } from '../../context.js';
import { assertNoIssues } from '../../errors.js';
import { MetricTypeEnum } from './feedback.enums.js';
import type { MetricType } from '../../generated/prisma/enums.js';
import { metadataIssues, saveFirstImportDefaults } from './import-metadata.js';

export const FirstImportInput = builder.inputType('FirstImportInput', {
  fields: (t) => ({
    name: t.string({ required: false }),
    source: t.string({ required: false }),
    metricType: t.field({ type: MetricTypeEnum, required: false }),
    language: t.string({ required: false }),
  }),
});

type FirstImport = { name?: string | null; source?: string | null; metricType?: MetricType | null; language?: string | null };

/** Validates now (BAD_USER_INPUT under input.firstImport); the returned function saves it. */
export function saveFirstImport(ctx: ServiceContext, input: FirstImport | null | undefined): () => Promise<void> {
  if (!input) return async () => undefined;
  const path = ['input', 'firstImport'];
  assertNoIssues(metadataIssues(input, path));
  return () => saveFirstImportDefaults(ctx, input, path);
}
