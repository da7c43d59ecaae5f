import { requireWorkspace, type GraphQLContext } from '../../context.js';
import { loaderFor } from '../../loaders.js';

/** Users by id, one statement per request, only members of the caller's workspace. */
export function userLoader(ctx: GraphQLContext) {
  const { workspaceId } = requireWorkspace(ctx);
  return loaderFor(ctx, 'records:users', async (ids) => {
    const users = await ctx.db.user.findMany({ where: { id: { in: [...ids] }, memberships: { some: { workspaceId } } } });
    return ids.map((id) => users.find((u) => u.id === id) ?? null);
  });
}
