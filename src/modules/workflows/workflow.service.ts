import type { z } from 'zod';
import type { ServiceContext } from '../../context.js';
import { requireWorkspace } from '../../context.js';
import type { Config } from '../../config.js';
import { assertNoIssues, conflict, notFound, type FieldIssue, type IssueCode } from '../../errors.js';
import type { Tx } from '../../db/prisma.js';
import type { InputJsonValue } from '../../generated/prisma/internal/prismaNamespace.js';
import { inspectTemplates } from './templates.js';
import { taskTypes } from './task-types.js';

export interface TaskDefinition {
  kind: string;
  name?: string | null;
  parameters: unknown;
}

export interface WorkflowInput {
  name?: string | null;
  description?: string | null;
  tasks?: TaskDefinition[] | null;
  onError?: TaskDefinition[] | null;
  timeoutSeconds?: number | null;
  enabled?: boolean | null;
}

const MAX_TASKS = 100;
const MAX_TIMEOUT = 7 * 24 * 3600;

const startsWith = (path: (string | number)[], prefix: string[]) => prefix.every((p, i) => String(path[i]) === p);

function zodCode(issue: z.core.$ZodIssue, given: unknown): IssueCode {
  if (issue.code === 'unrecognized_keys') return 'UNKNOWN_FIELD';
  let value = given;
  for (const key of issue.path) value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
  if (issue.code === 'invalid_type' && value === undefined) return 'REQUIRED';
  return 'INVALID_VALUE';
}

/** Every problem of a task list, with paths into the mutation input. */
export function taskIssues(tasks: TaskDefinition[], at: string[], config: Config, options: { onError: boolean }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (tasks.length > MAX_TASKS) issues.push({ path: at, code: 'TOO_MANY', message: `At most ${MAX_TASKS} tasks` });
  tasks.forEach((task, i) => {
    const path = [...at, String(i)];
    const type = taskTypes.get(task.kind);
    if (!type) {
      issues.push({ path: [...path, 'kind'], code: 'UNKNOWN_TASK_KIND', message: `Unknown task kind "${task.kind}"; see workflowTaskTypes` });
      return;
    }
    if (task.name != null && (task.name.trim() === '' || task.name.length > 100))
      issues.push({ path: [...path, 'name'], code: 'INVALID_VALUE', message: 'A task name has 1 to 100 characters' });
    const { templated, problems } = inspectTemplates(task.parameters, options.onError);
    for (const p of problems) issues.push({ path: [...path, 'parameters', ...p.path], code: p.code, message: p.message });
    const isTemplated = (issuePath: (string | number)[]) => templated.some((t) => startsWith(issuePath, t));
    const parsed = type.schema.safeParse(task.parameters ?? {});
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (isTemplated(issue.path.map(String))) continue; // checked again with the values when the job runs
        issues.push({ path: [...path, 'parameters', ...issue.path.map(String)], code: zodCode(issue, task.parameters), message: issue.message });
      }
    } else if (type.check) {
      for (const issue of type.check(parsed.data, config))
        if (!isTemplated(issue.path)) issues.push({ ...issue, path: [...path, 'parameters', ...issue.path] });
    }
  });
  return issues;
}

/** Job parameter names a workflow's tasks refer to. */
export function referencedParameters(workflow: { tasks: unknown; onError: unknown }): string[] {
  return inspectTemplates([workflow.tasks, workflow.onError], true).params;
}

function workflowIssues(input: WorkflowInput, config: Config, creating: boolean): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (creating || input.name != null) {
    const name = input.name?.trim() ?? '';
    if (!name) issues.push({ path: ['name'], code: 'REQUIRED', message: 'Name is required' });
    else if (name.length > 200) issues.push({ path: ['name'], code: 'TOO_LONG', message: 'At most 200 characters' });
  }
  // no tasks is valid: a job of such a workflow ends OK at once
  if (input.tasks) issues.push(...taskIssues(input.tasks, ['tasks'], config, { onError: false }));
  if (input.onError) issues.push(...taskIssues(input.onError, ['onError'], config, { onError: true }));
  if (input.timeoutSeconds != null && (!Number.isInteger(input.timeoutSeconds) || input.timeoutSeconds < 1 || input.timeoutSeconds > MAX_TIMEOUT)) {
    issues.push({ path: ['timeoutSeconds'], code: 'OUT_OF_RANGE', message: `Between 1 and ${MAX_TIMEOUT} seconds` });
  }
  return issues;
}

const stored = (tasks: TaskDefinition[]) =>
  tasks.map((t) => ({ kind: t.kind, name: t.name?.trim() || null, parameters: t.parameters ?? {} })) as InputJsonValue;

async function nameTaken(ctx: ServiceContext, name: string, exceptId?: string) {
  const { workspaceId } = requireWorkspace(ctx);
  return (await ctx.db.workflow.count({ where: { workspaceId, name, ...(exceptId ? { id: { not: exceptId } } : {}) } })) > 0;
}

export async function createWorkflow(ctx: ServiceContext, input: WorkflowInput) {
  const { workspaceId } = requireWorkspace(ctx);
  const issues = workflowIssues(input, ctx.config, true);
  const name = input.name!.trim();
  if (issues.length === 0 && (await nameTaken(ctx, name))) issues.push({ path: ['name'], code: 'TAKEN', message: `A workflow named "${name}" already exists` });
  assertNoIssues(issues);
  return ctx.db.workflow.create({
    data: {
      workspaceId,
      name,
      description: input.description?.trim() || null,
      tasks: stored(input.tasks ?? []),
      onError: stored(input.onError ?? []),
      timeoutSeconds: input.timeoutSeconds ?? null,
      enabled: input.enabled ?? true,
    },
  });
}

export async function updateWorkflow(ctx: ServiceContext, id: string, input: WorkflowInput) {
  const { workspaceId } = requireWorkspace(ctx);
  const existing = await ctx.db.workflow.findFirst({ where: { id, workspaceId }, select: { id: true } });
  if (!existing) throw notFound('Workflow');
  const issues = workflowIssues(input, ctx.config, false);
  const name = input.name?.trim();
  if (issues.length === 0 && name && (await nameTaken(ctx, name, id)))
    issues.push({ path: ['name'], code: 'TAKEN', message: `A workflow named "${name}" already exists` });
  assertNoIssues(issues);
  return ctx.db.workflow.update({
    where: { id },
    data: {
      ...(name ? { name } : {}),
      ...(input.description !== undefined ? { description: input.description?.trim() || null } : {}),
      ...(input.tasks ? { tasks: stored(input.tasks) } : {}),
      ...(input.onError ? { onError: stored(input.onError) } : {}),
      ...(input.timeoutSeconds !== undefined ? { timeoutSeconds: input.timeoutSeconds } : {}),
      ...(input.enabled != null ? { enabled: input.enabled } : {}),
    },
  });
}

/** Refused while the workflow has QUEUED or RUNNING jobs; finished jobs keep their history. */
export async function deleteWorkflow(ctx: ServiceContext, id: string) {
  const { workspaceId } = requireWorkspace(ctx);
  return ctx.db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Workflow" WHERE id = ${id}::uuid AND "workspaceId" = ${workspaceId}::uuid FOR UPDATE`;
    if (rows.length === 0) throw notFound('Workflow');
    const active = await tx.job.count({ where: { workflowId: id, status: { in: ['QUEUED', 'RUNNING'] } } });
    if (active > 0) throw conflict(`The workflow has ${active} queued or running job${active === 1 ? '' : 's'}; cancel them first`);
    return tx.workflow.delete({ where: { id } });
  });
}

/** FOR SHARE: the workflow cannot be deleted while the caller's transaction uses it. */
export async function lockWorkflow(tx: Tx, id: string, workspaceId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Workflow" WHERE id = ${id}::uuid AND "workspaceId" = ${workspaceId}::uuid FOR SHARE`;
  if (!rows[0]) return null;
  return tx.workflow.findUniqueOrThrow({ where: { id } });
}
