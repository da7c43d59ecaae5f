import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import { jobLogMessages, rawId, spawnFormgraph, waitForJob, type ChildProcessHandle } from '../../helpers/jobs.js';
import { createJob, createWorkflow } from './documents.js';
import { createForm, entries } from '../forms/helpers.js';

/** A worker killed with SIGKILL mid-job: after the lease expires another worker retries the job. */
describe('worker crash', () => {
  let t: TestServer;
  let tenant: Tenant;
  const children: ChildProcessHandle[] = [];
  const env = () => ({ DATABASE_URL: t.databaseUrl, JOB_LEASE_MS: '1000', WORKER_CONCURRENCY: '1', WORKER_POLL_INTERVAL_MS: '200' });
  beforeAll(async () => {
    t = await startTestServer();
    tenant = await createTenant(t.server.db);
  });
  // a worker left from one test would take the next test's job
  afterEach(() => Promise.all(children.splice(0).map((c) => c.kill('SIGKILL'))));
  afterAll(() => t?.stop());

  it('does not leave the job RUNNING: the lease expires, the log says so, another worker finishes it', async () => {
    const c = t.client.as(tenant.key);
    const workflow = await createWorkflow(c, {
      tasks: [
        { kind: 'log', parameters: { message: 'begin' } },
        { kind: 'wait', parameters: { seconds: 2 } },
        { kind: 'log', parameters: { message: 'end' } },
      ],
    });
    const first = await spawnFormgraph('worker', env());
    children.push(first);
    const job = await createJob(c, { workflow });
    const id = rawId(job.id);
    // mid-job: inside the wait
    const started = Date.now();
    while (!(await jobLogMessages(t, id)).includes('Task #2 wait')) {
      if (Date.now() - started > 20_000) expect.fail(`job never reached its wait: ${first.output()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    await first.kill('SIGKILL');
    expect(first.child.signalCode).toBe('SIGKILL');
    const orphan = await t.server.db.job.findUniqueOrThrow({ where: { id } });
    expect(orphan).toMatchObject({ status: 'RUNNING', attempts: 1 });

    const second = await spawnFormgraph('worker', env());
    children.push(second);
    const done = await waitForJob(t, id, ['OK', 'ERROR', 'CANCELLED'], 30_000);
    expect(done.status).toBe('OK');
    expect(done.attempts).toBe(2);
    const messages = await jobLogMessages(t, id);
    const recovery = messages.find((m) => m.startsWith('Lease expired'));
    expect(recovery).toMatch(
      /^Lease expired: the worker running attempt 1 stopped responding \(no heartbeat since .* \(lease 1000 ms\)\); retrying \(attempt 2 of 3\)$/,
    );
    // the second attempt skipped the task the first one finished, and ran the interrupted one again
    const after = messages.slice(messages.indexOf(recovery!));
    expect(after).toEqual([
      recovery,
      'Started (attempt 2 of 3)',
      'Resuming after task #1: an earlier attempt finished it',
      'Task #2 wait',
      'Task #3 log',
      'end',
      'Finished',
    ]);
    expect(messages.filter((m) => m === 'begin')).toHaveLength(1);
    expect(messages.filter((m) => m === 'end')).toHaveLength(1);
  }, 120_000); // spawns real processes: slow to start on a busy machine

  it('never repeats a finished task: createEntry, wait, createEntry killed in the wait leaves exactly two entries', async () => {
    const c = t.client.as(tenant.key);
    const form = await createForm(c, { name: 'Crash-safe', fields: [{ key: 'name', label: 'Name', type: 'TEXT' }] });
    const workflow = await createWorkflow(c, {
      tasks: [
        { kind: 'createEntry', parameters: { form: form.id, values: { name: 'first' } } },
        { kind: 'wait', parameters: { seconds: 2 } },
        { kind: 'createEntry', parameters: { form: form.id, values: { name: 'second' } } },
      ],
    });
    const first = await spawnFormgraph('worker', env());
    children.push(first);
    const job = await createJob(c, { workflow });
    const id = rawId(job.id);
    const started = Date.now();
    while (!(await jobLogMessages(t, id)).includes('Task #2 wait')) {
      if (Date.now() - started > 20_000) expect.fail(`job never reached its wait: ${first.output()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    await first.kill('SIGKILL');
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(await t.server.db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'RUNNING', attempts: 1, finishedSteps: [0] });
    expect((await entries(c, form.id)).edges.map((e) => e.node.values.name)).toEqual(['first']);

    const second = await spawnFormgraph('worker', env());
    children.push(second);
    const done = await waitForJob(t, id, ['OK', 'ERROR', 'CANCELLED'], 30_000);
    expect(done).toMatchObject({ status: 'OK', attempts: 2 });
    expect((await entries(c, form.id, { orderBy: [{ field: 'name', direction: 'ASC' }] })).edges.map((e) => e.node.values.name)).toEqual(['first', 'second']);
    const messages = await jobLogMessages(t, id);
    expect(messages.filter((m) => m.startsWith('Created entry'))).toEqual(['Created entry #1', 'Created entry #2']);
    expect(messages.filter((m) => m === 'Task #1 createEntry')).toHaveLength(1);
  }, 120_000);
});
