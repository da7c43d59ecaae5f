/**
 * Root lookups by id for the types a client addresses directly, besides `node`: each answers null
 * for an id that does not exist in the caller's workspace (another workspace's included), and
 * selects what the client asked for in one Prisma query.
 */
import { builder } from '../graphql/builder.js';
import { requireWorkspace } from '../context.js';
import { loadSchema } from '../core/records/index.js';
import { EntryType } from './forms/entry.graphql.js';
import { FormType } from './forms/form.graphql.js';
import { FORM_SCOPE } from './forms/forms.service.js';
import { SurveyType } from './feedback/survey.graphql.js';
import { ResponseType } from './feedback/response.graphql.js';
import { TagType } from './feedback/tag.graphql.js';
import { ProjectType } from './feedback/project.graphql.js';
import { WorkflowType } from './workflows/workflow.graphql.js';
import { ImportType } from './imports/import.graphql.js';
import { ExportObject } from './exports/export.graphql.js';
import { ViewType } from './records/graphql/view.graphql.js';
import { feedbackWorkspace } from './feedback/onboarding.service.js';

const inWorkspace = (ctx: Parameters<typeof requireWorkspace>[0], id: string) => ({ id, workspaceId: requireWorkspace(ctx).workspaceId });
/** Feedback objects: behind the onboarding gate, like their lists (FAILED_DEPENDENCY before it). */
const inFeedbackWorkspace = async (ctx: Parameters<typeof feedbackWorkspace>[0], id: string) => ({ id, workspaceId: await feedbackWorkspace(ctx) });

builder.queryFields((t) => ({
  entry: t.prismaField({
    type: EntryType,
    nullable: true,
    description: 'An entry of a form by id; null when it does not exist in your workspace',
    authScopes: { scope: 'READ' },
    args: { id: t.arg.globalID({ for: EntryType }) },
    resolve: (query, _root, { id }, ctx) => ctx.db.dataRecord.findFirst({ ...query, where: { ...inWorkspace(ctx, id.id), collection: { kind: 'FORM' } } }),
  }),
  survey: t.prismaField({
    type: SurveyType,
    nullable: true,
    description: 'A survey by id; null when it does not exist in your workspace',
    authScopes: { scope: 'READ' },
    args: { id: t.arg.globalID({ for: SurveyType }) },
    resolve: (query, _root, { id }, ctx) => ctx.db.survey.findFirst({ ...query, where: inWorkspace(ctx, id.id) }),
  }),
  response: t.prismaField({
    type: ResponseType,
    nullable: true,
    description: 'A response by id; null when it does not exist in your workspace',
    authScopes: { scope: 'READ' },
    args: { id: t.arg.globalID({ for: ResponseType }) },
    resolve: async (query, _root, { id }, ctx) => ctx.db.response.findFirst({ ...query, where: await inFeedbackWorkspace(ctx, id.id) }),
  }),
  tag: t.prismaField({
    type: TagType,
    nullable: true,
    description: 'A tag by id; null when it does not exist in your workspace',
    authScopes: { scope: 'READ' },
    args: { id: t.arg.globalID({ for: TagType }) },
    resolve: async (query, _root, { id }, ctx) => ctx.db.tag.findFirst({ ...query, where: await inFeedbackWorkspace(ctx, id.id) }),
  }),
  project: t.prismaField({
    type: ProjectType,
    nullable: true,
    description: 'A project by id; null when it does not exist in your workspace',
    authScopes: { scope: 'READ' },
    args: { id: t.arg.globalID({ for: ProjectType }) },
    resolve: async (query, _root, { id }, ctx) => ctx.db.project.findFirst({ ...query, where: await inFeedbackWorkspace(ctx, id.id) }),
  }),
  workflow: t.prismaField({
    type: WorkflowType,
    nullable: true,
    description: 'A workflow by id; null when it does not exist in your workspace',
    authScopes: { scope: 'READ' },
    args: { id: t.arg.globalID({ for: WorkflowType }) },
    resolve: (query, _root, { id }, ctx) => ctx.db.workflow.findFirst({ ...query, where: inWorkspace(ctx, id.id) }),
  }),
  import: t.prismaField({
    type: ImportType,
    nullable: true,
    description: 'An import by id; null when it does not exist in your workspace',
    authScopes: { scope: 'READ' },
    args: { id: t.arg.globalID({ for: ImportType }) },
    resolve: async (query, _root, { id }, ctx) => ctx.db.import.findFirst({ ...query, where: await inFeedbackWorkspace(ctx, id.id) }),
  }),
  export: t.prismaField({
    type: ExportObject,
    nullable: true,
    description: 'An export by id; null when it does not exist in your workspace',
    authScopes: { scope: 'READ' },
    args: { id: t.arg.globalID({ for: ExportObject }) },
    resolve: async (query, _root, { id }, ctx) => ctx.db.export.findFirst({ ...query, where: await inFeedbackWorkspace(ctx, id.id) }),
  }),
  view: t.prismaField({
    type: ViewType,
    nullable: true,
    description: 'A saved view of a form or module by id; null when it does not exist in your workspace',
    authScopes: { scope: 'READ' },
    args: { id: t.arg.globalID({ for: ViewType }) },
    resolve: (query, _root, { id }, ctx) => ctx.db.view.findFirst({ ...query, where: inWorkspace(ctx, id.id) }),
  }),
}));

builder.objectField(EntryType, 'form', (t) =>
  t.field({
    type: FormType,
    description: 'The form of the entry (loaded once per form and request)',
    resolve: async (row, _args, ctx) => (await loadSchema(ctx, row.collectionId, FORM_SCOPE)).collection,
  }),
);
