import type { ServiceContext } from '../../context.js';
import { requireWorkspace } from '../../context.js';
import type { Tx } from '../../db/prisma.js';
import { enqueueJob } from '../../core/jobs/enqueue.js';
import { declareJobKind, handleJobKind } from '../../core/jobs/registry.js';
import { retagResponses } from './autotag.js';

export interface RetagJobParams {
  tagIds: string[];
}

export const RETAG = declareJobKind<RetagJobParams>('RETAG');

/**
 * RETAG: re-applies automatic tags to every existing response of the job's workspace, in chunks
 * (one transaction each), with progress, logs and cancellation between chunks. Enqueued when a
 * TEXT_MATCH tag is created or its terms, rules, scope or enabled flag change, and when
 * onboarding activates SMART tags. The workspace comes from the job, never from its params.
 */
export const feedbackJobKinds = [
  handleJobKind(RETAG, async (params, run) => {
    await retagResponses(run.db, { workspaceId: run.workspaceId, tagIds: params.tagIds }, run);
  }),
];

/**
 * Enqueues a RETAG job inside the caller's transaction: it runs only if that commits. A workspace
 * without responses has nothing to re-tag, so no job then.
 */
export function retagOnCommit(ctx: ServiceContext) {
  return async (tx: Tx, tagIds: string[]) => {
    const { workspaceId } = requireWorkspace(ctx);
    if (!(await tx.response.findFirst({ where: { workspaceId }, select: { id: true } }))) return;
    await enqueueJob(ctx, { kind: RETAG, params: { tagIds }, name: `Re-tag responses (${tagIds.length} tag${tagIds.length === 1 ? '' : 's'})` }, tx);
  };
}
