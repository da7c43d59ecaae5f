import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { startServer } from '../../../src/server.js';
import { createDb } from '../../../src/db/prisma.js';
import { createTestDatabase } from '../../setup/database.js';
import { createTenant } from '../../helpers/fixtures.js';
import { GraphQLClient } from '../../helpers/graphql-client.js';
import { rawId } from '../../helpers/jobs.js';
import { createJob, createWorkflow } from './documents.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
});

it('a stopping server puts its running jobs back in the queue without spending an attempt', async () => {
  const database = await createTestDatabase();
  cleanup.push(() => database.drop());
  const db = createDb(database.url, 2);
  cleanup.push(() => db.$disconnect());
  const server = await startServer(
    loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, LOG_LEVEL: 'silent', MIGRATE_ON_START: 'false', WORKER_CONCURRENCY: '1' }),
  );
  const tenant = await createTenant(db);
  const c = new GraphQLClient(server.app.url).as(tenant.key);
  const workflow = await createWorkflow(c, { tasks: [{ kind: 'wait', parameters: { seconds: 600 } }] });
  const job = await createJob(c, { workflow });
  const id = rawId(job.id);
  while ((await db.jobLog.count({ where: { jobId: id, message: 'Task #1 wait' } })) === 0) await new Promise((r) => setTimeout(r, 20));
  await server.stop();
  const row = await db.job.findUniqueOrThrow({ where: { id } });
  expect(row).toMatchObject({ status: 'QUEUED', attempts: 0, leaseToken: null });
  const lines = await db.jobLog.findMany({ where: { jobId: id }, orderBy: { id: 'asc' } });
  expect(lines.at(-1)!.message).toBe('Worker stopped; the job was put back in the queue');
  const queued = await db.$queryRaw<{ n: bigint }[]>`select count(*) as n from graphile_worker.jobs where key = ${id} and locked_at is null`;
  expect(Number(queued[0]!.n)).toBe(1);
});
