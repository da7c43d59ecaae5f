import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import { ok } from '../../helpers/graphql-client.js';
import { jobLogMessages, runJobsUntilIdle, subscribeWs } from '../../helpers/jobs.js';
import { enqueueJob } from '../../../src/core/jobs/enqueue.js';
import type { JobRun } from '../../../src/core/jobs/job-run.js';
import { declareJobKind, handleJobKind, registerJobKinds } from '../../../src/core/jobs/registry.js';
import type { ServiceContext } from '../../../src/context.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { CancelJob, getJob } from './documents.js';

/** The contract other features use: their own job kinds with progress, logs and cancellation. */
let latch: { release(): void; wait: Promise<void> } = newLatch();
let current: JobRun | null = null;
function newLatch() {
  let release!: () => void;
  const wait = new Promise<void>((r) => (release = r));
  return { release, wait };
}

const TEST_CHUNKS = declareJobKind<{ chunks: number; failAt?: number }>('TEST_CHUNKS');
registerJobKinds([
  handleJobKind(TEST_CHUNKS, async (params, job) => {
    current = job;
    for (let i = 1; i <= params.chunks; i++) {
      job.throwIfCancelled();
      if (i === params.failAt) throw new Error(`chunk ${i} is broken`);
      await job.log('INFO', `chunk ${i}`, { i });
      await job.progress(i, params.chunks);
      if (i === 1) await latch.wait;
    }
  }),
]);

describe('background job kinds (declareJobKind / registerJobKinds / enqueueJob)', () => {
  let t: TestServer;
  let tenant: Tenant;
  let ctx: ServiceContext;
  beforeAll(async () => {
    t = await startTestServer();
    tenant = await createTenant(t.server.db);
    const { db, events, log, config } = t.server;
    ctx = {
      db,
      events,
      log,
      config,
      principal: { kind: 'API_KEY', workspaceId: tenant.workspaceId, userId: null, apiKeyId: null, oauthClientId: null, role: null, scopes: ['READ', 'WRITE'] },
    };
  });
  afterAll(() => t?.stop());

  it('runs a kind to OK with progress and logs, visible through GraphQL and subscriptions', async () => {
    latch = newLatch();
    latch.release();
    const { id } = await enqueueJob(ctx, { kind: TEST_CHUNKS, params: { chunks: 3 }, name: 'three chunks' });
    const sub = await subscribeWs(t.url, tenant.key, `subscription($id: ID!) { jobUpdated(id: $id) { status kind name progress { done total } } }`, {
      id: encodeGlobalID('Job', id),
    });
    await runJobsUntilIdle(t);
    await sub.completed;
    await sub.close();
    expect(sub.results.at(-1)!.data.jobUpdated).toEqual({ status: 'OK', kind: 'TEST_CHUNKS', name: 'three chunks', progress: { done: 3, total: 3 } });
    expect(await jobLogMessages(t, id)).toEqual(['Started', 'chunk 1', 'chunk 2', 'chunk 3', 'Finished']);
    expect(current!.workspaceId).toBe(tenant.workspaceId);
  });

  it('ends ERROR with the handler’s message', async () => {
    latch = newLatch();
    latch.release();
    const { id } = await enqueueJob(ctx, { kind: TEST_CHUNKS, params: { chunks: 3, failAt: 2 } });
    await runJobsUntilIdle(t);
    const job = await getJob(t.client.as(tenant.key), encodeGlobalID('Job', id));
    expect(job).toMatchObject({ status: 'ERROR', error: { message: 'chunk 2 is broken', task: null }, progress: { done: 1, total: 3 } });
  });

  it('cancels at the next throwIfCancelled', async () => {
    latch = newLatch();
    const { id } = await enqueueJob(ctx, { kind: TEST_CHUNKS, params: { chunks: 3 } });
    const running = runJobsUntilIdle(t);
    while (!(await jobLogMessages(t, id)).includes('chunk 1')) await new Promise((r) => setTimeout(r, 20));
    ok((await t.client.as(tenant.key).data(CancelJob, { id: encodeGlobalID('Job', id) })).cancelJob);
    // the cancel reaches the running job through the event bus
    while (!current!.signal.aborted) await new Promise((r) => setTimeout(r, 20));
    latch.release();
    await running;
    const row = await t.server.db.job.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe('CANCELLED');
    expect(await jobLogMessages(t, id)).toEqual(['Started', 'chunk 1', 'Cancel requested', 'Cancelled']);
  });

  it('creates the job in the caller’s transaction: a rollback leaves neither job nor queue entry', async () => {
    const before = await t.server.db.job.count();
    await expect(
      t.server.db.$transaction(async (tx) => {
        await enqueueJob(ctx, { kind: TEST_CHUNKS, params: { chunks: 1 } }, tx);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await t.server.db.job.count()).toBe(before);
    const queued = await t.server.db.$queryRaw<
      { n: bigint }[]
    >`select count(*) as n from graphile_worker.jobs where task_identifier = 'formgraph_job' and attempts = 0`;
    expect(Number(queued[0]!.n)).toBe(0);
    await expect(enqueueJob(ctx, { kind: declareJobKind('NOT_REGISTERED'), params: {} })).rejects.toThrow(/job kind NOT_REGISTERED has no handler/);
  });
});
