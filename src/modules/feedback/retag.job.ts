import type { ServiceContext } from '../../context.js';
import { requireWorkspace } from '../../context.js';
import type { Tx } from '../../db/prisma.js';
import { Prisma } from '../../generated/prisma/client.js';
import { applyAutoTags } from './autotag.js';

/**
 * Re-tagging existing responses after an automatic tag changes. Until the jobs module is merged
 * this runs inside the caller's transaction (over every response at once); with jobs it becomes
 * a RETAG job enqueued in that transaction.
 */
export function retagOnCommit(ctx: ServiceContext) {
  return async (tx: Tx, tagIds: string[]) => {
    const { workspaceId } = requireWorkspace(ctx);
    await tx.$executeRaw`
      DELETE FROM "ResponseTag" rt USING "Tag" t
      WHERE rt."tagId" = t.id AND t.mode <> 'MANUAL' AND t.id = ANY(CAST(${tagIds} AS uuid[])) AND t."workspaceId" = CAST(${workspaceId} AS uuid)`;
    await applyAutoTags(tx, workspaceId, { idAfter: null, idUpTo: 'ffffffff-ffff-ffff-ffff-ffffffffffff' }, tagIds);
    void Prisma;
  };
}
