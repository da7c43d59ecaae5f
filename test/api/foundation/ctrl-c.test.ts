import { execSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../../src/db/prisma.js';
import { startEmbeddedPostgres } from '../../../src/db/embedded.js';
import { freePort } from '../../../src/net/free-port.js';
import { apiKeyFor, createTenant } from '../../helpers/fixtures.js';

const root = path.resolve(import.meta.dirname, '../../..');

/** Processes whose command line mentions `needle` (postgres runs as `postgres -D <dir> ...`). */
function processesMentioning(needle: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(needle) && !cmdline.includes('vitest')) found.push(`${pid}: ${cmdline}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

interface Started {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * What `npm start` runs, in a process group of its own as a terminal runs it: Ctrl-C signals the
 * whole group. (npm itself is left out: it re-raises SIGINT on itself whatever its child does.)
 */
function npmStart(env: NodeJS.ProcessEnv): Started {
  const { scripts } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string; prestart?: string } };
  const PATH = `${path.join(root, 'node_modules/.bin')}:${env.PATH}`;
  if (scripts.prestart) execSync(scripts.prestart, { cwd: root, env: { ...env, PATH }, stdio: 'ignore' });
  // leading `NAME=value` words are environment assignments, as a shell reads them
  const words = scripts.start.split(' ');
  const assigned: Record<string, string> = {};
  while (/^[A-Z_][A-Z0-9_]*=/.test(words[0]!)) {
    const [name, ...value] = words.shift()!.split('=');
    assigned[name!] = value.join('=');
  }
  const [command, ...args] = words;
  const child = spawn(command!, args, { cwd: root, env: { ...env, ...assigned, PATH }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  let rest = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop()!;
    stdout.push(...parts.filter((p) => p.trim()));
  });
  child.stderr!.on('data', (chunk: Buffer) =>
    stderr.push(
      ...chunk
        .toString()
        .split('\n')
        .filter((l) => l.trim()),
    ),
  );
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, stdout, stderr, exit };
}

const messages = (s: Started) => s.stdout.flatMap((l) => (l.startsWith('{') ? [JSON.parse(l) as { msg: string; level: number }] : []));

async function waitForMessage(s: Started, msg: string, timeoutMs: number) {
  const started = Date.now();
  let exited = false;
  void s.exit.then(() => (exited = true));
  while (!messages(s).some((m) => m.msg === msg)) {
    if (exited || Date.now() - started > timeoutMs) throw new Error(`no "${msg}" log line; output:\n${[...s.stdout, ...s.stderr].slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - started;
}

describe('npm start and Ctrl-C on the embedded database', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let base: string;
  let pgPort: number;
  let port: number;
  const started: Started[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'formgraph-ctrl-c-'));
    fs.chmodSync(dir, 0o755); // as root, the embedded PostgreSQL runs as the postgres user
    [pgPort, port] = await Promise.all([freePort(), freePort()]);
    env = {
      ...process.env,
      FORMGRAPH_DATA_DIR: dir,
      EMBEDDED_PG_PORT: String(pgPort),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      WORKER_CONCURRENCY: '1',
    };
    delete env.DATABASE_URL;
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    for (const s of started) if (s.child.exitCode === null && s.child.signalCode === null) process.kill(-s.child.pid!, 'SIGKILL');
    for (const p of processesMentioning(dir)) process.kill(Number(p.split(':')[0]), 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports a taken PORT in one line, before the database starts', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const s = npmStart(env);
      started.push(s);
      const { code } = await s.exit;
      expect(code).toBe(1);
      expect(s.stderr).toEqual([`formgraph: could not start: port ${port} on 127.0.0.1 is taken: stop what uses it or set PORT to a free port`]);
      expect(messages(s).map((m) => m.msg)).not.toContain('starting embedded PostgreSQL');
      expect(fs.existsSync(path.join(dir, 'postgres'))).toBe(false);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  }, 60_000);

  let jobId: string;
  it('on Ctrl-C to the process group hands the running job back, stops PostgreSQL last and exits 0', async () => {
    const s = npmStart(env);
    started.push(s);
    await waitForMessage(s, 'formgraph is ready', 150_000);

    const db = createDb(`postgresql://postgres:postgres@127.0.0.1:${pgPort}/formgraph`, 2);
    const tenant = await createTenant(db, ['READ', 'WRITE']);
    const key = await apiKeyFor(db, tenant.workspaceId, ['READ', 'WRITE', 'MANAGE']);
    const gql = async (query: string, variables: object = {}) => {
      const r = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify({ query, variables }),
      });
      return ((await r.json()) as { data: Record<string, { data: { id: string } }> }).data;
    };
    const wf = await gql(
      `mutation { createWorkflow(input: { name: "Slow", tasks: [{ kind: "wait", parameters: { seconds: 600 } }] }) { ... on MutationCreateWorkflowSuccess { data { id } } } }`,
    );
    const job = await gql(`mutation($w: ID!) { createJob(input: { workflow: $w }) { ... on MutationCreateJobSuccess { data { id } } } }`, {
      w: wf.createWorkflow!.data.id,
    });
    jobId = Buffer.from(job.createJob!.data.id, 'base64').toString().split(':')[1]!;
    for (let i = 0; (await db.job.findUniqueOrThrow({ where: { id: jobId } })).status !== 'RUNNING'; i++) {
      if (i > 600) throw new Error('the job never started');
      await new Promise((r) => setTimeout(r, 50));
    }
    await db.$disconnect();

    process.kill(-s.child.pid!, 'SIGINT');
    expect(await s.exit).toEqual({ code: 0, signal: null });
    expect(s.stderr).toEqual([]);
    expect(messages(s).filter((m) => m.level >= 50)).toEqual([]);
    expect(messages(s).map((m) => m.msg)).toContain('stopped');
    expect(processesMentioning(dir)).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'postgres', 'postmaster.pid'))).toBe(false);

    // the job waits in the queue for the next start, instead of RUNNING until its lease expires
    const pg = await startEmbeddedPostgres(path.join(dir, 'postgres'), pgPort);
    try {
      const after = createDb(pg.url, 1);
      const row = await after.job.findUniqueOrThrow({ where: { id: jobId } });
      await after.$disconnect();
      expect(row.status).toBe('QUEUED');
    } finally {
      await pg.stop();
    }
  }, 240_000);

  it("starts again without running Prisma's migration CLI when nothing is pending", async () => {
    const s = npmStart({ ...env, WORKER_CONCURRENCY: '0' });
    started.push(s);
    const ms = await waitForMessage(s, 'formgraph is ready', 150_000);
    console.log(`second start: ready after ${ms} ms (npm start to "formgraph is ready")`);
    expect(messages(s).map((m) => m.msg)).toContain('no pending migrations');
    expect((await fetch(`${base}/`, { redirect: 'manual' })).headers.get('location')).toBe('/graphql');
    process.kill(-s.child.pid!, 'SIGINT');
    expect(await s.exit).toEqual({ code: 0, signal: null });
    expect(processesMentioning(dir)).toEqual([]);
  }, 240_000);
});
