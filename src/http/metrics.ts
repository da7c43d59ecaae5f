import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/prisma.js';

const JOB_STATUSES = ['QUEUED', 'RUNNING', 'OK', 'ERROR', 'CANCELLED'] as const;
const FINISHED = ['OK', 'ERROR', 'CANCELLED'] as const;

type ErrorsOf = { errors?: readonly { extensions?: Record<string, unknown> }[] | null };

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> => typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

export interface Metrics {
  /** the Yoga plugin: serves `GET /metrics` and counts HTTP and SSE traffic */
  plugin: Plugin;
  /** counts the errors of one result a transport outside Yoga's HTTP pipeline sent (graphql-ws) */
  countErrors(errors: ErrorsOf['errors']): void;
}

/**
 * `GET /metrics` in Prometheus format: HTTP requests, GraphQL operations (count, duration, errors
 * by code over HTTP, SSE and WebSocket), database connections, jobs by status and finished jobs by
 * kind and outcome. Jobs and connections are read from the database at scrape time, so every
 * process reports the same cluster-wide numbers, whichever process ran the job.
 */
export function createMetrics(db: Db): Metrics {
  const register = new Registry();
  collectDefaultMetrics({ register, prefix: 'formgraph_' });
  const requests = new Counter({
    name: 'formgraph_http_requests_total',
    help: 'HTTP requests by method, path and status',
    labelNames: ['method', 'path', 'status'],
    registers: [register],
  });
  const operations = new Histogram({
    name: 'formgraph_graphql_operation_duration_seconds',
    help: 'GraphQL operations: execution time by operation type (query, mutation; subscriptions count with 0)',
    labelNames: ['type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [register],
  });
  const errors = new Counter({
    name: 'formgraph_graphql_errors_total',
    help: 'GraphQL errors sent to clients, by extensions.code',
    labelNames: ['code'],
    registers: [register],
  });
  new Gauge({
    name: 'formgraph_db_connections',
    help: "connections to formgraph's database by state (pg_stat_activity)",
    labelNames: ['state'],
    registers: [register],
    async collect() {
      const rows = await db.$queryRaw<
        { state: string | null; n: bigint }[]
      >`select state, count(*) as n from pg_stat_activity where datname = current_database() group by state`;
      this.reset();
      for (const r of rows) this.set({ state: r.state ?? 'unknown' }, Number(r.n));
    },
  });
  new Gauge({
    name: 'formgraph_jobs',
    help: 'jobs by status: QUEUED and RUNNING are the queue depth; OK, ERROR and CANCELLED the outcomes so far',
    labelNames: ['status'],
    registers: [register],
    async collect() {
      const rows = await db.job.groupBy({ by: ['status'], _count: { _all: true } });
      for (const status of JOB_STATUSES) this.set({ status }, rows.find((r) => r.status === status)?._count._all ?? 0);
    },
  });

  new Gauge({
    name: 'formgraph_jobs_finished',
    help: 'jobs that have finished, by kind and outcome (OK, ERROR, CANCELLED)',
    labelNames: ['kind', 'status'],
    registers: [register],
    async collect() {
      const rows = await db.job.groupBy({ by: ['kind', 'status'], where: { status: { in: [...FINISHED] } }, _count: { _all: true } });
      this.reset();
      for (const r of rows) this.set({ kind: r.kind, status: r.status }, r._count._all);
    },
  });

  const countErrors = (list: ErrorsOf['errors']) => {
    for (const error of list ?? []) errors.inc({ code: String(error.extensions?.code ?? 'INTERNAL') });
  };
  /**
   * An SSE stream's events, counted as they are sent. Not an async generator: one waiting for
   * its next event would hold a client's disconnect (return) until that event came.
   */
  const counted = (stream: AsyncIterable<unknown>): AsyncIterableIterator<unknown> => {
    const source = stream[Symbol.asyncIterator]();
    return {
      async next() {
        const step = await source.next();
        if (!step.done && step.value && typeof step.value === 'object') countErrors((step.value as ErrorsOf).errors);
        return step;
      },
      return: async () => (await source.return?.()) ?? { done: true, value: undefined },
      throw: async (error?: unknown) => (source.throw ? source.throw(error) : Promise.reject(error)),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  };

  // known paths only: a label per arbitrary URL would grow without bound
  const pathLabel = (path: string) =>
    ['/graphql', '/healthz', '/readyz', '/metrics', '/oauth/token', '/oauth/revoke'].includes(path)
      ? path
      : path.startsWith('/graphiql/')
        ? '/graphiql'
        : 'other';

  const plugin: Plugin = {
    async onRequest({ url, request, endResponse }) {
      if (url.pathname !== '/metrics' || request.method !== 'GET') return;
      endResponse(new Response(await register.metrics(), { headers: { 'content-type': register.contentType } }));
    },
    onResponse({ request, response }) {
      requests.inc({ method: request.method, path: pathLabel(new URL(request.url).pathname), status: String(response.status) });
    },
    onExecute({ args }) {
      const end = operations.startTimer({ type: operationType(args) });
      return {
        onExecuteDone() {
          end();
        },
      };
    },
    onSubscribe() {
      operations.observe({ type: 'subscription' }, 0);
    },
    // results as clients get them (masked, with their codes), also errors before execution
    onResultProcess({ result, setResult }) {
      if (isAsyncIterable(result)) return setResult(counted(result) as typeof result);
      for (const r of Array.isArray(result) ? result : [result]) if (r && typeof r === 'object' && 'errors' in r) countErrors((r as ExecutionResult).errors);
    },
  };
  return { plugin, countErrors };
}

function operationType(args: {
  document: { definitions: readonly { kind: string; operation?: string; name?: { value: string } }[] };
  operationName?: string | null;
}) {
  const ops = args.document.definitions.filter((d) => d.kind === 'OperationDefinition');
  const op = ops.find((d) => !args.operationName || d.name?.value === args.operationName) ?? ops[0];
  return op?.operation ?? 'unknown';
}
