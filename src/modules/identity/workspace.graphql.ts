import { STANDARD_PAGE } from '../../core/paging/index.js';
import { pothosPaging } from '../../graphql/paging.js';
import { builder } from '../../graphql/builder.js';
import { RoleEnum } from '../../graphql/enums.js';

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
