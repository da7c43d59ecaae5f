import { builder } from '../../graphql/builder.js';
import { ProductCategoryEnum } from './feedback.enums.js';
import { categoryByKey, PRODUCT_CATEGORIES, type ProductCategory } from './onboarding.catalog.js';
import { getOnboarding, updateOnboarding } from './onboarding.service.js';
import { TagType } from './tag.graphql.js';
import { retagOnCommit } from './retag.job.js';
import { FirstImportInput, firstImportStep } from './first-import.graphql.js';

const OnboardingCategory = builder.objectRef<ProductCategory>('OnboardingCategory').implement({
  description: 'A product category; choosing it creates its SMART tags',
  fields: (t) => ({
    key: t.field({ description: 'The category', type: ProductCategoryEnum, resolve: (c) => c.key }),
    name: t.exposeString('name', { description: 'Its name, for people' }),
    smartTags: t.stringList({ description: 'Names of the SMART tags it creates', resolve: (c) => c.tags.map((tag) => tag.name) }),
  }),
});

const Onboarding = builder.objectRef<{ workspaceId: string; onboarded: boolean; category: string | null }>('Onboarding').implement({
  description: 'Feedback onboarding of the workspace. Until `onboarded`, feedback operations fail with FAILED_DEPENDENCY.',
  fields: (t) => ({
    onboarded: t.exposeBoolean('onboarded', { description: 'The feedback product is set up: feedback operations are open' }),
    category: t.field({
      description: 'The chosen product category; null until chosen',
      type: OnboardingCategory,
      nullable: true,
      resolve: (o) => categoryByKey(o.category),
    }),
    categories: t.field({ description: 'The categories to choose from', type: [OnboardingCategory], resolve: () => [...PRODUCT_CATEGORIES] }),
    tags: t.prismaField({
      type: [TagType],
      description: 'The SMART tags of the workspace',
      resolve: (query, o, _args, ctx) => ctx.db.tag.findMany({ ...query, where: { workspaceId: o.workspaceId, mode: 'SMART' }, orderBy: { name: 'asc' } }),
    }),
  }),
});

const UpdateOnboardingInput = builder.inputType('UpdateOnboardingInput', {
  description: 'The answers of the feedback onboarding; fields left out keep their value.',
  fields: (t) => ({
    category: t.field({ description: 'The product category, which selects the SMART tags', type: ProductCategoryEnum }),
    onboarded: t.boolean({ description: 'true completes the onboarding' }),
    firstProjectName: t.string({ required: false, description: 'Creates this project (kept if it exists)' }),
    firstImport: t.field({
      type: FirstImportInput,
      required: false,
      description: "Metadata for the workspace's first CSV import (createImport falls back to it)",
    }),
  }),
});

builder.queryFields((t) => ({
  onboarding: t.field({
    description: "The workspace's feedback onboarding: category, catalog and whether it is done",
    type: Onboarding,
    authScopes: { scope: 'READ' },
    resolve: (_root, _args, ctx) => getOnboarding(ctx),
  }),
}));

builder.mutationFields((t) => ({
  updateOnboarding: t.field({
    type: Onboarding,
    authScopes: { scope: 'MANAGE' },
    description:
      'Chooses the product category (creating its SMART tags and applying them to existing responses), sets the onboarded flag, optionally creates the first project.',
    errors: {},
    args: { input: t.arg({ type: UpdateOnboardingInput }) },
    resolve: async (_root, { input }, ctx) => {
      const { onboarding } = await updateOnboarding(ctx, input, retagOnCommit(ctx), firstImportStep(ctx, input.firstImport));
      return onboarding;
    },
  }),
}));
