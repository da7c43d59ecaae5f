import { STANDARD_PAGE } from '../../core/paging/index.js';
import { pagedDescription, pagingArgs } from '../../graphql/paging.js';
import { nestedConnection } from '../../graphql/nested-connection.js';
import { builder } from '../../graphql/builder.js';
import { RoleEnum } from '../../graphql/enums.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { requireWorkspace } from '../../context.js';
import { removeMember } from './identity.service.js';
import { UserType } from './user.graphql.js';
import { Prisma } from '../../generated/prisma/client.js';

const MembershipType = builder.prismaObject('Membership', {
  description: "A user's membership of the workspace, with their role in it.",
  fields: (t) => ({
    role: t.field({ type: RoleEnum, description: 'What the member may do in the workspace', resolve: (m) => m.role }),
    user: t.relation('user', { description: 'The member' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the user joined the workspace' }),
  }),
});

const MembershipConnection = builder.connectionObject(
  {
    type: MembershipType,
    name: 'MembershipConnection',
    fields: (t) => ({
      totalCount: t.int({ description: 'All members of the workspace', resolve: (c) => (c as unknown as { totalCount: () => Promise<number> }).totalCount() }),
    }),
  },
  { name: 'MembershipEdge' },
);

const workspaceMembers = nestedConnection({
  name: 'Workspace.members',
  rules: STANDARD_PAGE,
  typeName: 'Membership',
  table: Prisma.sql`"Membership" t`,
  parent: Prisma.sql`t."workspaceId"`,
  keys: [
    { sql: Prisma.sql`t."createdAt"`, dir: 'ASC', type: 'timestamp' },
    { sql: Prisma.sql`t.id`, dir: 'ASC', type: 'uuid' },
  ],
  id: Prisma.sql`t.id`,
  find: (ctx, query, ids) => ctx.db.membership.findMany({ ...query, where: { id: { in: ids } } }),
  idOf: (membership) => membership.id,
});

export const WorkspaceType = builder.prismaNode('Workspace', {
  id: { field: 'id' },
  description: 'A tenant: its members, and all data they work on, visible only from inside it.',
  // a workspace is only visible from inside itself
  findUnique: (id, ctx) => (ctx.principal?.workspaceId === id ? { id } : { id: '00000000-0000-0000-0000-000000000000' }),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Display name' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the workspace was created' }),
    members: t.field({
      type: MembershipConnection,
      description: pagedDescription('Its members, earliest first.', STANDARD_PAGE),
      authScopes: { scope: 'READ' },
      args: pagingArgs,
      resolve: (workspace, args, ctx, info) => workspaceMembers(workspace.id, args, ctx, info),
    }),
  }),
});

builder.mutationFields((t) => ({
  removeMember: t.field({
    type: 'ID',
    errors: {},
    description:
      "Removes a user (by their User id) from this workspace: their tokens stop working and their open subscriptions end at once, in every process. The last OWNER cannot be removed (CONFLICT, LAST_OWNER). Returns the user's id.",
    authScopes: { scope: 'MANAGE' },
    args: { id: t.arg.globalID({ for: UserType }) },
    resolve: async (_root, { id }, ctx) => {
      await removeMember(ctx.db, ctx.events, requireWorkspace(ctx).workspaceId, id.id);
      return encodeGlobalID('User', id.id);
    },
  }),
}));
