/** A server in its own process, started the way a user starts it, and stopped by its PID. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { cpuSeconds, findInTree, rssMiB } from './processes.js';

export interface ServerProcess {
  name: string;
  url: string;
  /** the process that does the work (node), for RSS; CPU is summed over the whole tree */
  pid: number;
  cpuSeconds(): number;
  rssMiB(): number;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** the base URL once it listens */
  url: string;
  /** answers 2xx once it serves: a GET, or a POST of this GraphQL document */
  readyPath: string;
  readyQuery?: string;
  /** the command line of the serving process, under npm/sh */
  serverCommand: RegExp;
  logFile: string;
}

async function waitUntilReady(url: string, query: string | undefined, child: ChildProcess, logFile: string, timeoutMs = 180_000) {
  const init = query ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) } : {};
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}; see ${logFile}`);
    const ok = await fetch(url, init).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not ready after ${timeoutMs / 1000} s; see ${logFile}`);
}

export async function startProcess(o: StartOptions): Promise<ServerProcess> {
  const log = fs.openSync(o.logFile, 'w');
  const child = spawn(o.command, o.args, { cwd: o.cwd, env: { ...process.env, ...o.env }, stdio: ['ignore', log, log] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitUntilReady(o.url + o.readyPath, o.readyQuery, child, o.logFile);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${o.name}: ${(error as Error).message}`);
  }
  const pid = findInTree(child.pid!, o.serverCommand) ?? child.pid!;
  return {
    name: o.name,
    url: o.url,
    pid,
    cpuSeconds: () => cpuSeconds(child.pid!),
    rssMiB: () => rssMiB(pid),
    async stop() {
      // the serving process shuts down gracefully; npm and sh above it exit with it
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      fs.closeSync(log);
    },
  };
}
