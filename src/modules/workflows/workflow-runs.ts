import type { ServiceContext } from '../../context.js';
import { requireWorkspace } from '../../context.js';
import { assertNoIssues, notFound } from '../../errors.js';
import { enqueueJob } from '../../core/jobs/enqueue.js';
import { publishJobChanged } from '../../core/jobs/job-events.js';
import { parameterIssues } from '../../core/jobs/parameters.js';
import { declareJobKind } from '../../core/jobs/registry.js';
import { lockWorkflow, referencedParameters } from './workflow.service.js';

/** The job runs the workflow as it is when the job starts, with the job's `parameters`. */
export const WORKFLOW_JOB = declareJobKind<Record<string, never>>('WORKFLOW');

export interface CreateWorkflowJobInput {
  workflowId: string;
  startAt?: Date | null;
  parameters?: unknown;
}

/** A WORKFLOW job: validated against the workflow, created and scheduled in one transaction. */
export async function createWorkflowJob(ctx: ServiceContext, input: CreateWorkflowJobInput) {
  const { workspaceId } = requireWorkspace(ctx);
  const job = await ctx.db.$transaction(async (tx) => {
    const workflow = await lockWorkflow(tx, input.workflowId, workspaceId);
    if (!workflow) throw notFound('Workflow');
    const issues = parameterIssues(input.parameters, referencedParameters(workflow));
    if (!workflow.enabled) issues.push({ path: ['workflow'], code: 'DISABLED', message: 'The workflow is disabled' });
    assertNoIssues(issues);
    return enqueueJob(
      ctx,
      {
        kind: WORKFLOW_JOB,
        params: {},
        name: workflow.name,
        workflowId: workflow.id,
        parameters: (input.parameters ?? {}) as Record<string, string>,
        startAt: input.startAt,
        timeoutSeconds: workflow.timeoutSeconds,
        progressTotal: (workflow.tasks as unknown[]).length,
      },
      tx,
    );
  });
  await publishJobChanged(ctx.events, job, ctx.log);
  return job;
}
