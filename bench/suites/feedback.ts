/**
 * Feedback at 1,000,000 responses: the responses list filtered by tag and date range, and NPS over
 * a filtered set, through GraphQL (real server, HTTP) next to the same SQL sent directly with pg.
 * Seeded with generate_series: one workspace with 1,000,000 responses over two years (+ a second
 * workspace with 100,000 so indexes hold other tenants too); every response has one of 20 common
 * tags (5% each), every 1,000th also a RARE tag (0.1%); metric types and scores cycle.
 */
import pg from 'pg';
import type { BenchContext } from '../support/context.js';
import { measure, ms, table } from '../support/measure.js';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { createApiKey } from '../../src/modules/identity/identity.service.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import type { ResponseFilter } from '../../src/modules/feedback/response.filter.js';
import { responsePageSql } from '../../src/modules/feedback/response.service.js';
import { responseMetricsSql } from '../../src/modules/feedback/metrics.service.js';
import { parseDateBound } from '../../src/core/date-bounds.js';

const N = Number(process.env.BENCH_FEEDBACK_N ?? 1_000_000);
const OTHER = Math.round(N / 10);
const TAGS = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 200);

async function seed(client: pg.Client, workspaceId: string, count: number, log: (l: string) => void) {
  const t0 = Date.now();
  await client.query(
    `INSERT INTO "Response" ("workspaceId", feedback, "feedbackDate", score, "metricType", sentiment, "sentimentScore")
     SELECT $1::uuid,
       'feedback number ' || i || CASE WHEN i % 7 = 0 THEN ' the refund was slow' ELSE ' works fine' END,
       timestamp '2024-01-01' + make_interval(secs => i * (63072000.0 / $2)),
       CASE i % 4 WHEN 0 THEN i % 11 WHEN 1 THEN 1 + i % 5 WHEN 2 THEN 1 + i % 7 ELSE NULL END,
       (ARRAY['NPS','CSAT','CES','OTHER'])[1 + i % 4]::"MetricType",
       (ARRAY['POSITIVE','NEUTRAL','NEGATIVE',NULL])[1 + i % 4]::"Sentiment",
       ((i % 5) - 2) * 0.1
     FROM generate_series(1, $2) AS i`,
    [workspaceId, count],
  );
  log(`  ${count} responses in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const t1 = Date.now();
  await client.query(
    `INSERT INTO "Tag" (id, "workspaceId", name, "displayName", mode, "updatedAt")
     SELECT gen_random_uuid(), $1::uuid, 'TAG ' || k, 'tag ' || k, 'MANUAL'::"TagMode", now() FROM generate_series(0, $2 - 1) AS k
     UNION ALL SELECT gen_random_uuid(), $1::uuid, 'RARE', 'rare', 'MANUAL'::"TagMode", now()`,
    [workspaceId, TAGS],
  );
  // tag k goes to the responses whose row number is k modulo TAGS; RARE to every 1000th
  await client.query(
    `WITH numbered AS (SELECT id, "feedbackDate", row_number() OVER (ORDER BY "feedbackDate") AS n FROM "Response" WHERE "workspaceId" = $1::uuid),
          tags AS (SELECT id, name FROM "Tag" WHERE "workspaceId" = $1::uuid)
     INSERT INTO "ResponseTag" ("responseId", "tagId", "feedbackDate")
     SELECT r.id, t.id, r."feedbackDate" FROM numbered r JOIN tags t ON t.name = 'TAG ' || (r.n % $2)
     UNION ALL
     SELECT r.id, t.id, r."feedbackDate" FROM numbered r JOIN tags t ON t.name = 'RARE' WHERE r.n % 1000 = 0`,
    [workspaceId, TAGS],
  );
  log(`  tags in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
}

export default async function feedback(ctx: BenchContext): Promise<string> {
  const client = new pg.Client({ connectionString: ctx.databaseUrl });
  await client.connect();
  client.on('error', () => {}); // the runner drops the database with force at the end
  const ws = (
    await client.query(
      `INSERT INTO "Workspace" (id, name, "updatedAt") VALUES (gen_random_uuid(), 'bench', now()), (gen_random_uuid(), 'other', now()) RETURNING id`,
    )
  ).rows.map((r) => r.id as string);
  const [workspaceId, otherId] = [ws[0]!, ws[1]!];
  await client.query(
    `INSERT INTO "FeedbackOnboarding" ("workspaceId", category, onboarded, "updatedAt") VALUES ($1, 'GENERAL', true, now()), ($2, 'GENERAL', true, now())`,
    [workspaceId, otherId],
  );
  ctx.log(`seeding ${N} + ${OTHER} responses`);
  const started = Date.now();
  await seed(client, workspaceId, N, ctx.log);
  await seed(client, otherId, OTHER, ctx.log);
  await client.query('VACUUM ANALYZE "Response"');
  await client.query('VACUUM ANALYZE "ResponseTag"');
  const seedSeconds = (Date.now() - started) / 1000;
  ctx.log(`seeded in ${seedSeconds.toFixed(1)} s`);

  const tagId = async (name: string) =>
    (await client.query(`SELECT id FROM "Tag" WHERE "workspaceId" = $1 AND name = $2`, [workspaceId, name])).rows[0].id as string;
  const common = await tagId('TAG 7');
  const rare = await tagId('RARE');
  const gid = (id: string) => Buffer.from(`Tag:${id}`).toString('base64');

  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: ctx.databaseUrl,
    LOG_LEVEL: 'silent',
    MIGRATE_ON_START: 'false',
    WORKER_CONCURRENCY: '0',
    RATE_LIMIT_PER_MINUTE: '0',
  });
  const server = await startServer(config);
  const { secret } = await createApiKey(server.db, workspaceId, null, { name: 'bench', scopes: ['READ'] });
  const post = async (query: string, variables: unknown) => {
    const res = await fetch(`${server.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { errors?: unknown[]; data?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };

  // 90 days in the middle of the two years
  const from = '2024-10-01';
  const to = '2024-12-29';
  const range = { feedbackDateFrom: parseDateBound(from)!, feedbackDateTo: parseDateBound(to)! };
  const listDoc = `query($f: ResponseFilter) { responses(filter: $f, first: 20) { edges { node { id feedback score metricType sentiment feedbackDate tags { name } } } pageInfo { hasNextPage endCursor } } }`;
  const npsDoc = `query($f: ResponseFilter) { responseMetrics(filter: $f) { nps npsResponseCount csat ces responseCount } }`;

  /** The statements the server sends: the id page (then one node load by primary key), or the aggregate. */
  const pageSql = (f: ResponseFilter) => responsePageSql(workspaceId, f, 'FEEDBACK_DATE_DESC', { first: 20 }).sql;
  const npsSql = (f: ResponseFilter) => responseMetricsSql(workspaceId, f);
  const direct = (sql: Prisma.Sql) => () => client.query(sql.text, sql.values as unknown[]);
  const tagsDoc = `{ tags(first: 25) { edges { node { name responseCount usage sentimentBreakdown { positive neutral negative none } } } } }`;
  // the tags page sorted by response count, with every listed tag's statistics from the same pass
  const tagsPageSql = Prisma.sql`SELECT t.id, CAST(COALESCE(c.n, 0) AS text) AS k0, c.n, c.pos, c.neu, c.neg, c.none FROM "Tag" t LEFT JOIN (
      SELECT rt."tagId", count(*) AS n,
        count(*) FILTER (WHERE rt.sentiment = 'POSITIVE') AS pos, count(*) FILTER (WHERE rt.sentiment = 'NEUTRAL') AS neu,
        count(*) FILTER (WHERE rt.sentiment = 'NEGATIVE') AS neg, count(*) FILTER (WHERE rt.sentiment IS NULL) AS none
      FROM "ResponseTag" rt
      WHERE rt."tagId" IN (SELECT id FROM "Tag" WHERE "workspaceId" = CAST(${workspaceId} AS uuid)) GROUP BY rt."tagId") c ON c."tagId" = t.id
    WHERE t."workspaceId" = CAST(${workspaceId} AS uuid) ORDER BY COALESCE(c.n, 0) DESC, t.name ASC, t.id ASC LIMIT 26`;

  const cases: Array<{ name: string; doc: string; vars: unknown; sql: Prisma.Sql }> = [
    {
      name: 'list: common tag (5%) + 90 days',
      doc: listDoc,
      vars: { f: { tagIds: [gid(common)], feedbackDateFrom: from, feedbackDateTo: to } },
      sql: pageSql({ tagIds: [common], ...range }),
    },
    {
      name: 'list: rare tag (0.1%) + 90 days',
      doc: listDoc,
      vars: { f: { tagIds: [gid(rare)], feedbackDateFrom: from, feedbackDateTo: to } },
      sql: pageSql({ tagIds: [rare], ...range }),
    },
    { name: 'list: 90 days, no tag', doc: listDoc, vars: { f: { feedbackDateFrom: from, feedbackDateTo: to } }, sql: pageSql({ ...range }) },
    {
      name: 'NPS: common tag + 90 days',
      doc: npsDoc,
      vars: { f: { tagIds: [gid(common)], feedbackDateFrom: from, feedbackDateTo: to } },
      sql: npsSql({ tagIds: [common], ...range }),
    },
    {
      name: `NPS: 90 days (~${Math.round((N * 90) / 730 / 1000)}k responses)`,
      doc: npsDoc,
      vars: { f: { feedbackDateFrom: from, feedbackDateTo: to } },
      sql: npsSql({ ...range }),
    },
    { name: `NPS: whole workspace (${N.toLocaleString('en')})`, doc: npsDoc, vars: { f: {} }, sql: npsSql({}) },
  ];

  cases.push({ name: `tags with statistics (${TAGS + 1} tags)`, doc: tagsDoc, vars: {}, sql: tagsPageSql });
  const rows: Array<{ name: string } & Record<string, string | number>> = [];
  try {
    for (const c of cases) {
      const runs = c.name.includes('whole workspace') || c.name.startsWith('tags') ? Math.max(10, Math.floor(RUNS / 10)) : RUNS;
      ctx.log(`${c.name} (${runs} runs)`);
      const viaApi = await measure(() => post(c.doc, c.vars), { total: runs, concurrency: 1, warmup: 5 });
      const viaSql = await measure(direct(c.sql), { total: runs, concurrency: 1, warmup: 5 });
      rows.push({
        name: c.name,
        'GraphQL p50': ms(viaApi.p50),
        'GraphQL p99': ms(viaApi.p99),
        'direct SQL p50': ms(viaSql.p50),
        'direct SQL p99': ms(viaSql.p99),
        runs,
      });
    }
    const plan = await client.query(`EXPLAIN ${cases[0]!.sql.text}`, cases[0]!.sql.values as unknown[]);
    ctx.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
  } finally {
    await server.stop();
    await client.end();
  }
  return [
    `## Feedback: ${N.toLocaleString('en')} responses`,
    '',
    `${N.toLocaleString('en')} responses in the measured workspace plus ${OTHER.toLocaleString('en')} in another, over two years; 20 tags of 5% each and a RARE tag on 0.1%; seeded with generate_series in ${seedSeconds.toFixed(0)} s. ` +
      'GraphQL = a real HTTP request to the server (API key auth, onboarding check, id page in SQL + node load with tags, or the metrics aggregate). ' +
      'Direct SQL = the id-page or aggregate statement the server sends, run with `pg`. Sequential requests (concurrency 1).',
    '',
    table(rows),
  ].join('\n');
}
