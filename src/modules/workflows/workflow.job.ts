import type { ServiceContext } from '../../context.js';
import type { JobRun } from '../../core/jobs/job-run.js';
import { handleJobKind } from '../../core/jobs/registry.js';
import { JobTimedOut, LeaseLost, TaskFailed } from '../../core/jobs/errors.js';
import { substitute, type TemplateScope } from './templates.js';
import { taskTypes } from './task-types.js';
import type { TaskDefinition } from './workflow.service.js';
import { WORKFLOW_JOB } from './workflow-runs.js';

/** onError tasks get their own time, also after a timeout (they are cleanup and notification). */
const ON_ERROR_BUDGET_MS = 25_000;

const label = (task: TaskDefinition, i: number) => `#${i + 1} ${task.name ?? task.kind}`;
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** `step`: the task's index among the workflow's tasks, recorded when it finishes (onError tasks have none). */
async function runTask(task: TaskDefinition, scope: TemplateScope, job: JobRun, signal: AbortSignal, step?: number) {
  const type = taskTypes.get(task.kind);
  if (!type) throw new Error(`Unknown task kind "${task.kind}"`);
  const { value, problems } = substitute(task.parameters, scope);
  if (problems.length) throw new Error(problems.map((p) => p.message).join('; '));
  const parsed = type.schema.safeParse(value);
  if (!parsed.success) throw new Error(`Invalid parameters: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  let recorded = false;
  const atomically = async <T>(work: (ctx: ServiceContext) => Promise<T>): Promise<T> => {
    if (step === undefined) return work(job.ctx);
    recorded = true;
    return (await job.finishStep(step, work)) as T;
  };
  await type.run(parsed.data, { job, config: job.ctx.config, signal, atomically });
  if (step !== undefined && !recorded) await job.finishStep(step);
}

/**
 * A workflow job: its tasks in order, a log line and a progress step per task. A failing task (or
 * the timeout) runs the onError tasks, then ends the job ERROR naming the task. Cancel and other
 * aborts propagate as they are; the executor records them.
 */
async function runWorkflow(run: JobRun) {
  const job = await run.db.job.findUniqueOrThrow({ where: { id: run.jobId }, select: { parameters: true, progressTotal: true, workflow: true } });
  if (!job.workflow) throw new Error('The workflow was deleted');
  const tasks = job.workflow.tasks as unknown as TaskDefinition[];
  const onError = job.workflow.onError as unknown as TaskDefinition[];
  const scope: TemplateScope = { params: (job.parameters ?? {}) as Record<string, string> };
  // the claim reset `done`; the total was set when the job was created (or its workflow changed)
  const finished = tasks.filter((_, i) => run.finishedSteps.has(i)).length;
  if (finished > 0 || job.progressTotal !== tasks.length) await run.progress(finished, tasks.length);
  if (finished > 0)
    await run.log('INFO', `Resuming after task #${finished}: an earlier attempt finished ${finished === 1 ? 'it' : `tasks #1 to #${finished}`}`);
  for (const [i, task] of tasks.entries()) {
    if (run.finishedSteps.has(i)) continue;
    run.throwIfCancelled();
    await run.log('INFO', `Task ${label(task, i)}${task.name ? ` (${task.kind})` : ''}`);
    try {
      await runTask(task, scope, run, run.signal, i);
    } catch (error) {
      const reason = run.signal.aborted ? run.signal.reason : null;
      if (reason && !(reason instanceof JobTimedOut)) throw reason;
      // another worker owns the job now: its onError tasks are not ours to run
      if (error instanceof LeaseLost) throw error;
      const message = reason ? reason.message : messageOf(error);
      await run.log('ERROR', `Task ${label(task, i)} failed: ${message}`);
      await runOnError(onError, { ...scope, error: { message, task: label(task, i) } }, run);
      throw new TaskFailed(message, label(task, i));
    }
    await run.progress(i + 1, tasks.length);
  }
  run.throwIfCancelled();
}

export const workflowJobKinds = [handleJobKind(WORKFLOW_JOB, (_params, run) => runWorkflow(run))];

async function runOnError(tasks: TaskDefinition[], scope: TemplateScope, run: JobRun) {
  if (tasks.length === 0) return;
  await run.log('INFO', `Running ${tasks.length} onError task${tasks.length === 1 ? '' : 's'}`);
  const signal = AbortSignal.timeout(ON_ERROR_BUDGET_MS);
  for (const [i, task] of tasks.entries()) {
    try {
      await run.log('INFO', `onError task ${label(task, i)}${task.name ? ` (${task.kind})` : ''}`);
      await runTask(task, scope, run, signal);
    } catch (error) {
      // an onError failure is logged; the job still ends with the original error
      await run.log('ERROR', `onError task ${label(task, i)} failed: ${messageOf(signal.aborted ? signal.reason : error)}`);
      if (signal.aborted) return;
    }
  }
}
