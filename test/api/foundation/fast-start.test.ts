import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../src/net/free-port.js';
import { copyProject, processesMentioning } from '../../helpers/project-copy.js';

const run = promisify(execFile);

interface Started {
  output: string[];
  /** pino's JSON lines' messages */
  messages: string[];
}

/**
 * `npm start` itself (npm, its prestart, then the server) in a copy of the project, so its dist/
 * is this test's own; stopped with SIGTERM to its process group once /healthz answers.
 */
async function npmStart(project: string, env: NodeJS.ProcessEnv, base: string): Promise<Started> {
  const child = spawn('npm', ['start'], { cwd: project, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout.on('data', (c: Buffer) => output.push(c.toString()));
  child.stderr.on('data', (c: Buffer) => output.push(c.toString()));
  const exit = new Promise((resolve) => child.on('exit', resolve));
  for (let ready = false; !ready; ) {
    if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${output.join('')}`);
    ready = await fetch(`${base}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (!ready) await new Promise((r) => setTimeout(r, 50));
  }
  process.kill(-child.pid!, 'SIGTERM');
  await exit;
  // npm may exit before the server it ran: wait for the server and its PostgreSQL to be gone
  for (let i = 0; processesMentioning(project).length > 0; i++) {
    if (i > 600) throw new Error(`still running after npm start exited:\n${processesMentioning(project).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const lines = output.join('').split('\n');
  const messages = lines.flatMap((l) => (l.startsWith('{') ? [(JSON.parse(l) as { msg: string }).msg] : []));
  return { output: lines, messages };
}

describe('npm start twice with nothing changed', () => {
  let outer: string;
  let project: string;
  let env: NodeJS.ProcessEnv;
  let base: string;
  beforeAll(async () => {
    outer = fs.mkdtempSync(path.join(os.tmpdir(), 'formgraph-fast-start-'));
    fs.chmodSync(outer, 0o755); // as root, the embedded PostgreSQL runs as the postgres user
    project = path.join(outer, 'project');
    copyProject(project);
    const [port, pgPort] = await Promise.all([freePort(), freePort()]);
    base = `http://127.0.0.1:${port}`;
    env = { ...process.env, PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), HOST: '127.0.0.1', LOG_LEVEL: 'info', WORKER_CONCURRENCY: '0' };
    delete env.DATABASE_URL;
    delete env.FORMGRAPH_DATA_DIR;
  });
  afterAll(() => {
    for (const p of processesMentioning(project)) process.kill(Number(p.split(':')[0]), 'SIGKILL');
    fs.rmSync(outer, { recursive: true, force: true });
  });

  it('compiles and migrates on the first start only', async () => {
    const first = await npmStart(project, env, base);
    expect(first.output).toContain('formgraph: compiling src/ to dist/');
    expect(first.messages).toContain('migrations applied');

    const second = await npmStart(project, env, base);
    expect(second.output).not.toContain('formgraph: compiling src/ to dist/');
    expect(second.messages).toContain('no pending migrations');
    expect(second.messages).not.toContain('migrations applied');
  }, 300_000);

  it('compiles again when a source was added, changed or removed, and never leaves the old output', async () => {
    const build = async () => (await run(process.execPath, ['scripts/build.ts', '--if-changed'], { cwd: project, env })).stdout;
    const probe = path.join(project, 'src/probe.ts');
    fs.writeFileSync(probe, 'export const probe = 1;\n');
    expect(await build()).toBe('formgraph: compiling src/ to dist/\n');
    expect(fs.readFileSync(path.join(project, 'dist/probe.js'), 'utf8')).toContain('probe = 1');
    expect(await build()).toBe('');

    fs.writeFileSync(probe, 'export const probe = 2;\n');
    expect(await build()).toBe('formgraph: compiling src/ to dist/\n');
    expect(fs.readFileSync(path.join(project, 'dist/probe.js'), 'utf8')).toContain('probe = 2');

    fs.rmSync(probe);
    expect(await build()).toBe('formgraph: compiling src/ to dist/\n');
    expect(fs.existsSync(path.join(project, 'dist/probe.js'))).toBe(false);
    expect(fs.existsSync(path.join(project, 'dist/main.js'))).toBe(true);
  }, 120_000);
});
