import { expect } from 'vitest';
import type { TestServer } from './server.js';
import { runJobsOnce } from '../../src/core/jobs/worker.js';
import type { JobStatus } from '../../src/generated/prisma/enums.js';

/**
 * Runs every job that is due now in this test process (the server's own workers are off by
 * default in tests: WORKER_CONCURRENCY=0), until none is left. Jobs with a later startAt stay
 * QUEUED. Handlers run with the server's db, events and config, so progress, logs and
 * subscriptions behave as in production.
 */
export async function runJobsUntilIdle(t: TestServer): Promise<void> {
  const { db, events, log, config } = t.server;
  await runJobsOnce({ db, events, log, config, databaseUrl: t.databaseUrl });
}

const TERMINAL: JobStatus[] = ['OK', 'ERROR', 'CANCELLED'];

/** Polls the job row (by database id) until its status is one of `statuses` (default: finished). */
export async function waitForJob(t: TestServer, jobId: string, statuses: JobStatus[] = TERMINAL, timeoutMs = 20_000) {
  const started = Date.now();
  for (;;) {
    const job = await t.server.db.job.findUnique({ where: { id: jobId } });
    if (job && statuses.includes(job.status)) return job;
    if (Date.now() - started > timeoutMs) expect.fail(`job ${jobId} is ${job?.status ?? 'missing'}, expected one of ${statuses.join(', ')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The log messages of a job, oldest first. */
export async function jobLogMessages(t: TestServer, jobId: string): Promise<string[]> {
  const lines = await t.server.db.jobLog.findMany({ where: { jobId }, orderBy: { id: 'asc' } });
  return lines.map((l) => l.message);
}

/** Database id of a Relay global id. */
export const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':').slice(1).join(':');

import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface LiveSubscription<T> {
  /** every result received so far */
  results: { data?: T | null; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }[];
  /** resolves when `predicate` holds for the received results (or fails after timeoutMs) */
  until(predicate: (results: LiveSubscription<T>['results']) => boolean, timeoutMs?: number): Promise<void>;
  /** resolves when the server completes the subscription */
  completed: Promise<void>;
  close(): Promise<void>;
}

/** A graphql-ws subscription against `baseUrl` (http://...), retries off, with an API key. */
export async function subscribeWs<T = any>(baseUrl: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<LiveSubscription<T>> {
  const client: Client = createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
    retryAttempts: 0,
    lazy: false,
    // a server that stops closes the socket: not an error worth printing
    onNonLazyError: () => {},
  });
  const results: LiveSubscription<T>['results'] = [];
  const waiters = new Set<() => void>();
  let done!: () => void;
  let failed!: (e: unknown) => void;
  const completed = new Promise<void>((resolve, reject) => ((done = resolve), (failed = reject)));
  completed.catch(() => {});
  const acknowledged = new Promise<void>((resolve) => client.on('connected', () => resolve()));
  client.subscribe<T>(
    { query, variables },
    {
      next: (r) => {
        results.push(r as LiveSubscription<T>['results'][number]);
        for (const w of waiters) w();
      },
      error: (e) => {
        if (Array.isArray(e)) results.push({ errors: e });
        failed(e);
        for (const w of waiters) w();
      },
      complete: () => {
        done();
        for (const w of waiters) w();
      },
    },
  );
  await acknowledged;
  return {
    results,
    completed,
    until(predicate, timeoutMs = 20_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (predicate(results)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`subscription condition not met in ${timeoutMs} ms; got ${JSON.stringify(results)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => client.dispose() as Promise<void>,
  };
}

/** Collapses consecutive repeats: [Q, Q, R, O] -> [Q, R, O]. */
export const distinctInOrder = <T>(values: T[]) => values.filter((v, i) => i === 0 || v !== values[i - 1]);

import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../src/net/free-port.js';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface ChildProcessHandle {
  child: ChildProcess;
  /** http://127.0.0.1:port for servers */
  url: string | null;
  /** everything it printed (pino JSON lines) */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `src/main.ts` (a server on a free port) or `src/worker.ts` as a real child process on
 * the given database, and resolves once it is ready. Always `kill()` it in afterAll.
 */
export async function spawnFormgraph(kind: 'server' | 'worker', env: Record<string, string>, timeoutMs = 60_000): Promise<ChildProcessHandle> {
  const port = kind === 'server' ? await freePort() : 0;
  // node with tsx's loader, not the tsx CLI: that would be a parent process, and SIGKILL must hit the real one
  const child = spawn(process.execPath, ['--import', 'tsx', kind === 'server' ? 'src/main.ts' : 'src/worker.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      MIGRATE_ON_START: 'false',
      WORKER_CONCURRENCY: '0',
      REDIS_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const handle: ChildProcessHandle = {
    child,
    url: kind === 'server' ? `http://127.0.0.1:${port}` : null,
    output: () => out,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  const ready = kind === 'server' ? 'formgraph is ready' : 'formgraph worker is ready';
  const started = Date.now();
  while (!out.includes(ready)) {
    if (child.exitCode !== null) throw new Error(`${kind} exited with ${child.exitCode}: ${out}`);
    if (Date.now() - started > timeoutMs) {
      await handle.kill('SIGKILL');
      throw new Error(`${kind} not ready after ${timeoutMs} ms: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return handle;
}
