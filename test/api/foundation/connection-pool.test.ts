/**
 * One pg pool per process: Prisma's driver adapter and the raw SQL runner share it, and stopping
 * the server ends it, so no connection of the server outlives it.
 */
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { startServer } from '../../../src/server.js';
import { poolOf } from '../../../src/db/prisma.js';
import { PgRunner, runnerFor } from '../../../src/db/sql-runner.js';
import { APPLICATION_NAME } from '../../../src/db/pool.js';
import { createTestDatabase } from '../../setup/database.js';
import { createTenant } from '../../helpers/fixtures.js';
import { GraphQLClient } from '../../helpers/graphql-client.js';

const database = await createTestDatabase();
const observer = new pg.Client({ connectionString: database.url, application_name: 'connection-pool-test' });
await observer.connect();
afterAll(async () => {
  await observer.end();
  await database.drop();
});

/** Connections to the test database that name themselves as the server does. */
async function serverConnections(): Promise<number> {
  const r = await observer.query<{ n: number }>(
    'select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = $1',
    [APPLICATION_NAME],
  );
  return r.rows[0]!.n;
}

it('runs Prisma and raw SQL on one pool, and ends it on stop', async () => {
  const server = await startServer(
    loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, LOG_LEVEL: 'silent', MIGRATE_ON_START: 'false', WORKER_CONCURRENCY: '0' }),
  );
  const pool = poolOf(server.db)!;
  expect(pool).toBeInstanceOf(pg.Pool);
  const runner = runnerFor({ db: server.db });
  expect(runner).toBeInstanceOf(PgRunner);
  expect((runner as PgRunner).pool).toBe(pool);

  // Prisma (the workspace and key), then raw SQL (the credential check) and Prisma again (the viewer)
  const tenant = await createTenant(server.db);
  const viewer = await new GraphQLClient(server.app.url)
    .as(tenant.key)
    .data<{ viewer: { workspace: { id: string } } }, Record<string, never>>('{ viewer { workspace { id } } }');
  expect(viewer.viewer.workspace.id).toBeTruthy();
  expect(pool.totalCount).toBeGreaterThan(0);
  // every connection the server holds is one of that pool's
  expect(await serverConnections()).toBe(pool.totalCount);

  await server.stop();
  expect(pool.ended).toBe(true);
  // a backend leaves pg_stat_activity once it has processed the client's Terminate message
  const deadline = Date.now() + 5_000;
  while ((await serverConnections()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(await serverConnections()).toBe(0);
});
