import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startDisposablePostgres } from '../../src/db/embedded.js';
import { migrateDeploy } from '../../src/db/migrate.js';
import { migrateQueue } from '../../src/core/jobs/queue.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** a URL of the test server's maintenance database, with rights to create databases */
    adminUrl: string;
    /** a database with every migration applied; each test file clones it */
    templateDatabase: string;
    /** names of this run's test databases start with it, so teardown drops ours and no one else's */
    databasePrefix: string;
  }
}

export function withDatabase(url: string, database: string) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Real PostgreSQL for every test: DATABASE_URL's server when set, else an embedded one in a
 * temporary folder. Migrations run once, into a template database.
 */
export default async function setup(project: TestProject) {
  let adminUrl: string;
  let stopEmbedded: (() => Promise<void>) | null = null;
  if (process.env.DATABASE_URL) {
    adminUrl = withDatabase(process.env.DATABASE_URL, 'postgres');
  } else {
    const embedded = await startDisposablePostgres('test');
    stopEmbedded = embedded.stop;
    adminUrl = embedded.adminUrl;
  }
  // several runs may share one server (DATABASE_URL): everything this run makes carries its id
  const run = randomBytes(4).toString('hex');
  const templateDatabase = `fg_tpl_${run}`;
  const databasePrefix = `fg_t_${run}_`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${templateDatabase}`);
  await migrateDeploy(withDatabase(adminUrl, templateDatabase));
  // graphile-worker's schema too, so that clones need not create it
  await migrateQueue(withDatabase(adminUrl, templateDatabase));
  project.provide('adminUrl', adminUrl);
  project.provide('templateDatabase', templateDatabase);
  project.provide('databasePrefix', databasePrefix);

  return async () => {
    // not LIKE: `_` is a wildcard there, and 'fg_t_%' matched every other run's databases too
    const leftovers = await admin.query<{ datname: string }>(`select datname from pg_database where starts_with(datname, $1) or datname = $2`, [
      databasePrefix,
      templateDatabase,
    ]);
    for (const { datname } of leftovers.rows) await admin.query(`drop database if exists ${datname} with (force)`);
    await admin.end();
    await stopEmbedded?.();
  };
}
