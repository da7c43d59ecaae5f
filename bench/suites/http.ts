/**
 * `npm run bench -- http`: request-path throughput over real HTTP. The server runs in its own
 * process, started with `npm start` as in production; autocannon drives it at BENCH_HTTP_CONNECTIONS
 * (50) for BENCH_HTTP_SECONDS per run, BENCH_HTTP_ROUNDS rounds, interleaved with graphql-yoga's
 * hello world (the framework's ceiling) and, when BENCH_PEER_DIR holds a set-up PostGraphile peer
 * (see ../shared/peers/postgraphile/README.md), PostGraphile on Q1 and Q2.
 * Use DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres so both use the same PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { BenchContext } from '../support/context.js';
import { percentile, table } from '../support/measure.js';
import { load, type LoadRun, type Target } from '../support/load.js';
import { startProcess, type ServerProcess } from '../support/server-process.js';
import { seed } from '../support/http-seed.js';
import { freePort } from '../../src/net/free-port.js';
import { createDb } from '../../src/db/prisma.js';
import { createApiKey, createWorkspace } from '../../src/modules/identity/identity.service.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SECONDS = env('BENCH_HTTP_SECONDS', 5);
const ROUNDS = env('BENCH_HTTP_ROUNDS', 3);
const CONNECTIONS = env('BENCH_HTTP_CONNECTIONS', 50);
const WARMUP_SECONDS = env('BENCH_HTTP_WARMUP_SECONDS', 3);
const SQL_SHARE_REQUESTS = env('BENCH_HTTP_SQL_SHARE_REQUESTS', 300);
const SIZES = {
  forms: env('BENCH_HTTP_FORMS', 200),
  entries: env('BENCH_HTTP_ENTRIES', 500),
  moduleRecords: env('BENCH_HTTP_MODULE_RECORDS', 20_000),
  responses: env('BENCH_HTTP_RESPONSES', 20_000),
  tags: 20,
  surveys: 100,
  jobs: 200,
};
const REPO = path.resolve(import.meta.dirname, '..', '..');
const PEER_DIR = process.env.BENCH_PEER_DIR ?? path.resolve(REPO, '..', 'peer-scratch');

const body = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });

/** The measured operations: the issue's exact Q1 and Q2, then one of each kind of read and a write. */
function operations(s: { form1: string; form2: string; module: string }) {
  return [
    { name: 'authenticated `{ __typename }`', body: body('{ __typename }') },
    {
      name: 'Q1 form + 10 fields',
      body: body('query Q1($id: ID!) { form(id: $id) { id name fields { id key label type required position } } }', { id: s.form1 }),
    },
    {
      name: 'Q2 form + 50 entries',
      body: body(
        'query Q2($id: ID!) { form(id: $id) { name entries(first: 50, orderBy: [{field: "createdAt", direction: DESC}]) { edges { node { id values createdAt } } } } }',
        { id: s.form1 },
      ),
    },
    {
      name: 'module records, filtered + sorted, 50',
      body: body(
        'query($id: ID!) { module(id: $id) { records(first: 50, filter: { field: "stage", operator: IS, value: "won" }, orderBy: [{ field: "amount", direction: DESC }]) { edges { node { id version values } } } } }',
        { id: s.module },
      ),
    },
    {
      name: 'responses with tags, 20',
      body: body(
        '{ responses(first: 20) { edges { node { id feedback score metricType sentiment feedbackDate tags { name } } } pageInfo { hasNextPage endCursor } } }',
      ),
    },
    { name: 'surveys with totalCount, 20', body: body('{ surveys(first: 20) { totalCount edges { node { id name type status createdAt } } } }') },
    {
      name: 'tags with statistics, 20',
      body: body('{ tags(first: 20) { edges { node { name responseCount usage sentimentBreakdown { positive neutral negative none } } } } }'),
    },
    { name: 'jobs, 20', body: body('{ jobs(first: 20) { totalCount edges { node { id kind name status progress { done total } createdAt } } } }') },
    {
      name: 'createEntry mutation',
      body: body(
        'mutation($f: ID!) { createEntry(form: $f, values: { f1: "bench", f2: 7, f3: "a@example.com", f6: "x", f9: "2024-01-01T00:00:00.000Z" }) { __typename ... on UserError { code message } } }',
        { f: s.form2 },
      ),
    },
  ];
}

async function post(url: string, headers: Record<string, string>, payload: string) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });
  const text = await res.text();
  return {
    status: res.status,
    text,
    statements: Number(res.headers.get('x-sql-statements') ?? NaN),
    sqlMs: Number(res.headers.get('x-sql-ms') ?? NaN),
  };
}

const FEEDBACK_LISTS = /^(responses with tags|surveys with totalCount|tags with statistics)/;

/**
 * One client, one request at a time: the request's time as the client sees it against the time
 * the server spent waiting for its SQL (`x-sql-ms`, every statement from sent to answered), p50 of each.
 */
async function requestVersusSql(target: Target, requests: number) {
  const total: number[] = [];
  const sql: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    const r = await post(target.url, target.headers, target.body);
    total.push(performance.now() - started);
    sql.push(r.sqlMs);
  }
  const p50 = (xs: number[]) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    );
  return { request: p50(total), sql: p50(sql) };
}

/** Statements of a request once its credential has been seen (the third of three in a row). */
async function statementsPerRequest(target: Target): Promise<number> {
  let last = NaN;
  for (let i = 0; i < 3; i++) {
    const r = await post(target.url, target.headers, target.body);
    if (r.status !== 200 || /"errors"|"UserError"/.test(r.text)) throw new Error(`bench request failed: ${r.status} ${r.text.slice(0, 300)}`);
    last = r.statements;
  }
  return last;
}

export default async function http(ctx: BenchContext): Promise<string> {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'formgraph-bench-'));
  const db = createDb(ctx.databaseUrl, 2);
  const workspace = await createWorkspace(db, 'Bench');
  const { secret } = await createApiKey(db, workspace.id, null, { name: 'bench', scopes: ['READ', 'WRITE', 'MANAGE'] });
  await db.$disconnect();

  const servers: ServerProcess[] = [];
  const pgClient = new pg.Client({ connectionString: ctx.databaseUrl });
  await pgClient.connect();
  try {
    const port = await freePort();
    ctx.log(`starting formgraph (npm start) on port ${port}; logs in ${logDir}`);
    const formgraph = await startProcess({
      name: 'formgraph',
      command: 'npm',
      args: ['start', '--silent'],
      cwd: REPO,
      env: { DATABASE_URL: ctx.databaseUrl, PORT: String(port), HOST: '127.0.0.1', RATE_LIMIT_PER_MINUTE: '0', EXPOSE_SQL_STATEMENT_COUNT: 'true' },
      url: `http://127.0.0.1:${port}`,
      readyPath: '/readyz',
      serverCommand: /\bmain\.(js|ts)\b|scripts\/build\.ts .*--start/,
      logFile: path.join(logDir, 'formgraph.log'),
    });
    servers.push(formgraph);
    const rss: Array<{ name: string; MiB: string }> = [{ name: 'idle, after start', MiB: formgraph.rssMiB().toFixed(0) }];

    const fgHeaders = { 'x-api-key': secret };
    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const r = await post(`${formgraph.url}/graphql`, fgHeaders, body(query, variables));
      const parsed = JSON.parse(r.text) as { data?: any; errors?: unknown[] };
      if (parsed.errors) throw new Error(JSON.stringify(parsed.errors));
      return parsed.data;
    };
    ctx.log('seeding');
    const seeded = await seed(gql, pgClient, workspace.id, SIZES, ctx.log);

    const yogaPort = await freePort();
    const yoga = await startProcess({
      name: 'yoga hello world',
      command: process.execPath,
      args: [path.join(REPO, 'bench', 'support', 'yoga-hello.mjs')],
      cwd: REPO,
      env: { PORT: String(yogaPort), NODE_ENV: 'production' },
      url: `http://127.0.0.1:${yogaPort}`,
      readyPath: '/graphql?query=%7Bhello%7D',
      serverCommand: /yoga-hello/,
      logFile: path.join(logDir, 'yoga.log'),
    });
    servers.push(yoga);

    const targets: Array<{ name: string; server: ServerProcess; target: Target; statements?: number; pair?: string }> = [];
    for (const op of operations(seeded))
      targets.push({ name: op.name, server: formgraph, target: { url: `${formgraph.url}/graphql`, headers: fgHeaders, body: op.body } });
    targets.splice(1, 0, { name: 'yoga hello world `{ hello }`', server: yoga, target: { url: `${yoga.url}/graphql`, headers: {}, body: body('{ hello }') } });

    const peerReady = fs.existsSync(path.join(PEER_DIR, 'bench', 'q1.json')) && fs.existsSync(path.join(PEER_DIR, 'node_modules', 'postgraphile'));
    if (peerReady) {
      const peer = await startProcess({
        name: 'PostGraphile',
        command: path.join(PEER_DIR, 'node_modules', '.bin', 'node'),
        args: ['node_modules/postgraphile/dist/cli-run.js', '-C', 'graphile.config.mjs'],
        cwd: PEER_DIR,
        // its own database (graphile.config.mjs reads DATABASE_URL, which here names formgraph's)
        env: { NODE_ENV: 'production', DATABASE_URL: process.env.BENCH_PEER_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/peerbench' },
        url: 'http://127.0.0.1:5678',
        readyPath: '/graphql',
        readyQuery: '{ __typename }',
        serverCommand: /cli-run/,
        logFile: path.join(logDir, 'peer.log'),
      });
      servers.push(peer);
      const at = (name: string) => targets.findIndex((t) => t.name.startsWith(name));
      for (const [q, file] of [
        ['Q2', 'q2.json'],
        ['Q1', 'q1.json'],
      ] as const) {
        targets.splice(at(q) + 1, 0, {
          name: `PostGraphile ${q}`,
          pair: q,
          server: peer,
          target: { url: `${peer.url}/graphql`, headers: {}, body: fs.readFileSync(path.join(PEER_DIR, 'bench', file), 'utf8') },
        });
      }
    } else ctx.log(`no PostGraphile peer set up in ${PEER_DIR}: measuring without it`);

    for (const t of targets) {
      if (t.server === formgraph) t.statements = await statementsPerRequest(t.target);
      else
        await post(t.target.url, t.target.headers, t.target.body).then((r) => {
          if (r.status !== 200 || r.text.includes('"errors"')) throw new Error(`${t.name}: ${r.text.slice(0, 300)}`);
        });
    }

    ctx.log(`warm-up: ${WARMUP_SECONDS} s per operation`);
    for (const t of targets) await load(t.server, t.target, CONNECTIONS, WARMUP_SECONDS);

    const loads: number[] = [os.loadavg()[0]!];
    const runs = new Map<string, LoadRun[]>();
    const single = new Map<string, LoadRun>();
    for (let round = 1; round <= ROUNDS; round++) {
      ctx.log(`round ${round}/${ROUNDS}: ${targets.length} operations x ${SECONDS} s at ${CONNECTIONS} connections`);
      for (const t of targets) {
        const r = await load(t.server, t.target, CONNECTIONS, SECONDS);
        runs.set(t.name, [...(runs.get(t.name) ?? []), r]);
      }
      rss.push({ name: `after round ${round}`, MiB: formgraph.rssMiB().toFixed(0) });
      loads.push(os.loadavg()[0]!);
    }
    ctx.log('one client: every operation');
    for (const t of targets) single.set(t.name, await load(t.server, t.target, 1, SECONDS));
    const sqlShare = [];
    for (const t of targets.filter((t) => FEEDBACK_LISTS.test(t.name))) {
      const r = await requestVersusSql(t.target, SQL_SHARE_REQUESTS);
      sqlShare.push({
        name: t.name,
        'request p50 ms': r.request.toFixed(2),
        'its SQL p50 ms': r.sql.toFixed(2),
        ratio: (r.request / r.sql).toFixed(1),
      });
    }

    const span = (xs: number[], digits = 0) => {
      const lo = Math.min(...xs);
      const hi = Math.max(...xs);
      const f = (v: number) => v.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
      return lo === hi ? f(lo) : `${f(lo)}–${f(hi)}`;
    };
    const rows = targets.map((t) => {
      const rs = runs.get(t.name)!;
      const one = single.get(t.name)!;
      return {
        name: t.name,
        'req/s': span(rs.map((r) => r.reqPerSecond)),
        'p50 ms': span(rs.map((r) => r.p50)),
        'p99 ms': span(rs.map((r) => r.p99)),
        'server CPU ms/req': span(
          rs.map((r) => r.cpuMsPerRequest),
          2,
        ),
        'SQL/req': t.statements === undefined ? '' : String(t.statements),
        'p50 ms, 1 client': String(one.p50),
        failed: String(rs.reduce((n, r) => n + r.failures, 0)),
      };
    });
    const fgTypename = runs.get(targets[0]!.name)!;
    const hello = runs.get('yoga hello world `{ hello }`')!;
    const mean = (rs: LoadRun[]) => rs.reduce((n, r) => n + r.reqPerSecond, 0) / rs.length;
    const ratios = [`authenticated \`{ __typename }\` / yoga hello world: ${(mean(fgTypename) / mean(hello)).toFixed(2)} (target ≥ 0.85)`];
    for (const q of ['Q1', 'Q2']) {
      const peerRuns = runs.get(`PostGraphile ${q}`);
      const fg = runs.get(targets.find((t) => t.name.startsWith(`${q} `))!.name)!;
      if (peerRuns) {
        const p99 = (rs: LoadRun[]) => Math.max(...rs.map((r) => r.p99));
        ratios.push(`${q} formgraph / PostGraphile: req/s ${(mean(fg) / mean(peerRuns)).toFixed(2)} (target ≥ 1), worst p99 ${p99(fg)} / ${p99(peerRuns)} ms`);
      }
    }
    if (ROUNDS > 1) {
      const MiB = (round: number) => Number(rss.find((r) => r.name === `after round ${round}`)!.MiB);
      ratios.push(`server RSS growth across runs (after round ${ROUNDS} minus after round 1): ${MiB(ROUNDS) - MiB(1)} MiB (target: none)`);
    }
    const pgVersion = (await pgClient.query('show server_version')).rows[0].server_version as string;
    return [
      '## HTTP: request-path throughput (`npm run bench -- http`)',
      '',
      `formgraph started with \`npm start\` in its own process (DATABASE_URL, rate limit off, LOG_LEVEL info to a file); autocannon in the benchmark's process, ` +
        `${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per operation after a ${WARMUP_SECONDS} s warm-up, operations interleaved; ` +
        `ranges are min–max over the rounds. Server CPU is user+system time of the server's process tree (/proc) per request; SQL/req is the ` +
        `\`x-sql-statements\` header of a request whose credential has been seen. "1 client" is one more run at one connection. ` +
        `PostgreSQL ${pgVersion}${process.env.DATABASE_URL ? ' (DATABASE_URL)' : ' (embedded, disposable)'}; PostGraphile ${peerReady ? `5 (amber preset) from ${PEER_DIR}, on its own database of the same shape` : 'not set up'}.`,
      '',
      `Data: ${SIZES.forms} forms x 10 fields x ${SIZES.entries} entries (the peer's shape), a module of ${SIZES.moduleRecords.toLocaleString('en')} records, ` +
        `${SIZES.responses.toLocaleString('en')} responses with 2 of ${SIZES.tags} tags each, ${SIZES.surveys} surveys, ${SIZES.jobs} jobs. ` +
        `Machine load average (1 min) before and after each round: ${loads.map((l) => l.toFixed(1)).join(', ')} on ${os.cpus().length} cores: compare figures of one run only, as ratios.`,
      '',
      table(rows),
      '',
      ...ratios.map((r) => `- ${r}`),
      '',
      `Feedback lists at one client, ${SQL_SHARE_REQUESTS} requests one after another (client in the benchmark's process; target: request p50 at most 2x its SQL):`,
      '',
      table(sqlShare),
      '',
      'formgraph server RSS:',
      '',
      table(rss),
    ].join('\n');
  } finally {
    for (const s of servers.reverse()) await s.stop().catch((e) => ctx.log(`stopping ${s.name}: ${e}`));
    await pgClient.end();
  }
}
