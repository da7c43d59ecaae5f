/**
 * Forms at scale: one form with 20 fields of mixed types and 1,000,000 entries. Each scenario
 * runs through GraphQL (HTTP, same process) and as the same SQL directly through `pg`, at 1 and
 * 32 concurrent clients; the ratio is the GraphQL overhead. EXPLAIN plans show index use.
 */
import pg from 'pg';
import type { BenchContext } from '../support/context.js';
import { measure, ms, table, type Measurement } from '../support/measure.js';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { createWorkspace, createApiKey } from '../../src/modules/identity/identity.service.js';
import { aggregate, loadSchema, pageRecords, type AggregateArgs, type QueryArgs, type RecordScope } from '../../src/core/records/index.js';
import { createLogger } from '../../src/logger.js';
import type { Sql } from '../../src/core/records/sql.js';
import { RequestLoaders } from '../../src/loaders.js';

const ROWS = Number(process.env.BENCH_FORMS_ROWS ?? 1_000_000);
const FORMS: RecordScope = { kind: 'FORM', collectionNoun: 'Form', recordNoun: 'Entry' };

const FIELDS = [
  { key: 'title', label: 'Title', type: 'TEXT' },
  { key: 'body', label: 'Body', type: 'TEXT' },
  { key: 'email', label: 'Email', type: 'EMAIL' },
  { key: 'site', label: 'Site', type: 'WEBSITE' },
  { key: 'phone', label: 'Phone', type: 'PHONE_NUMBER' },
  { key: 'amount', label: 'Amount', type: 'NUMBER' },
  { key: 'qty', label: 'Quantity', type: 'NUMBER' },
  { key: 'score', label: 'Score', type: 'NUMBER' },
  { key: 'status', label: 'Status', type: 'STATIC_SELECT', options: ['open', 'pending', 'won', 'lost', 'closed'].map((id) => ({ id, label: id })) },
  { key: 'tags', label: 'Tags', type: 'STATIC_SELECT', allowMultiple: true, options: ['a', 'b', 'c', 'd'].map((id) => ({ id, label: id })) },
  { key: 'due', label: 'Due', type: 'DATETIME' },
  { key: 'closed_at', label: 'Closed at', type: 'DATETIME' },
  { key: 'active', label: 'Active', type: 'BOOLEAN' },
  { key: 'price', label: 'Price', type: 'CURRENCY', config: { currency: 'EUR' } },
  { key: 'todo', label: 'Todo', type: 'CHECKLIST' },
  { key: 'no', label: 'No', type: 'AUTO_NUMBER' },
  { key: 'rating', label: 'Rating', type: 'NUMBER' },
  { key: 'city', label: 'City', type: 'TEXT' },
  { key: 'notes', label: 'Notes', type: 'TEXT' },
  { key: 'code', label: 'Code', type: 'TEXT' },
];

/** SQL for one row `g` of the seed: deterministic pseudo-random values from g. */
const SEED_VALUES = `jsonb_strip_nulls(jsonb_build_object(
  'title', 'lorem ' || (g % 1000) || ' ipsum ' || (g % 97),
  'body', 'body text number ' || g,
  'email', 'user' || (g % 50000) || '@example.com',
  'site', case when g % 3 = 0 then 'https://site' || (g % 1000) || '.example.com' end,
  'phone', case when g % 4 = 0 then '+49' || (30000000 + g % 1000000) end,
  'amount', case when g % 10 <> 0 then ((g::bigint * 7919) % 100000) / 10.0 end,
  'qty', (g % 50),
  'score', ((g * 31) % 1000),
  'status', (array['open','pending','won','lost','closed'])[1 + (g * 13) % 5],
  'tags', case when g % 2 = 0 then jsonb_build_array((array['a','b','c','d'])[1 + g % 4]) end,
  'due', to_char(timestamp '2024-01-01' + ((g::bigint * 104729) % 63072000) * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'closed_at', case when g % 5 = 0 then to_char(timestamp '2025-01-01' + (g % 31536000) * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') end,
  'active', (g % 3 = 0),
  'price', jsonb_build_object('amount', ((g * 7) % 100000)::text || '.' || lpad((g % 100)::text, 2, '0'), 'currency', 'EUR'),
  'todo', case when g % 7 = 0 then jsonb_build_array(jsonb_build_object('label', 'step ' || (g % 10), 'checked', g % 2 = 0)) end,
  'rating', case when g % 6 <> 0 then (g % 5) + 1 end,
  'city', (array['Berlin','Paris','Rome','Madrid','Oslo','Lima','Kyiv','Quito'])[1 + g % 8],
  'notes', case when g % 9 = 0 then 'note ' || g end,
  'code', 'C' || lpad((g % 100000)::text, 6, '0')
))`;

export default async function forms(ctx: BenchContext): Promise<string> {
  const started = performance.now();
  const config = loadConfig({
    DATABASE_URL: ctx.databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    MIGRATE_ON_START: 'false',
    MAX_QUERY_TOKENS: '5000',
    RATE_LIMIT_PER_MINUTE: '0',
  });
  const server = await startServer(config, createLogger('silent'));
  const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 40 });
  // the runner drops the database at the end: a killed idle connection must not crash the process
  pool.on('error', () => {});
  const out: string[] = [];
  try {
    const workspace = await createWorkspace(server.db, 'Bench');
    const { secret } = await createApiKey(server.db, workspace.id, null, { name: 'bench', scopes: ['READ', 'WRITE', 'MANAGE', 'INTERNAL'] });
    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const res = await fetch(`${server.app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: any; errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const created = await gql(
      `mutation($input: FormInput!) { createForm(input: $input) { ... on MutationCreateFormSuccess { data { id fields { id key } } } ... on UserError { message } } }`,
      {
        input: { name: 'Bench', fields: FIELDS.map((f) => ({ ...f, config: f.config })) },
      },
    );
    const form = created.createForm.data as { id: string; fields: Array<{ id: string; key: string }> };
    const collectionId = Buffer.from(form.id, 'base64').toString().split(':')[1]!;

    // ---- seed
    const t0 = performance.now();
    const chunk = 100_000;
    for (let from = 1; from <= ROWS; from += chunk) {
      const to = Math.min(ROWS, from + chunk - 1);
      await pool.query(
        `insert into "Record" (id, "workspaceId", "collectionId", values, version, archived, "autoNumber", "createdAt", "updatedAt")
         select gen_random_uuid(), $1, $2, ${SEED_VALUES}, 1, false, g, timestamp '2025-01-01' + g * interval '10 second', timestamp '2025-01-01' + g * interval '10 second'
         from generate_series($3::int, $4::int) g`,
        [workspace.id, collectionId, from, to],
      );
      ctx.log(`seeded ${to} rows (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    await pool.query(`update "Collection" set "nextAutoNumber" = $2 where id = $1`, [collectionId, ROWS + 1]);
    const seedSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    // indexes are built by the service when fields are marked `indexed` (CONCURRENTLY)
    for (const key of ['amount', 'status', 'due', 'title']) {
      const id = form.fields.find((f) => f.key === key)!.id;
      await gql(`mutation($id: ID!) { updateField(id: $id, input: { indexed: true }) { __typename ... on UserError { message } } }`, { id });
      ctx.log(`indexed ${key} (${((performance.now() - t1) / 1000).toFixed(0)} s)`);
    }
    await pool.query('vacuum analyze "Record"');
    const indexSeconds = (performance.now() - t1) / 1000;

    // ---- the SQL the engine runs for a query, captured so pg can run exactly the same
    const engineCtx = {
      db: server.db,
      config,
      events: server.events,
      log: server.log,
      principal: {
        kind: 'API_KEY' as const,
        workspaceId: workspace.id,
        userId: null,
        apiKeyId: null,
        oauthClientId: null,
        role: null,
        scopes: ['READ' as const],
      },
      loaders: new RequestLoaders(),
    };
    const schema = await loadSchema(engineCtx, collectionId, FORMS);
    const capture = async (run: (db: any) => Promise<unknown>): Promise<Array<{ text: string; values: unknown[] }>> => {
      const statements: Array<{ text: string; values: unknown[] }> = [];
      const fake = { $queryRaw: async (s: Sql) => (statements.push({ text: s.text, values: s.values }), [{ _count: 0, _total: 1 }]) };
      await run(fake);
      return statements;
    };
    const pageSql = async (args: QueryArgs) => (await capture((db) => pageRecords(db, schema, args)))[0]!;
    const aggSql = async (args: AggregateArgs) => (await capture((db) => aggregate(db, schema, args)))[0]!;

    const ENTRIES = `query($id: ID!, $filter: RecordFilter, $orderBy: [RecordOrder!], $first: Int, $after: String) { form(id: $id) { entries(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      pageInfo { endCursor hasNextPage } edges { node { id version createdAt values } } } } }`;
    const AGG = `query($id: ID!, $filter: RecordFilter, $aggregates: [AggregateInput!], $groupBy: GroupByInput) { form(id: $id) { entryAggregates(filter: $filter, aggregates: $aggregates, groupBy: $groupBy) {
      count aggregates { field sum avg } groups { key count } } } }`;

    // the cursor of page 199 (walked once), for "a page 200 deep"
    let after: string | null = null;
    for (let i = 0; i < 199; i++) after = (await gql(ENTRIES, { id: form.id, first: 50, after })).form.entries.pageInfo.endCursor;

    type Scenario = { name: string; graphql: () => Promise<unknown>; sql: { text: string; values: unknown[] }; total: [number, number]; explain?: boolean };
    const statusOpen = { field: 'status', operator: 'IS', value: 'open' };
    const amountRange = { field: 'amount', operator: 'BETWEEN', values: [1000, 1100] };
    const titleContains = { field: 'title', operator: 'CONTAINS', value: 'lorem 421 ' };
    const scenarios: Scenario[] = [
      // what every request pays before any engine work: HTTP, Yoga, limits, API-key authentication (one Prisma statement)
      {
        name: 'baseline: authenticated `{ __typename }` vs `select 1`',
        graphql: () => gql('{ __typename }'),
        sql: { text: 'select 1', values: [] },
        total: [200, 640],
      },
      {
        name: 'first page of 50 by createdAt',
        graphql: () => gql(ENTRIES, { id: form.id, first: 50 }),
        sql: await pageSql({ first: 50 }),
        total: [200, 640],
        explain: true,
      },
      {
        name: 'equality on a select field',
        graphql: () => gql(ENTRIES, { id: form.id, first: 50, filter: statusOpen }),
        sql: await pageSql({ first: 50, filter: statusOpen as never }),
        total: [200, 640],
        explain: true,
      },
      {
        name: 'number range, sorted by it',
        graphql: () => gql(ENTRIES, { id: form.id, first: 50, filter: amountRange, orderBy: [{ field: 'amount' }] }),
        sql: await pageSql({ first: 50, filter: amountRange as never, orderBy: [{ field: 'amount' }] }),
        total: [200, 640],
        explain: true,
      },
      {
        name: 'text CONTAINS',
        graphql: () => gql(ENTRIES, { id: form.id, first: 50, filter: titleContains }),
        sql: await pageSql({ first: 50, filter: titleContains as never }),
        total: [100, 320],
        explain: true,
      },
      {
        name: 'page 200 deep via cursors',
        graphql: () => gql(ENTRIES, { id: form.id, first: 50, after }),
        sql: await pageSql({ first: 50, after }),
        total: [200, 640],
        explain: true,
      },
      {
        name: 'sum/avg over a filtered set (status = open, 200k rows)',
        graphql: () => gql(AGG, { id: form.id, filter: statusOpen, aggregates: [{ field: 'amount', functions: ['SUM', 'AVG'] }] }),
        sql: await aggSql({ filter: statusOpen as never, aggregates: [{ field: 'amount', functions: ['SUM', 'AVG'] }] }),
        total: [10, 32],
        explain: true,
      },
      {
        name: 'groupBy month (all 1M entries)',
        graphql: () => gql(AGG, { id: form.id, groupBy: { field: 'due', bucket: 'MONTH' } }),
        sql: await aggSql({ groupBy: { field: 'due', bucket: 'MONTH' } }),
        total: [5, 32],
      },
    ];

    const rows: Array<Record<string, string | number> & { name: string }> = [];
    const plans: string[] = [];
    for (const s of scenarios) {
      for (const [i, concurrency] of [1, 32].entries()) {
        const total = s.total[i]!;
        ctx.log(`${s.name} @${concurrency}`);
        const viaGraphql: Measurement = await measure(() => s.graphql(), { total, concurrency, warmup: Math.min(5, total) });
        const direct: Measurement = await measure(() => pool.query(s.sql.text, s.sql.values as unknown[]), { total, concurrency, warmup: Math.min(5, total) });
        rows.push({
          name: s.name,
          clients: concurrency,
          'GraphQL p50': ms(viaGraphql.p50),
          'GraphQL p99': ms(viaGraphql.p99),
          'GraphQL ops/s': viaGraphql.throughput.toFixed(1),
          'pg p50': ms(direct.p50),
          'pg p99': ms(direct.p99),
          'pg ops/s': direct.throughput.toFixed(1),
          'p50 ratio': (viaGraphql.p50 / direct.p50).toFixed(2),
        });
      }
      if (s.explain) {
        const plan = await pool.query(`explain (analyze, costs off, timing off, summary off) ${s.sql.text}`, s.sql.values as unknown[]);
        plans.push(`**${s.name}**\n\n\`\`\`\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}\n\`\`\``);
      }
    }

    // ---- create-entry mutations
    let n = 0;
    const CREATE = `mutation($form: ID!, $values: JSON!) { createEntry(form: $form, values: $values) { __typename ... on MutationCreateEntrySuccess { data { id values } } } }`;
    const entryValues = () => ({
      title: `bench ${++n}`,
      amount: n % 1000,
      status: 'open',
      due: '2026-01-01T00:00:00Z',
      price: '12.50',
      tags: ['a'],
      active: true,
      email: `b${n}@example.com`,
    });
    const directCreate = async () => {
      const c = await pool.connect();
      try {
        await c.query('begin');
        const r = await c.query(`update "Collection" set "nextAutoNumber" = "nextAutoNumber" + 1 where id = $1 returning "nextAutoNumber" - 1 as n`, [
          collectionId,
        ]);
        await c.query(
          `insert into "Record" (id, "workspaceId", "collectionId", values, "autoNumber", "updatedAt") values (gen_random_uuid(), $1, $2, $3, $4, now())`,
          [workspace.id, collectionId, JSON.stringify(entryValues()), r.rows[0].n],
        );
        await c.query('commit');
      } finally {
        c.release();
      }
    };
    for (const [i, concurrency] of [1, 32].entries()) {
      const total = [200, 640][i]!;
      ctx.log(`createEntry @${concurrency}`);
      const viaGraphql = await measure(
        async () => {
          const d = await gql(CREATE, { form: form.id, values: entryValues() });
          if (d.createEntry.__typename !== 'MutationCreateEntrySuccess') throw new Error(JSON.stringify(d));
        },
        { total, concurrency, warmup: 5 },
      );
      const direct = await measure(directCreate, { total, concurrency, warmup: 5 });
      rows.push({
        name: 'createEntry mutation (validated, auto-numbered)',
        clients: concurrency,
        'GraphQL p50': ms(viaGraphql.p50),
        'GraphQL p99': ms(viaGraphql.p99),
        'GraphQL ops/s': viaGraphql.throughput.toFixed(1),
        'pg p50': ms(direct.p50),
        'pg p99': ms(direct.p99),
        'pg ops/s': direct.throughput.toFixed(1),
        'p50 ratio': (viaGraphql.p50 / direct.p50).toFixed(2),
      });
    }

    const server_ = (await pool.query(`select version()`)).rows[0].version as string;
    out.push(
      `## Forms: ${ROWS.toLocaleString('en')} entries, 20 fields`,
      '',
      `Database: ${process.env.DATABASE_URL ? "the machine's PostgreSQL (DATABASE_URL)" : 'embedded PostgreSQL, fsync off (disposable)'}: ${server_.split(' on ')[0]}.`,
      `Seeding ${ROWS.toLocaleString('en')} entries (INSERT ... SELECT generate_series, 100k per statement): ${seedSeconds.toFixed(0)} s; four field indexes built by \`updateField(indexed: true)\` plus VACUUM ANALYZE: ${indexSeconds.toFixed(0)} s. Whole suite: ${((performance.now() - started) / 60000).toFixed(1)} min.`,
      '',
      "GraphQL = HTTP request to the server in the same process (auth, parse, validate, execute, engine, JSON). pg = the same SQL statement the engine generated, run directly through a `pg` pool from the same process. Ratio = GraphQL p50 / pg p50. Client and server share one Node process and the machine's 2 cores (shared with other work), so absolute figures are noisy. The baseline row is the fixed cost of any authenticated request; for index-served pages it dominates the ratio.",
      '',
      table(rows),
      '',
      '### Plans (EXPLAIN ANALYZE of the generated SQL)',
      '',
      ...plans,
    );
  } finally {
    await pool.end();
    await server.stop();
  }
  return out.join('\n');
}
