import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import { ok, userError, type GraphQLClient } from '../../helpers/graphql-client.js';
import { jobLogMessages, rawId, waitForJob } from '../../helpers/jobs.js';
import { CancelJob, createJob, createWorkflow, getJob, UpdateJob } from './documents.js';
import { sweepExpiredLeases } from '../../../src/core/jobs/lease.js';

/** A local HTTP endpoint the httpRequest task may call (it is the allow-list's only entry). */
function startHookServer() {
  const received: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const status = req.url?.startsWith('/fail') ? 500 : 200;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: status === 200 }));
    });
  });
  return new Promise<{ url: string; received: typeof received; close(): Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, received, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

describe('jobs: execution and status paths', () => {
  let t: TestServer;
  let tenant: Tenant;
  let c: GraphQLClient;
  let hook: Awaited<ReturnType<typeof startHookServer>>;
  beforeAll(async () => {
    hook = await startHookServer();
    t = await startTestServer({ WORKER_CONCURRENCY: '3', JOB_LEASE_MS: '1000', WORKER_POLL_INTERVAL_MS: '100', HTTP_TASK_ALLOW_LIST: new URL(hook.url).host });
    tenant = await createTenant(t.server.db);
    c = t.client.as(tenant.key);
  });
  afterAll(async () => {
    await t?.stop();
    await hook?.close();
  });

  it('runs the tasks in order, a log line and a progress step each, and ends OK', async () => {
    const workflow = await createWorkflow(c, {
      tasks: [
        { kind: 'log', parameters: { message: 'hello {{params.who}}' } },
        { kind: 'wait', name: 'pause', parameters: { seconds: '{{params.pause}}' } },
        {
          kind: 'httpRequest',
          parameters: { method: 'POST', url: `${hook.url}/hook/{{params.who}}`, headers: { 'x-who': '{{params.who}}' }, body: '{"who":"{{params.who}}"}' },
        },
      ],
    });
    const created = await createJob(c, { workflow, parameters: { who: 'ada', pause: '0.05' } });
    // the in-server worker may already have claimed it when the mutation reads it back
    expect(['QUEUED', 'RUNNING']).toContain(created.status);
    expect(created.kind).toBe('WORKFLOW');
    expect(created.progress.total).toBe(3);
    await waitForJob(t, rawId(created.id));
    const job = await getJob(c, created.id);
    expect(job.status).toBe('OK');
    expect(job.progress).toEqual({ done: 3, total: 3 });
    expect(job.attempts).toBe(1);
    expect(job.error).toBeNull();
    expect(new Date(job.finishedAt!).getTime()).toBeGreaterThanOrEqual(new Date(job.startedAt!).getTime());
    expect(job.logs.edges.map((e) => e.node.message)).toEqual([
      'Started',
      'Task #1 log',
      'hello ada',
      'Task #2 pause (wait)',
      'Task #3 httpRequest',
      `POST ${hook.url}/hook/ada answered 200`,
      'Finished',
    ]);
    const call = hook.received.find((r) => r.url === '/hook/ada')!;
    expect(call).toMatchObject({ method: 'POST', body: '{"who":"ada"}' });
    expect(call.headers['x-who']).toBe('ada');
  });

  it('ends ERROR naming the failed task, after running the onError tasks', async () => {
    const workflow = await createWorkflow(c, {
      tasks: [
        { kind: 'log', parameters: { message: 'first' } },
        { kind: 'httpRequest', name: 'notify', parameters: { url: `${hook.url}/fail` } },
        { kind: 'log', parameters: { message: 'never' } },
      ],
      onError: [{ kind: 'log', parameters: { level: 'WARN', message: 'cleanup after {{error.task}}: {{error.message}}' } }],
    });
    const created = await createJob(c, { workflow });
    await waitForJob(t, rawId(created.id));
    const job = await getJob(c, created.id);
    expect(job.status).toBe('ERROR');
    expect(job.error).toEqual({ message: `HTTP 500 from GET ${hook.url}/fail`, task: '#2 notify' });
    expect(job.progress).toEqual({ done: 1, total: 3 });
    const messages = job.logs.edges.map((e) => e.node.message);
    expect(messages).toContain(`cleanup after #2 notify: HTTP 500 from GET ${hook.url}/fail`);
    expect(messages).not.toContain('never');
    expect(messages.at(-1)).toBe(`Failed in #2 notify: HTTP 500 from GET ${hook.url}/fail`);
  });

  it('ends ERROR with a timeout message when the job runs longer than timeoutSeconds', async () => {
    const workflow = await createWorkflow(c, {
      timeoutSeconds: 1,
      tasks: [
        { kind: 'log', parameters: { message: 'begin' } },
        { kind: 'wait', parameters: { seconds: 600 } },
      ],
      onError: [{ kind: 'log', parameters: { message: 'timed out: {{error.message}}' } }],
    });
    const created = await createJob(c, { workflow });
    await waitForJob(t, rawId(created.id));
    const job = await getJob(c, created.id);
    expect(job.status).toBe('ERROR');
    expect(job.error).toEqual({ message: 'Timed out after 1 seconds', task: '#2 wait' });
    expect(job.logs.edges.map((e) => e.node.message)).toContain('timed out: Timed out after 1 seconds');
  });

  it('starts a delayed job no earlier than startAt', async () => {
    const workflow = await createWorkflow(c, { tasks: [{ kind: 'log', parameters: { message: 'late' } }] });
    const startAt = new Date(Date.now() + 1500);
    const created = await createJob(c, { workflow, startAt: startAt.toISOString() });
    expect(new Date(created.startAt).getTime()).toBe(startAt.getTime());
    const done = await waitForJob(t, rawId(created.id));
    expect(done.status).toBe('OK');
    expect(done.startedAt!.getTime()).toBeGreaterThanOrEqual(startAt.getTime());
  });

  it('never starts a job cancelled while QUEUED', async () => {
    const workflow = await createWorkflow(c, { tasks: [{ kind: 'log', parameters: { message: 'x' } }] });
    const created = await createJob(c, { workflow, startAt: new Date(Date.now() + 800).toISOString() });
    const cancelled = ok((await c.data(CancelJob, { id: created.id })).cancelJob);
    expect(cancelled.status).toBe('CANCELLED');
    // well past its start time: still cancelled, never started, and its queue entry is gone
    await new Promise((r) => setTimeout(r, 1500));
    const job = await getJob(c, created.id);
    expect(job).toMatchObject({ status: 'CANCELLED', startedAt: null, attempts: 0 });
    const queued = await t.server.db.$queryRaw<{ n: bigint }[]>`select count(*) as n from graphile_worker.jobs where key = ${rawId(created.id)}`;
    expect(Number(queued[0]!.n)).toBe(0);
    expect(await jobLogMessages(t, rawId(created.id))).toEqual(['Cancelled before it started']);
  });

  it('stops a RUNNING job at once during wait and ends it CANCELLED', async () => {
    const workflow = await createWorkflow(c, {
      tasks: [
        { kind: 'wait', parameters: { seconds: 600 } },
        { kind: 'log', parameters: { message: 'after' } },
      ],
    });
    const created = await createJob(c, { workflow });
    const id = rawId(created.id);
    await waitForJob(t, id, ['RUNNING']);
    // inside the wait
    while (!(await jobLogMessages(t, id)).includes('Task #1 wait')) await new Promise((r) => setTimeout(r, 20));
    const requested = ok((await c.data(CancelJob, { id: created.id })).cancelJob);
    expect(requested.cancelRequestedAt).not.toBeNull();
    const job = await waitForJob(t, id, ['OK', 'ERROR', 'CANCELLED'], 10_000);
    expect(job.status).toBe('CANCELLED');
    expect(job.progressDone).toBe(0);
    const messages = await jobLogMessages(t, id);
    expect(messages).not.toContain('after');
    expect(messages.slice(-2)).toEqual(['Cancel requested', 'Cancelled']);
  });

  it('lets an external runner end a job a worker is running; the worker then writes nothing', async () => {
    const workflow = await createWorkflow(c, {
      tasks: [
        { kind: 'wait', parameters: { seconds: 600 } },
        { kind: 'log', parameters: { message: 'after' } },
      ],
    });
    const created = await createJob(c, { workflow });
    const id = rawId(created.id);
    while (!(await jobLogMessages(t, id)).includes('Task #1 wait')) await new Promise((r) => setTimeout(r, 20));
    ok((await c.data(UpdateJob, { id: created.id, input: { status: 'ERROR', errorMessage: 'taken over' } })).updateJob);
    // the worker lets go at once (not after its 600 s wait): its queue entry completes
    for (;;) {
      const rows = await t.server.db.$queryRaw<{ n: bigint }[]>`select count(*) as n from graphile_worker.jobs where key = ${id}`;
      if (Number(rows[0]!.n) === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const job = await t.server.db.job.findUniqueOrThrow({ where: { id } });
    expect(job).toMatchObject({ status: 'ERROR', errorMessage: 'taken over', leaseToken: null });
    expect((await jobLogMessages(t, id)).slice(-1)).toEqual(['Status set to ERROR: taken over']);
  });

  it('refuses cancelling a finished job', async () => {
    const workflow = await createWorkflow(c, { tasks: [{ kind: 'log', parameters: { message: 'x' } }] });
    const created = await createJob(c, { workflow });
    await waitForJob(t, rawId(created.id));
    const error = userError((await c.data(CancelJob, { id: created.id })).cancelJob);
    expect(error.code).toBe('CONFLICT');
  });

  it('recovers a job whose worker stopped heartbeating: retried, or failed after maxAttempts, and logged', async () => {
    const { db } = t.server;
    const base = {
      workspaceId: tenant.workspaceId,
      kind: 'WORKFLOW',
      status: 'RUNNING' as const,
      leaseToken: crypto.randomUUID(),
      heartbeatAt: new Date(Date.now() - 60_000),
      startedAt: new Date(),
    };
    // a far-future queue entry is not needed: failed jobs are not rescheduled, retried ones get a fresh entry
    const lastTry = await db.job.create({ data: { ...base, attempts: 3, maxAttempts: 3 } });
    const retry = await db.job.create({ data: { ...base, attempts: 1, maxAttempts: 3, workflowId: null, startAt: new Date(Date.now() + 3600_000) } });
    // the server's own sweeper (every leaseMs/2) may take them first: whoever sweeps, the outcome is the same
    await sweepExpiredLeases({ db, events: t.server.events, log: t.server.log, config: t.server.config });
    const failed = await waitForJob(t, lastTry.id, ['ERROR']);
    expect(failed).toMatchObject({ status: 'ERROR', leaseToken: null });
    expect(failed.errorMessage).toMatch(/^Worker lost: attempt 3 of 3 stopped responding/);
    expect((await jobLogMessages(t, lastTry.id))[0]).toMatch(/^Lease expired: .*; giving up$/);
    const requeued = await waitForJob(t, retry.id, ['QUEUED']);
    expect(requeued).toMatchObject({ status: 'QUEUED', leaseToken: null, heartbeatAt: null });
    expect((await jobLogMessages(t, retry.id))[0]).toMatch(/; retrying \(attempt 2 of 3\)$/);
  });
});
