import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import { ok, type GraphQLClient } from '../../helpers/graphql-client.js';
import { distinctInOrder, subscribeWs } from '../../helpers/jobs.js';
import { CancelJob, createJob, createWorkflow, UpdateJob } from './documents.js';

const JOB_UPDATED = `subscription($id: ID!) { jobUpdated(id: $id) { id status progress { done total } workflow { name } } }`;
const LOGS = `subscription($id: ID!) { jobLogAppended(jobId: $id) { sequence level message } }`;
const LIST = `subscription($workflow: ID, $status: [JobStatus!]) { jobsUpdated(workflow: $workflow, status: $status) { id status } }`;

describe('job subscriptions (graphql-ws and SSE, one server with its own workers)', () => {
  let t: TestServer;
  let tenant: Tenant;
  let other: Tenant;
  let c: GraphQLClient;
  const later = () => new Date(Date.now() + 3600_000).toISOString();
  beforeAll(async () => {
    t = await startTestServer({ WORKER_CONCURRENCY: '2', WORKER_POLL_INTERVAL_MS: '100' });
    tenant = await createTenant(t.server.db);
    other = await createTenant(t.server.db);
    c = t.client.as(tenant.key);
  });
  afterAll(() => t?.stop());

  it('jobUpdated sends the current state at once, then every change in order, and completes when finished', async () => {
    const workflow = await createWorkflow(c, {
      name: 'live',
      tasks: [
        { kind: 'wait', parameters: { seconds: 0.3 } },
        { kind: 'log', parameters: { message: 'done' } },
      ],
    });
    const job = await createJob(c, { workflow, startAt: later() });
    const sub = await subscribeWs(t.url, tenant.key, JOB_UPDATED, { id: job.id });
    await sub.until((r) => r.length >= 1);
    expect(sub.results[0]!.data.jobUpdated).toEqual({ id: job.id, status: 'QUEUED', progress: { done: 0, total: 2 }, workflow: { name: 'live' } });
    // start it now
    ok((await c.data(UpdateJob, { id: job.id, input: { startAt: new Date().toISOString() } })).updateJob);
    await sub.completed;
    const states = sub.results.map((r) => r.data.jobUpdated as { status: string; progress: { done: number } });
    expect(distinctInOrder(states.map((s) => s.status))).toEqual(['QUEUED', 'RUNNING', 'OK']);
    expect(states.at(-1)!.progress.done).toBe(2);
    // progress never goes back
    const done = states.map((s) => s.progress.done).filter((_, i) => states[i]!.status !== 'QUEUED');
    expect(done).toEqual([...done].sort((a, b) => a - b));
    await sub.close();
  });

  it('jobLogAppended streams new lines in order', async () => {
    const workflow = await createWorkflow(c, {
      tasks: [
        { kind: 'log', parameters: { message: 'one' } },
        { kind: 'log', parameters: { level: 'WARN', message: 'two' } },
      ],
    });
    const job = await createJob(c, { workflow, startAt: later() });
    ok((await c.data(UpdateJob, { id: job.id, input: { log: { level: 'INFO', message: 'before subscribing' } } })).updateJob);
    const sub = await subscribeWs(t.url, tenant.key, LOGS, { id: job.id });
    ok((await c.data(UpdateJob, { id: job.id, input: { startAt: new Date().toISOString() } })).updateJob);
    await sub.until((r) => r.some((x) => x.data?.jobLogAppended.message === 'Finished'));
    const lines = sub.results.map((r) => r.data.jobLogAppended as { sequence: string; level: string; message: string });
    expect(lines.map((l) => l.message)).toEqual(['Started', 'Task #1 log', 'one', 'Task #2 log', 'two', 'Finished']);
    expect(lines[4]!.level).toBe('WARN');
    const seq = lines.map((l) => BigInt(l.sequence));
    expect(seq).toEqual([...seq].sort((a, b) => (a < b ? -1 : 1)));
    await sub.close();
  });

  it('jobsUpdated follows the workspace’s jobs, filtered by workflow and status', async () => {
    const wfA = await createWorkflow(c, { tasks: [{ kind: 'log', parameters: { message: 'a' } }] });
    const wfB = await createWorkflow(c, { tasks: [{ kind: 'log', parameters: { message: 'b' } }] });
    const all = await subscribeWs(t.url, tenant.key, LIST, { workflow: wfA });
    const finished = await subscribeWs(t.url, tenant.key, LIST, { status: ['OK'] });
    const outsider = await subscribeWs(t.url, other.key, LIST, {});
    const a = await createJob(c, { workflow: wfA });
    const b = await createJob(c, { workflow: wfB });
    await all.until((r) => r.some((x) => x.data?.jobsUpdated.status === 'OK'));
    await finished.until((r) => new Set(r.map((x) => x.data?.jobsUpdated.id)).size === 2);
    expect(new Set(all.results.map((r) => r.data.jobsUpdated.id))).toEqual(new Set([a.id]));
    expect(distinctInOrder(all.results.map((r) => r.data.jobsUpdated.status)).at(-1)).toBe('OK');
    expect(finished.results.every((r) => r.data.jobsUpdated.status === 'OK')).toBe(true);
    expect(new Set(finished.results.map((r) => r.data.jobsUpdated.id))).toEqual(new Set([a.id, b.id]));
    expect(outsider.results).toEqual([]);
    await Promise.all([all.close(), finished.close(), outsider.close()]);
  });

  it('answers another workspace’s job as not found, like a query', async () => {
    const workflow = await createWorkflow(c, { tasks: [{ kind: 'log', parameters: { message: 'x' } }] });
    const job = await createJob(c, { workflow, startAt: later() });
    for (const query of [JOB_UPDATED, LOGS]) {
      const sub = await subscribeWs(t.url, other.key, query, { id: job.id });
      await sub.until((r) => r.length > 0);
      expect(sub.results[0]!.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      await sub.close();
    }
  });

  it('works over SSE too, and sees a cancel', async () => {
    const workflow = await createWorkflow(c, { tasks: [{ kind: 'log', parameters: { message: 'x' } }] });
    const job = await createJob(c, { workflow, startAt: later() });
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${tenant.key}` },
      body: JSON.stringify({ query: `subscription($id: ID!) { jobUpdated(id: $id) { status } }`, variables: { id: job.id } }),
    });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const read = async (until: (s: string) => boolean) => {
      while (!until(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    };
    await read((s) => s.includes('QUEUED'));
    ok((await c.data(CancelJob, { id: job.id })).cancelJob);
    await read((s) => s.includes('CANCELLED'));
    const statuses = [...text.matchAll(/"status":"(\w+)"/g)].map((m) => m[1]);
    expect(statuses).toEqual(['QUEUED', 'CANCELLED']);
    await reader.cancel();
  });
});
