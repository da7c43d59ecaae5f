import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';
import { migrateDeploy } from '../../src/db/migrate.js';

export interface BenchContext {
  /** a fresh, migrated database for this suite */
  databaseUrl: string;
  /** log progress lines (seeding can take minutes) */
  log(line: string): void;
  close(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });

export async function createBenchDatabase(suite: string): Promise<BenchContext> {
  let adminUrl: string;
  let stop: (() => Promise<void>) | null = null;
  let dir: string | null = null;
  if (process.env.DATABASE_URL) {
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = '/postgres';
    adminUrl = u.toString();
  } else {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'formgraph-bench-pg-'));
    fs.chmodSync(dir, 0o755);
    const embedded = await startEmbeddedPostgres(path.join(dir, 'data'), await freePort(), { disposable: true });
    stop = embedded.stop;
    adminUrl = embedded.url.replace(/\/formgraph$/, '/postgres');
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
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
