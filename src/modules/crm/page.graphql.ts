import { offsetArg, pothosPaging, withOffset } from '../../graphql/paging.js';
import { deleteResult, DeletedInterface, type DeletedShape } from '../../graphql/deleted.js';
import { CRM_PAGE } from '../../core/paging/index.js';
import { builder } from '../../graphql/builder.js';
import { requireWorkspace } from '../../context.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { storedBlocks } from './blocks.js';
import { BlockInput, blockFromInput, PageBlockInterface } from './block.graphql.js';
import { moduleLoader, ModuleType } from './module.graphql.js';
import { createPage, deletePage, type DELETE_STRATEGIES, pageOrder, reorderPages, updatePage, type PageInput } from './page.service.js';

export const PageType = builder.prismaNode('Page', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '' }),
  // `node` answers null for a page that does not exist or belongs to another workspace
  nullable: true,
  description: 'A page of the CRM: typed blocks, placed in a tree. A page with a module is a record page.',
  fields: (t) => ({
    title: t.exposeString('title', { description: 'Shown in navigation and as the heading' }),
    description: t.exposeString('description', { description: 'What the page is for' }),
    visible: t.exposeBoolean('visible', { description: 'Shown in navigation' }),
    weight: t.exposeInt('weight', { description: 'Position among its siblings, ascending' }),
    isRecordPage: t.boolean({ description: 'A page with a module, showing one of its records', resolve: (p) => p.moduleId !== null }),
    blocks: t.field({ description: 'Its blocks, top to bottom', type: [PageBlockInterface], select: { blocks: true }, resolve: (p) => storedBlocks(p.blocks) }),
    parent: t.relation('parent', { description: 'The page above it; null for a top-level page', nullable: true }),
    module: t.field({
      type: ModuleType,
      nullable: true,
      description: 'The module of a record page',
      select: { moduleId: true },
      resolve: (p, _a, ctx) => (p.moduleId ? moduleLoader(ctx).load(p.moduleId) : null),
    }),
    children: t.relation('children', {
      description: 'Subpages ordered by weight; record pages only when asked for',
      args: { includeRecordPages: t.arg.boolean({ defaultValue: false }) },
      query: (args) => ({ where: args.includeRecordPages ? {} : { moduleId: null }, orderBy: pageOrder }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const PageDeleteStrategy = builder.enumType('PageDeleteStrategy', {
  description: 'What deletePage does with the pages below the deleted one.',
  values: {
    ABORT: { description: 'refuse when the page has children (default)' },
    CASCADE: { description: 'delete the page and all pages below it' },
    REBASE: { description: "move the page's children up to its parent, in its place" },
  } satisfies Record<(typeof DELETE_STRATEGIES)[number], unknown>,
});

const CreatePageInput = builder.inputType('CreatePageInput', {
  description: 'A new page, at the top or below a parent page.',
  fields: (t) => ({
    title: t.string({ description: 'Shown in navigation and as the heading' }),
    description: t.string({ description: 'What the page is for', required: false }),
    visible: t.boolean({ required: false, description: 'default true' }),
    blocks: t.field({ description: 'Its blocks, top to bottom', type: [BlockInput], required: false }),
    parent: t.globalID({ for: PageType, required: false, description: 'absent = a top-level page' }),
    module: t.globalID({ for: ModuleType, required: false, description: 'makes it a record page of this module (kept out of pageTree)' }),
    weight: t.int({ required: false, description: 'absent = after the last sibling' }),
  }),
});

const UpdatePageInput = builder.inputType('UpdatePageInput', {
  description: 'Only the given fields change.',
  fields: (t) => ({
    title: t.string({ required: false }),
    description: t.string({ required: false }),
    visible: t.boolean({ required: false }),
    blocks: t.field({ type: [BlockInput], required: false, description: 'replaces all blocks' }),
    parent: t.globalID({ for: PageType, required: false, description: 'moves the page; null = to the top level. Moving below itself is refused.' }),
    module: t.globalID({ for: ModuleType, required: false, description: 'null = no longer a record page' }),
    weight: t.int({ required: false }),
  }),
});

type PageInputShape = Partial<typeof UpdatePageInput.$inferInput>;

function toPageInput(input: PageInputShape): PageInput {
  return {
    title: input.title,
    description: input.description,
    visible: input.visible,
    blocks: input.blocks?.map(blockFromInput),
    parentId: input.parent === undefined ? undefined : (input.parent?.id ?? null),
    moduleId: input.module === undefined ? undefined : input.module ? String(input.module.id) : null,
    weight: input.weight,
  };
}

const DeletePageResult = builder.objectRef<DeletedShape & { deletedPageIds: string[] }>('DeletePageResult').implement({
  description: 'A deleted page; with CASCADE its descendants went with it',
  interfaces: [DeletedInterface],
  fields: (t) => ({
    deletedPageIds: t.exposeIDList('deletedPageIds', { description: 'Global ids of every page deleted (more than one with CASCADE)' }),
  }),
});

builder.queryFields((t) => ({
  page: t.prismaField({
    description: 'A page by id; null when it does not exist in your workspace',
    type: 'Page',
    nullable: true,
    authScopes: { scope: 'READ' },
    args: { id: t.arg.globalID({ for: PageType }) },
    resolve: (query, _root, { id }, ctx) => ctx.db.page.findFirst({ ...query, where: { id: id.id, workspaceId: requireWorkspace(ctx).workspaceId } }),
  }),
  pages: t.prismaConnection({
    type: 'Page',
    cursor: 'id',
    ...pothosPaging(CRM_PAGE),
    description: "A parent's children (record pages included) ordered by weight; without a parent, the top-level pages",
    authScopes: { scope: 'READ' },
    args: { ...offsetArg, parent: t.arg.globalID({ for: PageType, required: false }) },
    totalCount: (_root, args, ctx) => ctx.db.page.count({ where: { workspaceId: requireWorkspace(ctx).workspaceId, parentId: args.parent?.id ?? null } }),
    resolve: (query, _root, args, ctx) =>
      ctx.db.page.findMany({
        ...withOffset(query, args),
        where: { workspaceId: requireWorkspace(ctx).workspaceId, parentId: args.parent?.id ?? null },
        orderBy: pageOrder,
      }),
  }),
  pageTree: t.prismaField({
    type: ['Page'],
    description: 'The top-level pages that are not record pages, ordered by weight; nest `children` for the levels below.',
    authScopes: { scope: 'READ' },
    resolve: (query, _root, _args, ctx) =>
      ctx.db.page.findMany({ ...query, where: { workspaceId: requireWorkspace(ctx).workspaceId, parentId: null, moduleId: null }, orderBy: pageOrder }),
  }),
}));

builder.mutationFields((t) => ({
  createPage: t.prismaField({
    description: 'Creates a page with its blocks',
    type: 'Page',
    errors: {},
    authScopes: { scope: 'MANAGE' },
    args: { input: t.arg({ type: CreatePageInput }) },
    resolve: (query, _root, { input }, ctx) => createPage(ctx.db, requireWorkspace(ctx).workspaceId, toPageInput(input), query),
  }),
  updatePage: t.prismaField({
    description: "Changes a page's title, parent or blocks",
    type: 'Page',
    errors: {},
    authScopes: { scope: 'MANAGE' },
    args: { id: t.arg.globalID({ for: PageType }), input: t.arg({ type: UpdatePageInput }) },
    resolve: (query, _root, { id, input }, ctx) => updatePage(ctx.db, requireWorkspace(ctx).workspaceId, id.id, toPageInput(input), query),
  }),
  reorderPages: t.prismaField({
    type: ['Page'],
    errors: {},
    description: "Sets the order of a parent's children (top-level pages without a parent). The list must hold each child exactly once.",
    authScopes: { scope: 'MANAGE' },
    args: { parent: t.arg.globalID({ for: PageType, required: false }), pageIds: t.arg.globalIDList({ for: PageType }) },
    resolve: async (query, _root, { parent, pageIds }, ctx) => {
      const workspaceId = requireWorkspace(ctx).workspaceId;
      await reorderPages(
        ctx.db,
        workspaceId,
        parent?.id ?? null,
        pageIds.map((p) => p.id),
      );
      return ctx.db.page.findMany({ ...query, where: { workspaceId, parentId: parent?.id ?? null }, orderBy: pageOrder });
    },
  }),
  deletePage: t.field({
    description: 'Deletes the page; its children are kept or deleted as `strategy` says',
    type: DeletePageResult,
    errors: deleteResult((deleted: DeletedShape) => deleted),
    authScopes: { scope: 'MANAGE' },
    args: { id: t.arg.globalID({ for: PageType }), strategy: t.arg({ type: PageDeleteStrategy, defaultValue: 'ABORT' }) },
    resolve: async (_root, { id, strategy }, ctx) => {
      const deleted = await deletePage(ctx.db, requireWorkspace(ctx).workspaceId, id.id, strategy);
      return { __typename: 'DeletePageResult', id: encodeGlobalID('Page', id.id), deletedPageIds: deleted.map((d) => encodeGlobalID('Page', d)) };
    },
  }),
}));
