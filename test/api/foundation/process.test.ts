import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { freePort } from '../../../src/net/free-port.js';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const run = promisify(execFile);

/** Processes whose command line mentions `needle` (postgres runs as `postgres -D <dir> ...`). */
function processesMentioning(needle: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(needle)) found.push(`${pid}: ${cmdline}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

interface Line {
  msg?: string;
  [k: string]: unknown;
}

/**
 * The real thing: `tsx src/main.ts` (what `npm start` runs) on an embedded PostgreSQL in a temp
 * folder, the operator CLI beside it, then SIGTERM with a request in flight.
 */
describe('formgraph process on the embedded database', () => {
  let dir: string;
  let child: ChildProcess;
  let env: NodeJS.ProcessEnv;
  let base: string;
  const lines: Line[] = [];
  const exited = { code: null as number | null, signal: null as NodeJS.Signals | null, done: false };
  let exitPromise: Promise<void>;
  let cliWorkspace: { id: string };

  const waitForLine = (predicate: (l: Line) => boolean, timeoutMs: number) =>
    new Promise<Line>((resolve, reject) => {
      const started = Date.now();
      const tick = () => {
        const found = lines.find(predicate);
        if (found) return resolve(found);
        if (exited.done) return reject(new Error(`server exited (${exited.code}) before the expected log line:\n${JSON.stringify(lines.slice(-10), null, 1)}`));
        if (Date.now() - started > timeoutMs)
          return reject(new Error(`timed out waiting for a log line; last lines:\n${JSON.stringify(lines.slice(-10), null, 1)}`));
        setTimeout(tick, 50);
      };
      tick();
    });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'formgraph-process-'));
    fs.chmodSync(dir, 0o755); // as root, the embedded PostgreSQL runs as the postgres user
    const [pgPort, port] = await Promise.all([freePort(), freePort()]);
    env = { ...process.env, FORMGRAPH_DATA_DIR: dir, EMBEDDED_PG_PORT: String(pgPort), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' };
    delete env.DATABASE_URL;
    base = `http://127.0.0.1:${port}`;
    // a fresh clone may run the CLI before the server ever started: it initialises and migrates
    // the embedded database itself, and stops it again when done
    const first = await run(tsx, ['src/cli.ts', 'create-workspace', '--name', 'Before the server', '--json'], { cwd: root, env });
    cliWorkspace = JSON.parse(first.stdout) as { id: string };
    expect(processesMentioning(dir)).toEqual([]);
    child = spawn(tsx, ['src/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as Line);
    });
    child.stderr!.on('data', (chunk: Buffer) => lines.push({ msg: 'stderr', text: chunk.toString() }));
    exitPromise = new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        Object.assign(exited, { code, signal, done: true });
        resolve();
      }),
    );
    await waitForLine((l) => l.msg === 'formgraph is ready', 120_000);
  }, 150_000);

  afterAll(async () => {
    if (!exited.done) {
      child.kill('SIGKILL');
      await exitPromise;
    }
    for (const p of processesMentioning(dir)) process.kill(Number(p.split(':')[0]), 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs on the embedded database in FORMGRAPH_DATA_DIR the CLI initialised, with migrations applied', async () => {
    expect(fs.existsSync(path.join(dir, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(lines.some((l) => l.msg === 'starting embedded PostgreSQL')).toBe(true);
    // the CLI applied them when it initialised the cluster: the server finds none pending
    expect(lines.some((l) => l.msg === 'no pending migrations')).toBe(true);
    expect(processesMentioning(dir).length).toBeGreaterThan(0);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const r = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await r.json()).toEqual({ data: { __typename: 'Query' } });
  });

  let key: string;
  it("lets the operator CLI create a workspace and an API key in the running server's database", async () => {
    const cli = (...args: string[]) => run(tsx, ['src/cli.ts', ...args], { cwd: root, env: { ...env, LOG_LEVEL: '' } });
    // --workspace takes the global id as well as the UUID
    const globalId = Buffer.from(`Workspace:${cliWorkspace.id}`).toString('base64');
    const created = JSON.parse((await cli('create-api-key', '--workspace', globalId, '--name', 'ops', '--scopes', 'READ,MANAGE', '--json')).stdout) as {
      secret: string;
    };
    key = created.secret;
    expect(key).toMatch(/^fgk_/);
    const listed = JSON.parse((await cli('list-workspaces', '--json')).stdout) as { id: string; apiKeys: number }[];
    expect(listed).toEqual([expect.objectContaining({ id: cliWorkspace.id, name: 'Before the server', apiKeys: 1 })]);
    // refused input: exit code 1 and one clear line, nothing printed on stdout
    const refused = await cli('create-api-key', '--workspace', '00000000-0000-4000-8000-000000000000', '--name', 'x', '--scopes', 'READ').then(
      () => null,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused!.stderr.trim()).toBe('formgraph: workspace 00000000-0000-4000-8000-000000000000 not found');
    const usage = await cli('create-api-key', '--workspace', cliWorkspace.id, '--name', 'x', '--scopes', 'READ,SUDO').then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(usage?.code).toBe(2);
    expect(usage?.stderr).toContain('unknown scope SUDO');
    // the server sees the key at once
    const r = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ query: '{ viewer { kind workspace { name } } }' }),
    });
    expect(await r.json()).toEqual({ data: { viewer: { kind: 'API_KEY', workspace: { name: 'Before the server' } } } });
    // the CLI attached to the server's PostgreSQL and left it running
    expect(processesMentioning(dir).length).toBeGreaterThan(0);
  }, 90_000);

  it('on SIGTERM finishes the request in flight, stops accepting, exits 0 and leaves no postgres behind', async () => {
    const body = JSON.stringify({ query: '{ viewer { kind scopes } }' });
    const half = Math.floor(body.length / 2);
    let finishRequest: () => void = () => {};
    // a request whose body is only half sent: the server is busy with it when the signal comes
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(
        `${base}/graphql`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-api-key': key } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        },
      );
      request.on('error', reject);
      request.write(body.slice(0, half));
      finishRequest = () => request.end(body.slice(half));
    });
    await new Promise((r) => setTimeout(r, 100));

    child.kill('SIGTERM');
    await waitForLine((l) => l.msg === 'shutting down: finishing in-flight requests', 10_000);
    // new connections are refused while the old one is being served
    let refused = false;
    for (let i = 0; i < 50 && !refused; i++) {
      refused = await fetch(`${base}/healthz`).then(
        () => false,
        () => true,
      );
      if (!refused) await new Promise((r) => setTimeout(r, 50));
    }
    expect(refused).toBe(true);
    expect(exited.done).toBe(false);

    finishRequest();
    const answered = await response;
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.body)).toEqual({ data: { viewer: { kind: 'API_KEY', scopes: ['READ', 'MANAGE'] } } });

    await exitPromise;
    expect(exited).toMatchObject({ code: 0, signal: null });
    expect(lines.some((l) => l.msg === 'stopped')).toBe(true);
    expect(processesMentioning(dir)).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 60_000);
});
