import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import { ok, userError, type GraphQLClient } from '../../helpers/graphql-client.js';
import { jobLogMessages, rawId, runJobsUntilIdle } from '../../helpers/jobs.js';
import { graphql } from '../../gql/index.js';
import { CancelJob, CreateJob, CreateWorkflow, createJob, createWorkflow, getJob, UpdateJob } from './documents.js';

const TaskTypes = graphql(`
  query JobsTaskTypes {
    workflowTaskTypes {
      kind
      description
      parametersSchema
    }
  }
`);

const UpdateWorkflow = graphql(`
  mutation JobsUpdateWorkflow($id: ID!, $input: UpdateWorkflowInput!) {
    updateWorkflow(id: $id, input: $input) {
      __typename
      ... on MutationUpdateWorkflowSuccess {
        data {
          id
          name
          timeoutSeconds
          enabled
          tasks {
            kind
          }
        }
      }
      ... on UserError {
        code
        issues {
          path
          code
        }
      }
    }
  }
`);

const DeleteWorkflow = graphql(`
  mutation JobsDeleteWorkflow($id: ID!) {
    deleteWorkflow(id: $id) {
      __typename
      ... on MutationDeleteWorkflowSuccess {
        data
      }
      ... on UserError {
        code
        message
      }
    }
  }
`);

const Jobs = graphql(`
  query JobsList($status: [JobStatus!], $workflow: ID, $first: Int, $after: String) {
    jobs(status: $status, workflow: $workflow, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          status
        }
      }
    }
  }
`);

const JobLogs = graphql(`
  query JobsLogs($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    job(id: $id) {
      logs(first: $first, after: $after, last: $last, before: $before) {
        totalCount
        pageInfo {
          hasNextPage
          hasPreviousPage
          endCursor
          startCursor
        }
        edges {
          node {
            sequence
            level
            message
            data
          }
        }
      }
    }
  }
`);

const Workflows = graphql(`
  query JobsWorkflows {
    workflows(first: 50) {
      totalCount
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

describe('workflows and jobs API (no workers: jobs stay QUEUED unless run by the test)', () => {
  let t: TestServer;
  let tenant: Tenant;
  let other: Tenant;
  let c: GraphQLClient;
  beforeAll(async () => {
    t = await startTestServer({ HTTP_TASK_ALLOW_LIST: 'hooks.example.com' });
    tenant = await createTenant(t.server.db);
    other = await createTenant(t.server.db);
    c = t.client.as(tenant.key);
  });
  afterAll(() => t?.stop());

  it('lists the task catalog with a JSON Schema per kind', async () => {
    const { workflowTaskTypes } = await c.data(TaskTypes);
    expect(workflowTaskTypes.map((k) => k.kind).sort()).toEqual(['archiveEntries', 'createEntry', 'httpRequest', 'log', 'updateEntries', 'wait']);
    const wait = workflowTaskTypes.find((k) => k.kind === 'wait')!.parametersSchema as { properties: Record<string, { type: string }>; required: string[] };
    expect(wait.properties.seconds!.type).toBe('number');
    expect(wait.required).toEqual(['seconds']);
  });

  it('reports every problem of a workflow at once, with paths into the input', async () => {
    const r = await c.data(CreateWorkflow, {
      input: {
        name: ' ',
        tasks: [
          { kind: 'teleport', parameters: {} },
          { kind: 'wait', parameters: { seconds: 'soon' } },
          { kind: 'httpRequest', parameters: { url: 'https://evil.example.org/x' } },
          { kind: 'log', parameters: { message: 'hi {{user.name}}' } },
        ],
        onError: [{ kind: 'log', parameters: { message: '{{error.message}}' } }],
        timeoutSeconds: 0,
      },
    });
    const error = userError(r.createWorkflow);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.issues.map((i) => [i.path.join('.'), i.code])).toEqual([
      ['input.name', 'REQUIRED'],
      ['input.tasks.0.kind', 'UNKNOWN_TASK_KIND'],
      ['input.tasks.1.parameters.seconds', 'INVALID_VALUE'],
      ['input.tasks.2.parameters.url', 'NOT_ALLOWED'],
      ['input.tasks.3.parameters.message', 'INVALID_TEMPLATE'],
      ['input.timeoutSeconds', 'OUT_OF_RANGE'],
    ]);
    expect((await c.data(Workflows)).workflows.totalCount).toBe(0);
  });

  it('creates, updates, lists and deletes workflows; names are unique per workspace', async () => {
    const id = await createWorkflow(c, { name: 'nightly', tasks: [{ kind: 'log', parameters: { message: 'x' } }] });
    expect(
      userError((await c.data(CreateWorkflow, { input: { name: 'nightly', tasks: [{ kind: 'log', parameters: { message: 'x' } }] } })).createWorkflow)
        .issues[0],
    ).toMatchObject({ path: ['input', 'name'], code: 'TAKEN' });
    // the same name in another workspace is fine
    await createWorkflow(t.client.as(other.key), { name: 'nightly', tasks: [{ kind: 'log', parameters: { message: 'x' } }] });
    const updated = ok(
      (
        await c.data(UpdateWorkflow, {
          id,
          input: {
            timeoutSeconds: 30,
            tasks: [
              { kind: 'wait', parameters: { seconds: 1 } },
              { kind: 'log', parameters: { message: 'y' } },
            ],
          },
        })
      ).updateWorkflow,
    );
    expect(updated).toMatchObject({ name: 'nightly', timeoutSeconds: 30, enabled: true, tasks: [{ kind: 'wait' }, { kind: 'log' }] });
    const list = await c.data(Workflows);
    expect(list.workflows.edges.map((e) => e.node.id)).toContain(id);
    expect(ok((await c.data(DeleteWorkflow, { id })).deleteWorkflow)).toBe(id);
    expect(userError((await c.data(DeleteWorkflow, { id })).deleteWorkflow).code).toBe('NOT_FOUND');
  });

  it('refuses deleting a workflow with queued jobs; finished jobs keep their history', async () => {
    const id = await createWorkflow(c, { tasks: [{ kind: 'log', parameters: { message: 'x' } }] });
    const job = await createJob(c, { workflow: id });
    const refused = userError((await c.data(DeleteWorkflow, { id })).deleteWorkflow);
    expect(refused.code).toBe('CONFLICT');
    await runJobsUntilIdle(t);
    expect((await getJob(c, job.id)).status).toBe('OK');
    ok((await c.data(DeleteWorkflow, { id })).deleteWorkflow);
    const after = await getJob(c, job.id);
    expect(after).toMatchObject({ status: 'OK', workflow: null, name: job.name });
  });

  it('validates job parameters against the workflow and refuses disabled workflows', async () => {
    const id = await createWorkflow(c, { tasks: [{ kind: 'log', parameters: { message: '{{params.who}} {{params.what}}' } }] });
    const r = await c.data(CreateJob, { input: { workflow: id, parameters: { who: 'x', n: 3 } } });
    expect(userError(r.createJob).issues.map((i) => [i.path.join('.'), i.code])).toEqual([
      ['input.parameters.n', 'INVALID_VALUE'],
      ['input.parameters.what', 'REQUIRED'],
    ]);
    ok((await c.data(UpdateWorkflow, { id, input: { enabled: false } })).updateWorkflow);
    const disabled = userError((await c.data(CreateJob, { input: { workflow: id, parameters: { who: 'x', what: 'y' } } })).createJob);
    expect(disabled.issues).toEqual([expect.objectContaining({ path: ['input', 'workflow'], code: 'DISABLED' })]);
  });

  it('lets an external runner drive a job through legal transitions only', async () => {
    const wf = await createWorkflow(c, { tasks: [{ kind: 'log', parameters: { message: 'x' } }] });
    const wf2 = await createWorkflow(c, {
      tasks: [
        { kind: 'log', parameters: { message: '{{params.p}}' } },
        { kind: 'log', parameters: { message: 'b' } },
      ],
    });
    const job = await createJob(c, { workflow: wf, startAt: new Date(Date.now() + 3600_000).toISOString() });
    const update = async (input: Record<string, unknown>) => (await c.data(UpdateJob, { id: job.id, input })).updateJob;

    expect(userError(await update({ status: 'OK' })).issues).toEqual([expect.objectContaining({ path: ['input', 'status'], code: 'ILLEGAL_TRANSITION' })]);
    // while QUEUED: workflow, startAt and parameters may change (and are validated together)
    expect(userError(await update({ workflow: wf2 })).issues).toEqual([expect.objectContaining({ path: ['input', 'parameters', 'p'], code: 'REQUIRED' })]);
    const startAt = new Date(Date.now() + 7200_000).toISOString();
    const moved = ok(await update({ workflow: wf2, parameters: { p: 'v' }, startAt }));
    expect(moved).toMatchObject({ status: 'QUEUED', workflow: { id: wf2 }, parameters: { p: 'v' }, startAt, progress: { done: 0, total: 2 } });

    const running = ok(await update({ status: 'RUNNING', log: { level: 'INFO', message: 'picked up', data: { runner: 'ext-1' } } }));
    expect(running.status).toBe('RUNNING');
    expect(running.attempts).toBe(1);
    // every problem at once: an illegal status and fields that only change while QUEUED
    expect(
      userError(await update({ status: 'QUEUED', startAt: new Date().toISOString(), parameters: { p: 'w' } })).issues.map((i) => [i.path.join('.'), i.code]),
    ).toEqual([
      ['input.status', 'ILLEGAL_TRANSITION'],
      ['input.startAt', 'NOT_QUEUED'],
      ['input.parameters', 'NOT_QUEUED'],
    ]);
    ok(await update({ progress: { done: 1, total: 2 } }));
    const failed = ok(await update({ status: 'ERROR', errorMessage: 'disk full' }));
    expect(failed).toMatchObject({ status: 'ERROR', error: { message: 'disk full', task: null }, progress: { done: 1, total: 2 } });
    expect(failed.finishedAt).not.toBeNull();
    for (const status of ['RUNNING', 'OK', 'CANCELLED', 'QUEUED']) {
      expect(userError(await update({ status })).issues[0]).toMatchObject({ path: ['input', 'status'], code: 'ILLEGAL_TRANSITION' });
    }
    // a log line may still be appended to a finished job
    ok(await update({ log: { level: 'WARN', message: 'post-mortem' } }));
    expect(await jobLogMessages(t, rawId(job.id))).toEqual(['Status set to RUNNING', 'picked up', 'Status set to ERROR: disk full', 'post-mortem']);
    // the external runner owns it: our workers never ran it
    await runJobsUntilIdle(t);
    expect((await getJob(c, job.id)).status).toBe('ERROR');
  });

  it('pages logs oldest first with totalCount', async () => {
    const wf = await createWorkflow(c, { tasks: [{ kind: 'log', parameters: { message: 'x' } }] });
    const job = await createJob(c, { workflow: wf, startAt: new Date(Date.now() + 3600_000).toISOString() });
    for (let i = 0; i < 12; i++)
      ok((await c.data(UpdateJob, { id: job.id, input: { log: { level: i % 2 ? 'DEBUG' : 'INFO', message: `line ${i}`, data: { i } } } })).updateJob);
    const first = (await c.data(JobLogs, { id: job.id, first: 5 })).job!.logs;
    expect(first.totalCount).toBe(12);
    expect(first.edges.map((e) => e.node.message)).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await c.data(JobLogs, { id: job.id, first: 5, after: first.pageInfo.endCursor })).job!.logs;
    expect(second.edges.map((e) => e.node.message)).toEqual(['line 5', 'line 6', 'line 7', 'line 8', 'line 9']);
    const third = (await c.data(JobLogs, { id: job.id, first: 5, after: second.pageInfo.endCursor })).job!.logs;
    expect(third.edges.map((e) => e.node.message)).toEqual(['line 10', 'line 11']);
    expect(third.pageInfo.hasNextPage).toBe(false);
    const last = (await c.data(JobLogs, { id: job.id, last: 2 })).job!.logs;
    expect(last.edges.map((e) => [e.node.message, e.node.level, e.node.data])).toEqual([
      ['line 10', 'INFO', { i: 10 }],
      ['line 11', 'DEBUG', { i: 11 }],
    ]);
    const sequences = [...first.edges, ...second.edges].map((e) => BigInt(e.node.sequence));
    expect(sequences).toEqual([...sequences].sort((a, b) => (a < b ? -1 : 1)));
  });

  it('lists jobs newest first, filtered by status and workflow, with totalCount; other workspaces see nothing', async () => {
    const wfA = await createWorkflow(c, { tasks: [{ kind: 'log', parameters: { message: 'a' } }] });
    const wfB = await createWorkflow(c, { tasks: [{ kind: 'log', parameters: { message: 'b' } }] });
    const later = new Date(Date.now() + 3600_000).toISOString();
    const a1 = await createJob(c, { workflow: wfA, startAt: later });
    const a2 = await createJob(c, { workflow: wfA, startAt: later });
    const b1 = await createJob(c, { workflow: wfB, startAt: later });
    ok((await c.data(CancelJob, { id: a2.id })).cancelJob);
    const byA = (await c.data(Jobs, { workflow: wfA })).jobs;
    expect(byA.totalCount).toBe(2);
    expect(byA.edges.map((e) => e.node.id)).toEqual([a2.id, a1.id]);
    const queuedA = (await c.data(Jobs, { workflow: wfA, status: ['QUEUED'] })).jobs;
    expect(queuedA.edges.map((e) => e.node.id)).toEqual([a1.id]);
    const page = (await c.data(Jobs, { first: 1, status: ['QUEUED', 'CANCELLED'] })).jobs;
    expect(page.edges[0]!.node.id).toBe(b1.id);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const next = (await c.data(Jobs, { first: 1, after: page.pageInfo.endCursor, status: ['QUEUED', 'CANCELLED'] })).jobs;
    expect(next.edges[0]!.node.id).toBe(a2.id);

    const outsider = t.client.as(other.key);
    expect((await outsider.data(Jobs, {})).jobs.totalCount).toBe(0);
    expect((await outsider.data(`query($id: ID!) { job(id: $id) { id } }`, { id: a1.id })) as unknown).toEqual({ job: null });
    expect(userError((await outsider.data(CancelJob, { id: a1.id })).cancelJob).code).toBe('NOT_FOUND');
    expect(userError((await outsider.data(UpdateJob, { id: a1.id, input: { status: 'CANCELLED' } })).updateJob).code).toBe('NOT_FOUND');
    expect(userError((await outsider.data(CreateJob, { input: { workflow: wfA } })).createJob).code).toBe('NOT_FOUND');
  });

  it('answers selections of __typename only (no columns)', async () => {
    const wf = await createWorkflow(c, { tasks: [{ kind: 'log', parameters: { message: 'x' } }] });
    const r = await c.data(`mutation($w: ID!) { createJob(input: { workflow: $w }) { __typename } }`, { w: wf });
    expect(r).toEqual({ createJob: { __typename: 'MutationCreateJobSuccess' } });
    const job = await createJob(c, { workflow: wf });
    expect(await c.data(`query($id: ID!) { job(id: $id) { __typename } }`, { id: job.id })).toEqual({ job: { __typename: 'Job' } });
  });

  it('needs the right scopes', async () => {
    const reader = t.client.as((await createTenant(t.server.db, ['READ'])).key);
    const errors = await reader.errors(CreateWorkflow, { input: { name: 'x', tasks: [{ kind: 'log', parameters: { message: 'x' } }] } });
    expect(errors[0]!.extensions?.code).toBe('FORBIDDEN');
    expect((await t.client.errors(Jobs, {}))[0]!.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
