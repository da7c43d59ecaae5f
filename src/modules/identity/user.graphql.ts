import { builder } from '../../graphql/builder.js';

export const UserType = builder.prismaNode('User', {
  description: 'A person who signs in; a member of one or more workspaces.',
  id: { field: 'id' },
  // users are visible to members of a workspace they belong to
  findUnique: (id, ctx) => ({ id, memberships: { some: { workspaceId: ctx.principal?.workspaceId ?? '' } } }),
  fields: (t) => ({
    email: t.exposeString('email', { description: 'The address the user signs in with' }),
    name: t.exposeString('name', { description: 'Display name' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
