/**
 * CRM charts at scale: a module of opportunities (BENCH_CRM_ROWS, default 100,000 records) and
 * the four charts of the CRM issue through `chartData` (HTTP, same process), at 1 and 8
 * concurrent clients, next to the same grouping SQL run directly through `pg`, plus a records
 * page. Every chart is one grouped SQL statement over the module's rows.
 */
import pg from 'pg';
import type { BenchContext } from '../support/context.js';
import { measure, ms, table, type Measurement } from '../support/measure.js';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { createLogger } from '../../src/logger.js';
import { createApiKey, createWorkspace } from '../../src/modules/identity/identity.service.js';

const ROWS = Number(process.env.BENCH_CRM_ROWS ?? 100_000);

const FIELDS = [
  { key: 'name', label: 'Name', type: 'TEXT' },
  { key: 'value', label: 'Value', type: 'CURRENCY', config: { currency: 'EUR' } },
  { key: 'state', label: 'State', type: 'STATIC_SELECT', options: ['open', 'won', 'lost'].map((id) => ({ id, label: id })) },
  { key: 'type', label: 'Type', type: 'STATIC_SELECT', options: ['new', 'existing', 'renewal'].map((id) => ({ id, label: id })) },
  { key: 'country', label: 'Country', type: 'TEXT' },
  { key: 'closed_at', label: 'Closed at', type: 'DATETIME' },
];

const SEED_VALUES = `jsonb_strip_nulls(jsonb_build_object(
  'name', 'Opportunity ' || g,
  'value', jsonb_build_object('amount', ((g * 7919) % 100000)::text || '.' || lpad((g % 100)::text, 2, '0'), 'currency', 'EUR'),
  'state', (array['open','open','won','lost'])[1 + (g * 13) % 4],
  'type', (array['new','existing','renewal'])[1 + (g * 7) % 3],
  'country', case when g % 10 <> 0 then (array['DE','FR','US','GB','NL','IT','ES','PL'])[1 + (g * 3) % 8] end,
  'closed_at', case when g % 5 <> 0 then to_char(timestamp '2025-01-01' + ((g * 104729) % 63072000) * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') end
))`;

const CHARTS: Array<{ name: string; configuration: Record<string, unknown>; sql: (module: string) => string }> = [
  {
    name: 'line: sum of value by month, one year',
    configuration: { kind: 'LINE', x: { field: 'closed_at', min: '2025-03-01T00:00:00Z', max: '2026-02-28T23:59:59Z', bucket: 'MONTH' }, sum: 'value' },
    sql: (
      m,
    ) => `select to_char(date_trunc('month', (values->>'closed_at')::timestamptz, 'UTC') at time zone 'UTC', 'YYYY-MM-DD') k, sum((values->'value'->>'amount')::numeric)::text
      from "Record" where "collectionId" = '${m}' and not archived and values->>'closed_at' >= '2025-03-01T00:00:00.000Z' and values->>'closed_at' <= '2026-02-28T23:59:59.000Z' group by 1 order by 1`,
  },
  {
    name: 'pie: count by state',
    configuration: { kind: 'PIE', x: { field: 'state' } },
    sql: (m) => `select values->>'state' k, count(*) from "Record" where "collectionId" = '${m}' and not archived group by 1 order by 1`,
  },
  {
    name: 'donut: sum of value by type',
    configuration: { kind: 'DONUT', x: { field: 'type' }, sum: 'value' },
    sql: (m) =>
      `select values->>'type' k, sum((values->'value'->>'amount')::numeric)::text from "Record" where "collectionId" = '${m}' and not archived group by 1 order by 1`,
  },
  {
    name: 'bar: count by country',
    configuration: { kind: 'BAR', x: { field: 'country' } },
    sql: (m) => `select values->>'country' k, count(*) from "Record" where "collectionId" = '${m}' and not archived group by 1 order by 1`,
  },
  {
    name: 'area: count by month and state (3 datasets)',
    configuration: { kind: 'AREA', x: { field: 'closed_at', bucket: 'MONTH' }, groupBy: 'state' },
    sql: (
      m,
    ) => `select to_char(date_trunc('month', (values->>'closed_at')::timestamptz, 'UTC') at time zone 'UTC', 'YYYY-MM-DD') k, values->>'state' s, count(*)
      from "Record" where "collectionId" = '${m}' and not archived group by 1, 2 order by 1, 2`,
  },
];

const CHART_QUERY = `query($module: ID!, $configuration: ChartConfigurationInput!) { chartData(module: $module, configuration: $configuration) { labels datasets { label data } } }`;
const RECORDS_QUERY = `query($id: ID!) { module(id: $id) { records(first: 50) { edges { node { id version values } } } } }`;

export default async function crm(ctx: BenchContext): Promise<string> {
  const config = loadConfig({
    DATABASE_URL: ctx.databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    MIGRATE_ON_START: 'false',
    RATE_LIMIT_PER_MINUTE: '0',
  });
  const server = await startServer(config, createLogger('silent'));
  const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 10 });
  try {
    const workspace = await createWorkspace(server.db, 'Bench');
    const { secret } = await createApiKey(server.db, workspace.id, null, { name: 'bench', scopes: ['READ', 'WRITE', 'MANAGE'] });
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
      `mutation($input: ModuleInput!) { createModule(input: $input) { ... on MutationCreateModuleSuccess { data { id } } ... on UserError { message } } }`,
      {
        input: { name: 'Opportunities', handle: 'opportunity', fields: FIELDS },
      },
    );
    const moduleGid: string = created.createModule.data.id;
    const moduleId = (await pool.query(`select id::text from "Collection" where "workspaceId" = $1`, [workspace.id])).rows[0].id as string;

    const t0 = performance.now();
    for (let from = 1; from <= ROWS; from += 50_000) {
      const to = Math.min(ROWS, from + 49_999);
      await pool.query(
        `insert into "Record" (id, "workspaceId", "collectionId", values, "autoNumber", "createdAt", "updatedAt")
         select gen_random_uuid(), $1::uuid, $2::uuid, ${SEED_VALUES}, g::int, timestamp '2025-01-01' + g * interval '1 second', now() from generate_series($3::bigint, $4::bigint) g`,
        [workspace.id, moduleId, from, to],
      );
    }
    await pool.query(`update "Collection" set "nextAutoNumber" = $2 where id = $1`, [moduleId, ROWS + 1]);
    await pool.query('analyze "Record"');
    const seeded = (performance.now() - t0) / 1000;
    ctx.log(`seeded ${ROWS} records in ${seeded.toFixed(1)} s`);

    const rows: Array<{ name: string } & Record<string, string>> = [];
    const row = (name: string, g: Measurement, d: Measurement | null) => ({
      name,
      clients: String(g.concurrency),
      'GraphQL p50': ms(g.p50),
      'GraphQL p99': ms(g.p99),
      'GraphQL ops/s': g.throughput.toFixed(1),
      'SQL p50': d ? ms(d.p50) : '-',
      ratio: d ? (g.p50 / d.p50).toFixed(2) : '-',
    });
    for (const chart of CHARTS) {
      const check = await gql(CHART_QUERY, { module: moduleGid, configuration: chart.configuration });
      if (!check.chartData.labels.length) throw new Error(`${chart.name}: no labels`);
      for (const concurrency of [1, 8]) {
        const total = concurrency === 1 ? 10 : 24;
        const g = await measure(() => gql(CHART_QUERY, { module: moduleGid, configuration: chart.configuration }), { total, concurrency, warmup: 2 });
        const d = await measure(() => pool.query(chart.sql(moduleId)), { total, concurrency, warmup: 2 });
        rows.push(row(chart.name, g, d));
        ctx.log(`${chart.name} x${concurrency}: ${ms(g.p50)} (SQL ${ms(d.p50)})`);
      }
    }
    for (const concurrency of [1, 8]) {
      const g = await measure(() => gql(RECORDS_QUERY, { id: moduleGid }), { total: concurrency === 1 ? 100 : 400, concurrency });
      rows.push(row('records: first page of 50, newest first', g, null));
    }
    return [
      `## CRM charts (${ROWS.toLocaleString('en')} records in one module)`,
      '',
      `Seeded in ${seeded.toFixed(1)} s with \`generate_series\`. Each chart is computed by \`chartData\` (HTTP, same process) from one grouped SQL statement of the records engine (\`aggregateByKeys\`); "SQL" is an equivalent grouping query run directly through \`pg\`. Charts scan the module's rows (no index serves a GROUP BY over a JSON expression), so their cost grows with the module.`,
      '',
      table(rows),
    ].join('\n');
  } finally {
    await pool.end();
    await server.stop();
  }
}
