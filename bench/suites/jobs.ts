/**
 * Jobs: end-to-end throughput of a one-task `log` workflow with one and two worker processes, and
 * fan-out of `jobsUpdated` to 1,000 graphql-ws subscribers (latency and server memory).
 * Every process is real: a server (`src/main.ts`, no in-process workers) and `src/worker.ts`
 * processes on the suite's database, events over PostgreSQL LISTEN/NOTIFY.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { freePort } from '../../src/net/free-port.js';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { BenchContext } from '../support/context.js';
import { percentile, ms, table } from '../support/measure.js';
import { createDb } from '../../src/db/prisma.js';
import { createTenant } from '../../test/helpers/fixtures.js';

const root = path.resolve(import.meta.dirname, '../..');
const JOBS = 600;
const SUBSCRIBERS = 1000;
const UPDATES = 100;

interface Proc {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

async function start(kind: 'server' | 'worker', env: Record<string, string>): Promise<Proc> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', kind === 'server' ? 'src/main.ts' : 'src/worker.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      MIGRATE_ON_START: 'false',
      WORKER_CONCURRENCY: '0',
      NODE_ENV: 'production',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out = (out + d).slice(-8192);
    for (const line of String(d).split('\n')) if (line.includes('"level":50')) console.error(line.slice(0, 2000));
  });
  const ready = kind === 'server' ? 'formgraph is ready' : 'formgraph worker is ready';
  while (!out.includes(ready)) {
    if (child.exitCode !== null) throw new Error(`${kind} exited: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

async function gql<T = any>(url: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await r.json()) as { data?: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

/** kB from /proc: VmRSS now and VmHWM (peak) of a process. */
function memory(pid: number) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/**
 * Jobs become due together at `dueAt` (created beforehand with that startAt, workers already
 * running): processing throughput = jobs / (last finishedAt - dueAt), from database timestamps.
 * Creation throughput (createJob over HTTP, 16 clients) is measured on the way.
 */
async function throughput(
  ctx: BenchContext,
  server: Proc,
  key: string,
  workflowId: string,
  workers: number,
): Promise<{ name: string } & Record<string, string | number>> {
  const procs = await Promise.all(
    Array.from({ length: workers }, () => start('worker', { DATABASE_URL: ctx.databaseUrl, WORKER_CONCURRENCY: '4', WORKER_POLL_INTERVAL_MS: '100' })),
  );
  const db = createDb(ctx.databaseUrl, 2);
  try {
    const dueAt = new Date(Date.now() + 600_000);
    const ids: string[] = [];
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < JOBS) {
          next++;
          const r = await gql(
            server.url,
            key,
            `mutation($w: ID!, $at: DateTime!) { createJob(input: { workflow: $w, startAt: $at }) { ... on MutationCreateJobSuccess { data { id } } } }`,
            { w: workflowId, at: dueAt.toISOString() },
          );
          ids.push(Buffer.from(r.createJob.data.id, 'base64').toString().split(':')[1]!);
        }
      }),
    );
    const createSeconds = (performance.now() - started) / 1000;
    // make them all due now, in one statement (graphile's run_at too), and wait for the last
    const due = await db.$queryRaw<{ now: Date }[]>`
      WITH j AS (UPDATE "Job" SET "startAt" = now() WHERE id = ANY(${ids}::uuid[]) RETURNING id)
      SELECT now() AS now, (SELECT count(*) FROM j) AS n, (SELECT count(*) FROM graphile_worker.reschedule_jobs((SELECT array_agg(id) FROM graphile_worker.jobs WHERE key = ANY(${ids}::text[])), run_at := now())) AS r`;
    for (;;) {
      const done = await db.job.count({ where: { id: { in: ids }, status: { in: ['OK', 'ERROR', 'CANCELLED'] } } });
      if (done >= JOBS) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const last = await db.job.aggregate({ where: { id: { in: ids } }, _max: { finishedAt: true } });
    const ok = await db.job.count({ where: { id: { in: ids }, status: 'OK' } });
    const seconds = (last._max.finishedAt!.getTime() - due[0]!.now.getTime()) / 1000;
    ctx.log(`${workers} worker process(es): ${ok}/${JOBS} OK in ${seconds.toFixed(2)} s`);
    return {
      name: `${workers} worker process${workers > 1 ? 'es' : ''} × 4 concurrent`,
      jobs: `${ok} OK of ${JOBS}`,
      'jobs/s (due → last finished)': (JOBS / seconds).toFixed(1),
      'createJob/s (HTTP, 16 clients)': (JOBS / createSeconds).toFixed(1),
    };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await db.$disconnect();
  }
}

export default async function jobs(ctx: BenchContext): Promise<string> {
  const loadBefore = os.loadavg()[0]!;
  const db = createDb(ctx.databaseUrl, 2);
  const tenant = await createTenant(db);
  await db.$disconnect();
  const server = await start('server', { DATABASE_URL: ctx.databaseUrl });
  try {
    const wf = await gql(
      server.url,
      tenant.key,
      `mutation { createWorkflow(input: { name: "bench", tasks: [{ kind: "log", parameters: { message: "hello" } }] }) { ... on MutationCreateWorkflowSuccess { data { id } } } }`,
    );
    const workflowId = wf.createWorkflow.data.id as string;
    const rows = [await throughput(ctx, server, tenant.key, workflowId, 1), await throughput(ctx, server, tenant.key, workflowId, 2)];

    // fan-out: one QUEUED job changed UPDATES times; every change reaches every subscriber
    const job = await gql(
      server.url,
      tenant.key,
      `mutation($w: ID!, $at: DateTime!) { createJob(input: { workflow: $w, startAt: $at }) { ... on MutationCreateJobSuccess { data { id } } } }`,
      {
        w: workflowId,
        at: new Date(Date.now() + 24 * 3600_000).toISOString(),
      },
    );
    const jobId = job.createJob.data.id as string;
    const baseline = memory(server.child.pid!);
    const clients: Client[] = [];
    const received = new Map<number, number[]>();
    let connected = 0;
    const sentAt = new Map<number, number>();
    const counts = new Map<number, number>();
    let waiter: (() => void) | null = null;
    await Promise.all(
      Array.from({ length: SUBSCRIBERS }, async () => {
        const client = createClient({
          url: `${server.url.replace('http', 'ws')}/graphql`,
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${tenant.key}` },
          retryAttempts: 0,
        });
        clients.push(client);
        await new Promise<void>((resolve, reject) => {
          client.on('connected', () => resolve());
          client.subscribe(
            { query: `subscription { jobsUpdated { id parameters } }` },
            {
              next: (r) => {
                const n = Number(((r.data as any).jobsUpdated.parameters as Record<string, string>).n);
                const now = performance.now();
                (received.get(n) ?? received.set(n, []).get(n)!).push(now - sentAt.get(n)!);
                counts.set(n, (counts.get(n) ?? 0) + 1);
                if (counts.get(n) === SUBSCRIBERS) waiter?.();
              },
              error: reject,
              complete: () => {},
            },
          );
        });
        connected++;
      }),
    );
    // let the subscriptions reach the server's bus before the first update
    await new Promise((r) => setTimeout(r, 500));
    ctx.log(`${connected} subscribers connected`);
    const started = performance.now();
    for (let n = 1; n <= UPDATES; n++) {
      const all = new Promise<void>((resolve) => (waiter = resolve));
      const timeout = setTimeout(() => waiter?.(), 10_000);
      sentAt.set(n, performance.now());
      await gql(server.url, tenant.key, `mutation($id: ID!, $p: JSON!) { updateJob(id: $id, input: { parameters: $p }) { __typename } }`, {
        id: jobId,
        p: { n: String(n) },
      });
      await all;
      clearTimeout(timeout);
    }
    const seconds = (performance.now() - started) / 1000;
    const latencies = [...received.values()].flat().sort((a, b) => a - b);
    const delivered = latencies.length;
    const mem = memory(server.child.pid!);
    await Promise.all(clients.map((c) => c.dispose()));
    ctx.log(`fan-out: ${delivered} messages in ${seconds.toFixed(2)} s`);

    return [
      '## Jobs',
      '',
      `Machine load average (1 min) when the suite started: ${loadBefore.toFixed(1)}, after: ${os.loadavg()[0]!.toFixed(1)} (other work shares these cores: read the figures as lower bounds).`,
      '',
      `End to end: ${JOBS} jobs of a one-task \`log\` workflow created through one server process with \`createJob\` (16 HTTP clients), all due at the same moment; worker processes (WORKER_CONCURRENCY=4, WORKER_POLL_INTERVAL_MS=100 each, since rescheduled jobs are found by polling) run them: throughput from that moment to the last \`finishedAt\`. Each job: claim with a lease, 4 log lines, 1 progress update, LISTEN/NOTIFY events, completion.`,
      '',
      table(rows),
      '',
      `Fan-out: ${SUBSCRIBERS} graphql-ws subscribers on \`jobsUpdated\` (one server process), ${UPDATES} sequential \`updateJob\` changes of one job; latency from sending the mutation to each subscriber receiving the change.`,
      '',
      table([
        {
          name: 'jobsUpdated fan-out',
          subscribers: SUBSCRIBERS,
          updates: UPDATES,
          'messages received': `${delivered} of ${SUBSCRIBERS * UPDATES}`,
          p50: ms(percentile(latencies, 50)),
          p99: ms(percentile(latencies, 99)),
          'messages/s': (delivered / seconds).toFixed(0),
          'server RSS before subscribers': `${baseline.rss.toFixed(0)} MiB`,
          'server peak RSS': `${mem.peak.toFixed(0)} MiB`,
        },
      ]),
    ].join('\n');
  } finally {
    await server.stop();
  }
}
