import { STANDARD_PAGE } from '../../core/paging/index.js';
import { deletedObject, deleteResult } from '../../graphql/deleted.js';
import { offsetArg, pothosPaging, withOffset } from '../../graphql/paging.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../graphql/builder.js';
import { requireWorkspace } from '../../context.js';
import type { JsonValue } from '../../graphql/scalars.js';
import { createWorkflow, deleteWorkflow, updateWorkflow, type TaskDefinition } from './workflow.service.js';
import { parametersSchema, TASK_TYPES } from './task-types.js';
import { updatedId } from '../../graphql/renamed-argument.js';

const WorkflowTaskRef = builder.objectRef<TaskDefinition>('WorkflowTask').implement({
  description: 'One step of a workflow. `parameters` follow the kind’s schema in `workflowTaskTypes`; strings may contain `{{params.name}}`.',
  fields: (t) => ({
    kind: t.exposeString('kind', { description: 'The task type (see `workflowTaskTypes`)' }),
    name: t.string({ description: 'A label for logs and errors, e.g. "notify sales"', nullable: true, resolve: (task) => task.name ?? null }),
    parameters: t.field({ description: 'The parameters of its kind', type: 'JSON', resolve: (task) => task.parameters }),
  }),
});

export const WorkflowType = builder.prismaNode('Workflow', {
  description: 'An ordered list of typed tasks that jobs run.',
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '' }),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Unique in the workspace' }),
    description: t.exposeString('description', { description: 'What the workflow is for', nullable: true }),
    tasks: t.field({ description: 'Run in order by each job', type: [WorkflowTaskRef], resolve: (w) => w.tasks as unknown as TaskDefinition[] }),
    onError: t.field({
      type: [WorkflowTaskRef],
      description: 'Run after a task fails or the job times out; may use `{{error.message}}` and `{{error.task}}`.',
      resolve: (w) => w.onError as unknown as TaskDefinition[],
    }),
    timeoutSeconds: t.exposeInt('timeoutSeconds', { description: 'A job running longer ends ERROR (after its onError tasks); null: no limit', nullable: true }),
    enabled: t.exposeBoolean('enabled', { description: 'Disabled workflows refuse new jobs' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const WorkflowTaskTypeRef = builder.objectRef<(typeof TASK_TYPES)[number]>('WorkflowTaskType').implement({
  description: 'A kind of task workflows can use.',
  fields: (t) => ({
    kind: t.exposeString('kind', { description: 'The name tasks give as `kind`' }),
    description: t.exposeString('description', { description: 'What a task of this kind does' }),
    parametersSchema: t.field({ type: 'JSON', description: 'JSON Schema of the parameters', resolve: (type) => parametersSchema(type) }),
  }),
});

const WorkflowTaskInput = builder.inputType('WorkflowTaskInput', {
  description: 'One step of a workflow: its kind and the parameters that kind takes (see `workflowTaskTypes`).',
  fields: (t) => ({
    kind: t.string({ description: 'A task type of `workflowTaskTypes`' }),
    name: t.string({ description: 'A label for logs and errors', required: false }),
    parameters: t.field({ description: 'Parameters following the kind’s schema; strings may contain `{{params.name}}`', type: 'JSON', required: false }),
  }),
});

const CreateWorkflowInput = builder.inputType('CreateWorkflowInput', {
  description: 'A new workflow: its tasks, the tasks run when one fails, and its limits.',
  fields: (t) => ({
    name: t.string({ description: 'Unique in the workspace' }),
    description: t.string({ description: 'What the workflow is for', required: false }),
    tasks: t.field({ type: [WorkflowTaskInput], required: false, description: 'Run in order; a workflow without tasks is valid (its jobs end OK at once)' }),
    onError: t.field({ description: 'Run after a task fails or a job times out', type: [WorkflowTaskInput], required: false }),
    timeoutSeconds: t.int({ required: false, description: 'A job running longer ends ERROR (after its onError tasks)' }),
    enabled: t.boolean({ required: false, description: 'Disabled workflows refuse new jobs; default true' }),
  }),
});

const UpdateWorkflowInput = builder.inputType('UpdateWorkflowInput', {
  description: 'Fields left out keep their value; `timeoutSeconds: null` removes the timeout.',
  fields: (t) => ({
    id: t.globalID({ for: WorkflowType, required: false, deprecationReason: 'Use id' }),
    name: t.string({ required: false }),
    description: t.string({ required: false }),
    tasks: t.field({ type: [WorkflowTaskInput], required: false }),
    onError: t.field({ type: [WorkflowTaskInput], required: false }),
    timeoutSeconds: t.int({ required: false }),
    enabled: t.boolean({ required: false }),
  }),
});

type TaskInput = { kind: string; name?: string | null; parameters?: JsonValue | null };
const tasksOf = (list: TaskInput[] | null | undefined) => list?.map((t) => ({ kind: t.kind, name: t.name, parameters: t.parameters ?? {} }));

builder.queryFields((t) => ({
  workflowTaskTypes: t.field({
    description: 'The task types a workflow can run, with their parameters',
    type: [WorkflowTaskTypeRef],
    authScopes: { scope: 'READ' },
    resolve: () => TASK_TYPES,
  }),
  workflows: t.prismaConnection({
    type: 'Workflow',
    cursor: 'id',
    ...pothosPaging(STANDARD_PAGE),
    args: offsetArg,
    authScopes: { scope: 'READ' },
    totalCount: (_root, _args, ctx) => ctx.db.workflow.count({ where: { workspaceId: requireWorkspace(ctx).workspaceId } }),
    resolve: (query, _root, args, ctx) =>
      ctx.db.workflow.findMany({
        ...withOffset(query, args),
        where: { workspaceId: requireWorkspace(ctx).workspaceId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
}));

builder.mutationFields((t) => ({
  createWorkflow: t.prismaField({
    description: 'Creates a workflow: an ordered list of typed tasks',
    type: 'Workflow',
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: { input: t.arg({ type: CreateWorkflowInput }) },
    resolve: async (query, _root, { input }, ctx) => {
      const created = await createWorkflow(ctx, { ...input, tasks: tasksOf(input.tasks), onError: tasksOf(input.onError) });
      return ctx.db.workflow.findUniqueOrThrow({ ...query, where: { id: created.id } });
    },
  }),
  updateWorkflow: t.prismaField({
    description: 'Changes a workflow; jobs already queued keep the tasks they started with',
    type: 'Workflow',
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: {
      id: t.arg.globalID({ for: WorkflowType, required: false, description: 'Required (optional only while the deprecated input.id is accepted)' }),
      input: t.arg({ type: UpdateWorkflowInput }),
    },
    resolve: async (query, _root, { id, input }, ctx) => {
      const updated = await updateWorkflow(ctx, updatedId(id, input), { ...input, tasks: tasksOf(input.tasks), onError: tasksOf(input.onError) });
      return ctx.db.workflow.findUniqueOrThrow({ ...query, where: { id: updated.id } });
    },
  }),
  deleteWorkflow: t.field({
    type: 'ID',
    description: 'Deletes a workflow without queued or running jobs; returns its id. Its finished jobs stay, without workflow.',
    authScopes: { scope: 'MANAGE' },
    errors: deleteResult(deletedObject),
    args: { id: t.arg.globalID({ for: WorkflowType }) },
    resolve: async (_root, { id }, ctx) => {
      await deleteWorkflow(ctx, id.id);
      return encodeGlobalID('Workflow', id.id);
    },
  }),
}));
