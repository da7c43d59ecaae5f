/**
 * CSV exports of a workspace's feedback, run as EXPORT jobs. Only one export per workspace may be
 * in progress: createExport takes a transaction-scoped advisory lock on the workspace, looks for
 * an EXPORT job that is QUEUED or RUNNING, and creates the new one in the same transaction, so two
 * concurrent calls cannot both pass the check.
 */
import path from 'node:path';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { ServiceContext } from '../../context.js';
import { requireWorkspace } from '../../context.js';
import type { Config } from '../../config.js';
import { conflict } from '../../errors.js';
import { feedbackWorkspace } from '../feedback/onboarding.service.js';
import { enqueueJob } from '../../core/jobs/enqueue.js';
import { declareJobKind } from '../../core/jobs/registry.js';

export const EXPORT_JOB = declareJobKind<{ exportId: string }>('EXPORT');
export type ExportType = 'RESPONSES' | 'USERS';

export const exportFile = (config: Pick<Config, 'dataDir'>, id: string) => path.join(config.dataDir, 'exports', `${id}.csv`);
export const downloadPath = (id: string) => `/downloads/exports/${id}.csv`;

export async function createExport(ctx: ServiceContext, type: ExportType) {
  const workspaceId = await feedbackWorkspace(ctx);
  const { userId } = requireWorkspace(ctx);
  return ctx.db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('formgraph:export'), hashtext(${workspaceId}))`;
    const running = await tx.job.findFirst({
      where: { workspaceId, kind: EXPORT_JOB.name, status: { in: ['QUEUED', 'RUNNING'] } },
      select: { id: true, status: true },
    });
    if (running) {
      const other = await tx.export.findFirst({ where: { workspaceId, jobId: running.id }, select: { id: true, type: true } });
      throw conflict(
        `An export is already in progress in this workspace: ${other ? `export ${encodeGlobalID('Export', other.id)} (${other.type}), ` : ''}job ${encodeGlobalID('Job', running.id)} (${running.status}). Wait for it to finish or cancel it.`,
      );
    }
    const row = await tx.export.create({ data: { workspaceId, type, createdById: userId } });
    const job = await enqueueJob(ctx, { kind: EXPORT_JOB, params: { exportId: row.id }, name: `Export ${type.toLowerCase()}` }, tx);
    return tx.export.update({ where: { id: row.id }, data: { jobId: job.id } });
  });
}
