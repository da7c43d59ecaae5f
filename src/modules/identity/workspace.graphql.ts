import { STANDARD_PAGE } from '../../core/paging/index.js';
import { pothosPaging } from '../../graphql/paging.js';
import { builder } from '../../graphql/builder.js';
import { RoleEnum } from '../../graphql/enums.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { requireWorkspace } from '../../context.js';
import { removeMember } from './identity.service.js';
import { UserType } from './user.graphql.js';

export const WorkspaceType = builder.prismaNode('Workspace', {
  id: { field: 'id' },
  // a workspace is only visible from inside itself
  findUnique: (id, ctx) => (ctx.principal?.workspaceId === id ? { id } : { id: '00000000-0000-0000-0000-000000000000' }),
  fields: (t) => ({
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    members: t.relatedConnection('memberships', {
      cursor: 'id',
      ...pothosPaging(STANDARD_PAGE),
      authScopes: { scope: 'READ' },
      totalCount: true,
      query: { orderBy: { createdAt: 'asc' } },
    }),
  }),
});

builder.prismaObject('Membership', {
  fields: (t) => ({
    role: t.field({ type: RoleEnum, resolve: (m) => m.role }),
    user: t.relation('user'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
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
