/**
 * The first import's metadata, accepted by the feedback module's `updateOnboarding` (as in the
 * seed API): stored per workspace, used by createImport as defaults for the first import.
 */
import { builder } from '../../graphql/builder.js';
import type { ServiceContext } from '../../context.js';
import type { OnboardingStep } from './onboarding.service.js';
import { MetricTypeEnum } from './feedback.enums.js';
import type { MetricType } from '../../generated/prisma/enums.js';
import { metadataIssues, saveFirstImportDefaults } from './import-metadata.js';

export const FirstImportInput = builder.inputType('FirstImportInput', {
  description: 'The file and settings of the import that completes feedback onboarding.',
  fields: (t) => ({
    name: t.string({ description: 'A label; default the file name', required: false }),
    source: t.string({ description: 'Where the file comes from, e.g. "Zendesk"', required: false }),
    metricType: t.field({ description: 'The metric of the score column; default OTHER', type: MetricTypeEnum, required: false }),
    language: t.string({ description: 'Language of the feedback', required: false }),
  }),
});

type FirstImport = { name?: string | null; source?: string | null; metricType?: MetricType | null; language?: string | null };

/**
 * The first import's part of `updateOnboarding`: its issues (under input.firstImport), reported
 * with the onboarding's own, and its write, made in the onboarding's transaction.
 */
export function firstImportStep(ctx: ServiceContext, input: FirstImport | null | undefined): OnboardingStep {
  if (!input) return { issues: [], write: async () => undefined };
  const path = ['input', 'firstImport'];
  return { issues: metadataIssues(input, path), write: (tx) => saveFirstImportDefaults(ctx, input, path, tx) };
}
