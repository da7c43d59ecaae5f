/**
 * SQL statements per operation of the HTTP benchmark (bench/suites/http.ts), as a client sees
 * them in `x-sql-statements`. The credential's own statements are counted apart: they are what a
 * `{ __typename }` on the same, already-seen credential costs (one lookup without the credential
 * cache, none with it), and are subtracted. Each operation is sent with a small and a large page
 * (or few and many nested objects): the count must not change with the size.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { createEntries, createForm } from '../forms/helpers.js';
import { onboard } from '../feedback/helpers.js';

let t: TestServer;
let tenant: Tenant;
let c: GraphQLClient;
let db: pg.Client;
let credentialStatements: number;
let smallForm: string;
let form: string;
let module: string;

const FORM_FIELDS = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ key: `f${i + 1}`, label: `Field ${i + 1}`, type: i % 2 ? 'NUMBER' : 'TEXT', required: false }));

async function createModule(input: Record<string, unknown>): Promise<string> {
  const r = await c.data<any, any>(
    `mutation($i: ModuleInput!) { createModule(input: $i) { __typename ... on MutationCreateModuleSuccess { data { id } } ... on UserError { code message } } }`,
    { i: input },
  );
  expect(r.createModule.__typename, JSON.stringify(r.createModule)).toBe('MutationCreateModuleSuccess');
  return r.createModule.data.id;
}

/** Responses (each with `tagsPerResponse` tags), surveys and finished jobs, written in SQL. */
async function seedFeedbackAndJobs(workspaceId: string, tagsPerResponse: number) {
  await db.query(
    `insert into "Response" ("workspaceId", feedback, "feedbackDate", score, "metricType", sentiment)
     select $1::uuid, 'feedback ' || i, timestamp '2025-01-01' + i * interval '1 hour', i % 11, 'NPS', (array['POSITIVE','NEUTRAL','NEGATIVE'])[1 + i % 3]::"Sentiment"
     from generate_series(1, 30) as i`,
    [workspaceId],
  );
  await db.query(
    `insert into "Tag" (id, "workspaceId", name, "displayName", mode, "updatedAt")
     select gen_random_uuid(), $1::uuid, 'TAG ' || k, 'tag ' || k, 'MANUAL', now() from generate_series(1, 25) as k`,
    [workspaceId],
  );
  await db.query(
    `with r as (select id, "feedbackDate", sentiment, row_number() over (order by id) as n from "Response" where "workspaceId" = $1::uuid),
          t as (select id, row_number() over (order by name) as k from "Tag" where "workspaceId" = $1::uuid)
     insert into "ResponseTag" ("responseId", "tagId", "feedbackDate", sentiment)
     select r.id, t.id, r."feedbackDate", r.sentiment from r join t on t.k <= $2::int`,
    [workspaceId, tagsPerResponse],
  );
  await db.query(
    `insert into "Survey" (id, "workspaceId", name, type, status, "updatedAt")
     select gen_random_uuid(), $1::uuid, 'Survey ' || i, 'LINK', 'IN_PROGRESS', now() from generate_series(1, 25) as i`,
    [workspaceId],
  );
  await db.query(
    `insert into "Job" (id, "workspaceId", kind, name, status, "progressDone", "progressTotal", "updatedAt")
     select gen_random_uuid(), $1::uuid, 'EXPORT', 'export ' || i, 'OK', 1, 1, now() from generate_series(1, 25) as i`,
    [workspaceId],
  );
}

beforeAll(async () => {
  t = await startTestServer();
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
  tenant = await createTenant(t.server.db);
  c = t.client.as(tenant.key);
  // without the credential cache, a key is written `lastUsedAt` at most once a minute: a date in
  // the future keeps that write out of every request here, so the credential costs the same each time
  await db.query(`update "ApiKey" set "lastUsedAt" = now() + interval '1 day' where "workspaceId" = $1::uuid`, [tenant.workspaceId]);

  smallForm = (await createForm(c, { name: 'Small', fields: FORM_FIELDS(2) })).id;
  form = (await createForm(c, { name: 'Large', fields: FORM_FIELDS(10) })).id;
  await createEntries(
    c,
    form,
    Array.from({ length: 60 }, (_, i) => ({ f1: `text ${i}`, f2: i })),
  );
  await createEntries(c, smallForm, [{ f1: 'one' }]);
  module = await createModule({
    name: 'Deals',
    handle: 'deals',
    fields: [
      { key: 'name', label: 'Name', type: 'TEXT', required: true },
      { key: 'amount', label: 'Amount', type: 'NUMBER' },
      { key: 'stage', label: 'Stage', type: 'STATIC_SELECT', options: ['lead', 'won'].map((id) => ({ id, label: id })) },
    ],
  });
  await c.data<any, any>(`mutation($m: ID!, $v: [JSON!]!) { createModuleRecords(module: $m, values: $v) { __typename } }`, {
    m: module,
    v: Array.from({ length: 120 }, (_, i) => ({ name: `Deal ${i}`, amount: i * 10, stage: i % 2 ? 'won' : 'lead' })),
  });
  await onboard(c);
  await seedFeedbackAndJobs(tenant.workspaceId, 3);

  await c.request('{ __typename }');
  credentialStatements = (await c.request('{ __typename }')).statements;
});
afterAll(async () => {
  await db?.end();
  await t?.stop();
});

/** Statements of the operation beyond the credential's; the request must succeed. */
async function statements(query: string, variables: Record<string, unknown> = {}): Promise<{ count: number; data: any }> {
  const r = await c.request<any, any>(query, variables);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  expect(Number.isInteger(r.statements)).toBe(true);
  return { count: r.statements - credentialStatements, data: r.data };
}

describe('SQL statements per benchmarked operation (beyond the credential)', () => {
  it('costs the credential at most one statement once it has been seen, and nothing else for { __typename }', () => {
    expect(credentialStatements).toBeGreaterThanOrEqual(0);
    expect(credentialStatements).toBeLessThanOrEqual(1);
  });

  it('reports the time the request waited for its SQL in x-sql-ms (the HTTP benchmark compares it with the request)', async () => {
    const cached = await c.request('{ __typename }');
    const list = await c.request<any, any>('{ surveys(first: 20) { totalCount nodes { id name } } }');
    const sqlMs = (r: { headers: Headers }) => Number(r.headers.get('x-sql-ms'));
    if (cached.statements === 0) expect(sqlMs(cached)).toBe(0);
    expect(list.statements).toBeGreaterThan(0);
    expect(sqlMs(list)).toBeGreaterThan(0);
    expect(sqlMs(list)).toBeLessThan(60_000);
  });

  it('Q1: a form with its fields in one statement, for 2 fields as for 10', async () => {
    const Q1 = `query Q1($id: ID!) { form(id: $id) { id name fields { id key label type required position } } }`;
    const small = await statements(Q1, { id: smallForm });
    const large = await statements(Q1, { id: form });
    expect(large.data.form.fields).toHaveLength(10);
    expect(small.data.form.fields).toHaveLength(2);
    expect(large.count).toBe(1);
    expect(small.count).toBe(large.count);
  });

  it('Q2: a form with a page of entries in two statements, for 5 entries as for 50', async () => {
    const Q2 = `query Q2($id: ID!, $first: Int) { form(id: $id) { name entries(first: $first, orderBy: [{field: "createdAt", direction: DESC}]) { edges { node { id values createdAt } } } } }`;
    const small = await statements(Q2, { id: form, first: 5 });
    const large = await statements(Q2, { id: form, first: 50 });
    expect(large.data.form.entries.edges).toHaveLength(50);
    expect(large.count).toBeLessThanOrEqual(2);
    expect(small.count).toBe(large.count);
  });

  it('a filtered, sorted page of module records in two statements, for 5 records as for 50', async () => {
    const Q = `query($id: ID!, $first: Int) { module(id: $id) { records(first: $first, filter: { field: "stage", operator: IS, value: "won" }, orderBy: [{ field: "amount", direction: DESC }]) { edges { node { id version values } } } } }`;
    const small = await statements(Q, { id: module, first: 5 });
    const large = await statements(Q, { id: module, first: 50 });
    expect(large.data.module.records.edges).toHaveLength(50);
    expect(large.data.module.records.edges.every((e: any) => e.node.values.stage === 'won')).toBe(true);
    expect(large.count).toBeLessThanOrEqual(2);
    expect(small.count).toBe(large.count);
  });

  it('jobs with totalCount in two statements, for 2 jobs as for 20', async () => {
    const Q = `query($first: Int) { jobs(first: $first) { totalCount edges { node { id kind name status progress { done total } createdAt } } } }`;
    const small = await statements(Q, { first: 2 });
    const large = await statements(Q, { first: 20 });
    expect(large.data.jobs.edges).toHaveLength(20);
    expect(large.data.jobs.totalCount).toBe(25);
    expect(large.count).toBeLessThanOrEqual(2);
    expect(small.count).toBe(large.count);
  });

  it('a createEntry mutation in two statements (schema, then the validated insert)', async () => {
    const M = `mutation($f: ID!, $v: JSON!) { createEntry(form: $f, values: $v) { __typename ... on MutationCreateEntrySuccess { data { id values } } } }`;
    const r = await statements(M, { f: form, v: { f1: 'bench', f2: 7 } });
    expect(r.data.createEntry.__typename).toBe('MutationCreateEntrySuccess');
    expect(r.count).toBeLessThanOrEqual(2);
  });

  it('responses with their tags in two statements (page with the onboarding gate, then the nodes with their tags), for 2 responses as for 20, each with 3 tags', async () => {
    const Q = `query($first: Int) { responses(first: $first) { edges { node { id feedback score metricType sentiment feedbackDate tags { name } } } pageInfo { hasNextPage endCursor } } }`;
    const small = await statements(Q, { first: 2 });
    const large = await statements(Q, { first: 20 });
    expect(large.data.responses.edges).toHaveLength(20);
    expect(large.data.responses.edges.every((e: any) => e.node.tags.length === 3)).toBe(true);
    expect(large.count).toBeLessThanOrEqual(2);
    expect(small.count).toBe(large.count);
  });

  it('surveys with totalCount in two statements (page with the count, then the nodes), for 2 surveys as for 20', async () => {
    const Q = `query($first: Int) { surveys(first: $first) { totalCount edges { node { id name type status createdAt } } } }`;
    const small = await statements(Q, { first: 2 });
    const large = await statements(Q, { first: 20 });
    expect(large.data.surveys.edges).toHaveLength(20);
    expect(large.data.surveys.totalCount).toBe(25);
    expect(small.data.surveys.totalCount).toBe(25);
    expect(large.count).toBeLessThanOrEqual(2);
    expect(small.count).toBe(large.count);
  });

  it('tags with statistics in two statements (page with the gate, statistics and response total, then the nodes), for 2 tags as for 20', async () => {
    const Q = `query($first: Int) { tags(first: $first) { edges { node { name responseCount usage sentimentBreakdown { positive neutral negative none } } } } }`;
    const small = await statements(Q, { first: 2 });
    const large = await statements(Q, { first: 20 });
    expect(large.data.tags.edges).toHaveLength(20);
    expect(large.data.tags.edges[0].node.responseCount).toBe(30);
    expect(large.data.tags.edges[0].node.usage).toBe(100);
    expect(large.count).toBeLessThanOrEqual(2);
    expect(small.count).toBe(large.count);
  });
});
