import { offsetArg, pothosPaging, withOffset } from '../../graphql/paging.js';
import { deletedTypeWithOldId, deleteResult, type DeletedShape } from '../../graphql/deleted.js';
import { FEEDBACK_PAGE } from '../../core/paging/index.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../graphql/builder.js';
import { createProject, deleteProject, renameProject } from './project.service.js';
import { feedbackWorkspace } from './onboarding.service.js';

export const ProjectType = builder.prismaNode('Project', {
  description: 'A named group of responses.',
  id: { field: 'id' },
  // another workspace's object (or a missing one) loads as null: node(id) answers null
  nullable: true,
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '' }),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Unique in the workspace' }),
    responseCount: t.relationCount('responses', { description: 'Responses in the project' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const DeletedProject = deletedTypeWithOldId('DeletedProject', 'A deleted project');

builder.queryFields((t) => ({
  projects: t.prismaConnection({
    type: 'Project',
    cursor: 'id',
    ...pothosPaging(FEEDBACK_PAGE),
    args: offsetArg,
    authScopes: { scope: 'READ' },
    description: 'Projects, newest first. Fails FAILED_DEPENDENCY before onboarding.',
    totalCount: async (_root, _args, ctx) => ctx.db.project.count({ where: { workspaceId: await feedbackWorkspace(ctx) } }),
    resolve: async (query, _root, args, ctx) =>
      ctx.db.project.findMany({
        ...withOffset(query, args),
        where: { workspaceId: await feedbackWorkspace(ctx) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
}));

builder.mutationFields((t) => ({
  createProject: t.prismaField({
    description: 'Creates a project; names are unique in the workspace',
    type: ProjectType,
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: { name: t.arg.string() },
    resolve: async (query, _root, { name }, ctx) => {
      const { id } = await createProject(ctx, name);
      return ctx.db.project.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  renameProject: t.prismaField({
    description: 'Renames a project; names are unique in the workspace',
    type: ProjectType,
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: { id: t.arg.globalID({ for: ProjectType }), name: t.arg.string() },
    resolve: async (query, _root, { id, name }, ctx) => {
      await renameProject(ctx, id.id, name);
      return ctx.db.project.findUniqueOrThrow({ ...query, where: { id: id.id } });
    },
  }),
  deleteProject: t.field({
    type: DeletedProject,
    authScopes: { scope: 'WRITE' },
    description: 'Deletes the project; its responses stay and just leave it',
    errors: deleteResult((deleted: DeletedShape) => deleted),
    args: { id: t.arg.globalID({ for: ProjectType }) },
    resolve: async (_root, { id }, ctx) => {
      await deleteProject(ctx, id.id);
      return { __typename: 'DeletedProject', id: encodeGlobalID('Project', id.id) };
    },
  }),
}));
