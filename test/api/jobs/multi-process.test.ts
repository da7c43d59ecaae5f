import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../setup/database.js';
import { createDb } from '../../../src/db/prisma.js';
import { createTenant } from '../../helpers/fixtures.js';
import { GraphQLClient, ok } from '../../helpers/graphql-client.js';
import { distinctInOrder, rawId, spawnFormgraph, subscribeWs, type ChildProcessHandle } from '../../helpers/jobs.js';
import { createJob, createWorkflow, UpdateJob } from './documents.js';
import { Redis } from 'ioredis';
import { REDIS_CHANNEL } from '../../../src/events/redis-bus.js';

/**
 * Two server processes and one worker process on one database: a graphql-ws client on server A
 * sees every status change of a job created through server B and run by the worker, in order.
 */
function scenario(transport: string, extraEnv: Record<string, string>) {
  const children: ChildProcessHandle[] = [];
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    await Promise.all(children.map((c) => c.kill()));
    for (const f of cleanup.reverse()) await f();
  });

  it(`delivers every status change across processes (${transport})`, async () => {
    const database = await createTestDatabase();
    cleanup.push(() => database.drop());
    const db = createDb(database.url, 2);
    cleanup.push(() => db.$disconnect());
    const tenant = await createTenant(db);
    const env = { DATABASE_URL: database.url, ...extraEnv };
    const [a, b, worker] = await Promise.all([
      spawnFormgraph('server', env),
      spawnFormgraph('server', env),
      spawnFormgraph('worker', { ...env, WORKER_CONCURRENCY: '1' }),
    ]);
    children.push(a, b, worker);

    const viaB = new GraphQLClient(b.url!).as(tenant.key);
    const workflow = await createWorkflow(viaB, {
      tasks: [
        { kind: 'log', parameters: { message: 'one' } },
        { kind: 'wait', parameters: { seconds: 0.3 } },
        { kind: 'log', parameters: { message: 'two' } },
      ],
    });
    const job = await createJob(viaB, { workflow, startAt: new Date(Date.now() + 3600_000).toISOString() });

    const onA = await subscribeWs(a.url!, tenant.key, `subscription($id: ID!) { jobUpdated(id: $id) { status progress { done total } } }`, { id: job.id });
    const logsOnA = await subscribeWs(a.url!, tenant.key, `subscription($id: ID!) { jobLogAppended(jobId: $id) { message } }`, { id: job.id });
    const listOnA = await subscribeWs(a.url!, tenant.key, `subscription { jobsUpdated { id status } }`);
    await onA.until((r) => r.length >= 1);
    // start it now, through server B; only the worker process runs jobs
    ok((await viaB.data(UpdateJob, { id: job.id, input: { startAt: new Date().toISOString() } })).updateJob);
    await onA.completed;
    const states = onA.results.map((r) => r.data.jobUpdated as { status: string; progress: { done: number; total: number } });
    expect(distinctInOrder(states.map((s) => s.status))).toEqual(['QUEUED', 'RUNNING', 'OK']);
    expect(states.at(-1)!.progress).toEqual({ done: 3, total: 3 });
    await logsOnA.until((r) => r.some((x) => x.data?.jobLogAppended.message === 'Finished'));
    expect(logsOnA.results.map((r) => r.data.jobLogAppended.message)).toEqual([
      'Started',
      'Task #1 log',
      'one',
      'Task #2 wait',
      'Task #3 log',
      'two',
      'Finished',
    ]);
    await listOnA.until((r) => r.some((x) => x.data?.jobsUpdated.status === 'OK'));
    expect(distinctInOrder(listOnA.results.map((r) => r.data.jobsUpdated.status))).toEqual(['QUEUED', 'RUNNING', 'OK']);
    await Promise.all([onA.close(), logsOnA.close(), listOnA.close()]);
    if (extraEnv.REDIS_URL) {
      // the three processes really listen on Redis
      const redis = new Redis(extraEnv.REDIS_URL);
      const [, listeners] = (await redis.pubsub('NUMSUB', REDIS_CHANNEL)) as [string, number];
      await redis.quit();
      expect(listeners).toBeGreaterThanOrEqual(3);
    }
    // the worker process ran it, not a server
    const id = rawId(job.id);
    expect(worker.output()).toMatch(new RegExp(`"jobId":"${id}".*"job finished"`));
    expect(a.output() + b.output()).not.toContain('job finished');
  }, 120_000); // spawns real processes: slow to start on a busy machine
}

describe('multi-process: PostgreSQL LISTEN/NOTIFY', () => {
  scenario('postgres', {});
});

describe.runIf(Boolean(process.env.REDIS_URL))('multi-process: Redis', () => {
  scenario('redis', { REDIS_URL: process.env.REDIS_URL ?? '' });
});
