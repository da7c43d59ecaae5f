import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import pg_ from 'pg';
import { freePort } from '../net/free-port.js';
import { StartError } from '../net/assert-port-free.js';
import { cacheRoot, postgresBinaries } from './postgres-binaries.js';
import { reachableDataDir } from './postgres-data-dir.js';
import { initCluster, type OsUser, postgresOwner, startPostgres, stopPostgres } from './postgres-process.js';

export interface EmbeddedDatabase {
  url: string;
  /** another process (a running server) already ran this cluster; we only connected to it */
  attached: boolean;
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
  const recent: string[] = [];
  const log = (chunk: string) => {
    for (const line of chunk.split('\n')) if (line.trim()) recent.push(line.trim());
    recent.splice(0, Math.max(0, recent.length - 20));
    options.log?.(chunk);
  };
  // fsync off only for throw-away clusters (tests, benchmarks): a crash there loses nothing of value
  const speed = options.disposable ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : [];
  const owner = postgresOwner();
  const binaries = reachableBinaries(owner);
  const databaseDir = reachableDataDir(path.resolve(dir), owner);
  let attached = false;
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    await initCluster(path.join(binaries, 'bin'), databaseDir, 'postgres', owner, log);
  } else {
    const running = runningPostmaster(databaseDir);
    if (running) {
      // another formgraph process (a server, while this is the CLI) already runs this cluster: use it
      port = running.port;
      attached = true;
    }
  }
  let child: ChildProcess | undefined;
  if (!attached) {
    child = await startPostgres(path.join(binaries, 'bin'), databaseDir, port, ['-c', 'max_connections=300', ...speed], owner, log).catch((error: unknown) => {
      const line = recent.filter((l) => /FATAL|ERROR|could not/i.test(l)).pop();
      // "2026-11-23 21:29:31.438 UTC [29153] FATAL:  could not ..." -> "FATAL:  could not ..."
      const reason = line?.replace(/^.*?\]\s*/, '') ?? (error instanceof Error ? error.message : 'it exited');
      const hint = recent.some((l) => /Address already in use|could not create any TCP\/IP sockets/.test(l))
        ? ` (port ${port} is taken: set EMBEDDED_PG_PORT to a free port)`
        : '';
      throw new Error(`embedded PostgreSQL did not start on port ${port} with data in ${databaseDir}: ${reason}${hint}`);
    });
  }
  const url = (database: string) => `postgresql://postgres:postgres@127.0.0.1:${port}/${database}`;
  try {
    await createDatabase(url('postgres'), 'formgraph');
  } catch (error) {
    if (child) await stopPostgres(child);
    throw error;
  }
  if (!child) return { url: url('formgraph'), attached, stop: async () => {} };
  const postgres = child;
  // last resort if this process exits without stop(): a fast shutdown, sent synchronously
  const guard = () => void postgres.kill('SIGINT');
  process.once('exit', guard);
  return {
    url: url('formgraph'),
    attached,
    async stop() {
      process.removeListener('exit', guard);
      await stopPostgres(postgres);
    },
  };
}

async function createDatabase(adminUrl: string, name: string) {
  const client = new pg_.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

function reachableBinaries(owner: OsUser | null): string {
  try {
    return postgresBinaries(owner);
  } catch (error) {
    throw new StartError(
      `the embedded PostgreSQL runs as the user postgres, which cannot reach its binaries in node_modules, and copying them to ${cacheRoot()} failed ` +
        `(${error instanceof Error ? error.message : String(error)}): move the project to a folder other users can enter, or set DATABASE_URL`,
    );
  }
}

/**
 * Reads postmaster.pid: a live postmaster gives its port; a file left by a killed server blocks
 * the next start, so it is removed when its process is gone.
 */
function runningPostmaster(databaseDir: string): { pid: number; port: number } | null {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return null;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  try {
    process.kill(pid, 0);
    return Number.isInteger(port) && port > 0 ? { pid, port } : null;
  } catch {
    fs.rmSync(pidFile);
    return null;
  }
}

/**
 * A throw-away cluster for tests, benchmarks and tools: a temporary folder, a free port, fsync
 * off; `stop()` also removes the folder.
 */
export async function startDisposablePostgres(name: string): Promise<{ url: string; adminUrl: string; stop(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `formgraph-${name}-pg-`));
  fs.chmodSync(dir, 0o755); // as root, the cluster runs as the postgres user, which must enter it
  try {
    const embedded = await startEmbeddedPostgres(path.join(dir, 'data'), await freePort(), { disposable: true });
    return {
      url: embedded.url,
      adminUrl: embedded.url.replace(/\/formgraph$/, '/postgres'),
      async stop() {
        await embedded.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
