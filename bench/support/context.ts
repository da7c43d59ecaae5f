import pg from 'pg';
import { startDisposablePostgres } from '../../src/db/embedded.js';
import { migrateDeploy } from '../../src/db/migrate.js';

export interface BenchContext {
  /** a fresh, migrated database for this suite */
  databaseUrl: string;
  /** log progress lines (seeding can take minutes) */
  log(line: string): void;
  close(): Promise<void>;
}

export async function createBenchDatabase(suite: string): Promise<BenchContext> {
  let adminUrl: string;
  let stop: (() => Promise<void>) | null = null;
  if (process.env.DATABASE_URL) {
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = '/postgres';
    adminUrl = u.toString();
  } else {
    const embedded = await startDisposablePostgres('bench');
    stop = embedded.stop;
    adminUrl = embedded.adminUrl;
  }
  const name = `fg_bench_${suite.replace(/\W/g, '_')}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const databaseUrl = u.toString();
  await migrateDeploy(databaseUrl);
  return {
    databaseUrl,
    log: (line) => console.log(`  [${suite}] ${line}`),
    async close() {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
      await stop?.();
    },
  };
}
