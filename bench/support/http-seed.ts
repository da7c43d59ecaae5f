/**
 * Data for the HTTP benchmark: the PostGraphile peer's forms (FORMS x 10 fields, ENTRIES each,
 * "Form 1" newest), a CRM module of records, feedback (responses with tags, surveys) and finished
 * jobs. Forms and the module are created through the API; their rows are inserted in SQL.
 */
import type pg from 'pg';

export interface Seeded {
  form1: string;
  form2: string;
  module: string;
}

export interface SeedSizes {
  forms: number;
  entries: number;
  moduleRecords: number;
  responses: number;
  tags: number;
  surveys: number;
  jobs: number;
}

type Gql = (query: string, variables?: Record<string, unknown>) => Promise<any>;

const TYPES = ['TEXT', 'NUMBER', 'EMAIL', 'DATETIME', 'BOOLEAN'];
const FORM_FIELDS = Array.from({ length: 10 }, (_, i) => ({ key: `f${i + 1}`, label: `Field ${i + 1}`, type: TYPES[i % 5], required: (i + 1) % 3 === 0 }));

// the peer's values (sql/02_seed.sql): g numbers entries across all forms
const ENTRY_VALUES = `jsonb_build_object('f1', 'text value ' || g, 'f2', (g * 7) % 1000, 'f3', 'user' || g || '@example.com',
  'f4', to_char(timestamp '2024-01-01' + (g % 365) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'f5', g % 2 = 0,
  'f6', 'another text ' || to_hex(g), 'f7', g % 97, 'f8', 'person' || (g % 500) || '@example.org',
  'f9', to_char(timestamp '2023-06-01' + (g % 200) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'f10', g % 3 = 0)`;

async function insertRecords(db: pg.Client, workspaceId: string, collectionId: string, first: number, count: number, values: string) {
  await db.query(
    `insert into "Record" (id, "workspaceId", "collectionId", values, "autoNumber", "createdAt", "updatedAt")
     select gen_random_uuid(), $1::uuid, $2::uuid, ${values}, i, timestamp '2025-01-01' + i * interval '1 minute', now()
     from generate_series(1, $4::int) as i, lateral (select $3::int + i as g) x`,
    [workspaceId, collectionId, first, count],
  );
  await db.query(`update "Collection" set "nextAutoNumber" = $2::int + 1 where id = $1::uuid`, [collectionId, count]);
}

const idOf = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;

export async function seed(gql: Gql, db: pg.Client, workspaceId: string, n: SeedSizes, log: (line: string) => void): Promise<Seeded> {
  const started = Date.now();
  let form1 = '';
  let form2 = '';
  for (let f = n.forms; f >= 1; f--) {
    const d = await gql(
      `mutation($i: FormInput!) { createForm(input: $i) { ... on MutationCreateFormSuccess { data { id } } ... on UserError { code message } } }`,
      {
        i: { name: `Form ${f}`, fields: FORM_FIELDS },
      },
    );
    const id = d.createForm.data?.id as string | undefined;
    if (!id) throw new Error(JSON.stringify(d));
    await insertRecords(db, workspaceId, idOf(id), (f - 1) * n.entries, n.entries, ENTRY_VALUES);
    if (f === 1) form1 = id;
    if (f === 2) form2 = id;
  }
  log(`${n.forms} forms x ${n.entries} entries in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const m = await gql(
    `mutation($i: ModuleInput!) { createModule(input: $i) { ... on MutationCreateModuleSuccess { data { id } } ... on UserError { code message } } }`,
    {
      i: {
        name: 'Deals',
        handle: 'deals',
        fields: [
          { key: 'name', label: 'Name', type: 'TEXT', required: true },
          { key: 'amount', label: 'Amount', type: 'NUMBER' },
          { key: 'stage', label: 'Stage', type: 'STATIC_SELECT', options: ['lead', 'won', 'lost'].map((id) => ({ id, label: id })) },
        ],
      },
    },
  );
  const module = m.createModule.data?.id as string | undefined;
  if (!module) throw new Error(JSON.stringify(m));
  await insertRecords(
    db,
    workspaceId,
    idOf(module),
    0,
    n.moduleRecords,
    `jsonb_build_object('name', 'Deal ' || g, 'amount', (g * 7919) % 100000, 'stage', (array['lead','won','lost'])[1 + g % 3])`,
  );

  await db.query(`insert into "FeedbackOnboarding" ("workspaceId", category, onboarded, "updatedAt") values ($1, 'GENERAL', true, now())`, [workspaceId]);
  await db.query(
    `insert into "Response" ("workspaceId", feedback, "feedbackDate", score, "metricType", sentiment, "sentimentScore")
     select $1::uuid, 'feedback number ' || i, timestamp '2025-01-01' + i * interval '10 minutes', i % 11,
       (array['NPS','CSAT','CES','OTHER'])[1 + i % 4]::"MetricType", (array['POSITIVE','NEUTRAL','NEGATIVE',null])[1 + i % 4]::"Sentiment", ((i % 5) - 2) * 0.1
     from generate_series(1, $2::int) as i`,
    [workspaceId, n.responses],
  );
  await db.query(
    `insert into "Tag" (id, "workspaceId", name, "displayName", mode, "updatedAt")
     select gen_random_uuid(), $1::uuid, 'TAG ' || k, 'tag ' || k, 'MANUAL'::"TagMode", now() from generate_series(1, $2::int) as k`,
    [workspaceId, n.tags],
  );
  // every response gets two tags
  await db.query(
    `with r as (select id, "feedbackDate", sentiment, row_number() over (order by id) as n from "Response" where "workspaceId" = $1::uuid),
          t as (select id, row_number() over (order by name) - 1 as k from "Tag" where "workspaceId" = $1::uuid)
     insert into "ResponseTag" ("responseId", "tagId", "feedbackDate", sentiment)
     select r.id, t.id, r."feedbackDate", r.sentiment from r join t on t.k = r.n % $2::int or t.k = (r.n + 1) % $2::int`,
    [workspaceId, n.tags],
  );
  await db.query(
    `insert into "Survey" (id, "workspaceId", name, type, status, "updatedAt")
     select gen_random_uuid(), $1::uuid, 'Survey ' || i, 'LINK', 'IN_PROGRESS', now() from generate_series(1, $2::int) as i`,
    [workspaceId, n.surveys],
  );
  await db.query(
    `insert into "Job" (id, "workspaceId", kind, name, status, "progressDone", "progressTotal", attempts, "startedAt", "finishedAt", "updatedAt")
     select gen_random_uuid(), $1::uuid, 'EXPORT', 'export ' || i, 'OK', 10, 10, 1, now(), now(), now() from generate_series(1, $2::int) as i`,
    [workspaceId, n.jobs],
  );
  for (const table of ['Record', 'Response', 'ResponseTag', 'Tag', 'Survey', 'Job']) await db.query(`vacuum analyze "${table}"`);
  log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { form1, form2, module };
}
