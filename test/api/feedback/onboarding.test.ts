import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import { ok, userError } from '../../helpers/graphql-client.js';
import { graphql } from '../../gql/index.js';
import { createResponse, onboard, tagsOf } from './helpers.js';
import { runJobsUntilIdle } from '../../helpers/jobs.js';
import { PRODUCT_CATEGORIES } from '../../../src/modules/feedback/onboarding.catalog.js';

const OnboardingQuery = graphql(`
  query FbOnboarding {
    onboarding {
      onboarded
      category { key name smartTags }
      categories { key name smartTags }
      tags { name displayName mode enabled textMatchTerms }
    }
  }
`);

const UpdateOnboarding = graphql(`
  mutation FbUpdateOnboarding($input: UpdateOnboardingInput!) {
    updateOnboarding(input: $input) {
      __typename
      ... on MutationUpdateOnboardingSuccess { data { onboarded category { key } tags { name enabled } } }
      ...UserErrorFields
    }
  }
`);

const ProjectsQuery = graphql(`
  query FbOnboardingProjects { projects(first: 10) { totalCount edges { node { name } } } }
`);

const fakeId = (type: string) => Buffer.from(`${type}:00000000-0000-4000-8000-000000000000`).toString('base64');

/** Every feedback operation, with arguments that would otherwise be valid enough to reach the gate. */
const GATED: Array<{ name: string; kind: 'query' | 'mutation'; doc: string; vars?: Record<string, unknown> }> = [
  { name: 'projects', kind: 'query', doc: `{ projects { totalCount } }` },
  { name: 'responses', kind: 'query', doc: `{ responses { totalCount } }` },
  { name: 'responseMetrics', kind: 'query', doc: `{ responseMetrics { nps } }` },
  { name: 'tags', kind: 'query', doc: `{ tags { totalCount } }` },
  { name: 'project', kind: 'query', doc: `query($id: ID!) { project(id: $id) { id } }`, vars: { id: fakeId('Project') } },
  { name: 'response', kind: 'query', doc: `query($id: ID!) { response(id: $id) { id } }`, vars: { id: fakeId('Response') } },
  { name: 'tag', kind: 'query', doc: `query($id: ID!) { tag(id: $id) { id } }`, vars: { id: fakeId('Tag') } },
  { name: 'import', kind: 'query', doc: `query($id: ID!) { import(id: $id) { id } }`, vars: { id: fakeId('Import') } },
  { name: 'export', kind: 'query', doc: `query($id: ID!) { export(id: $id) { id } }`, vars: { id: fakeId('Export') } },
  { name: 'createProject', kind: 'mutation', doc: `mutation { createProject(name: "P") { ... on UserError { code message } } }` },
  {
    name: 'renameProject',
    kind: 'mutation',
    doc: `mutation($id: ID!) { renameProject(id: $id, name: "Q") { ... on UserError { code message } } }`,
    vars: { id: fakeId('Project') },
  },
  {
    name: 'deleteProject',
    kind: 'mutation',
    doc: `mutation($id: ID!) { deleteProject(id: $id) { ... on UserError { code message } } }`,
    vars: { id: fakeId('Project') },
  },
  { name: 'createResponse', kind: 'mutation', doc: `mutation { createResponse(input: { feedback: "hi" }) { ... on UserError { code message } } }` },
  {
    name: 'deleteResponse',
    kind: 'mutation',
    doc: `mutation($id: ID!) { deleteResponse(id: $id) { ... on UserError { code message } } }`,
    vars: { id: fakeId('Response') },
  },
  {
    name: 'addResponseTags',
    kind: 'mutation',
    doc: `mutation($id: ID!, $t: ID!) { addResponseTags(responseId: $id, tagIds: [$t]) { ... on UserError { code message } } }`,
    vars: { id: fakeId('Response'), t: fakeId('Tag') },
  },
  {
    name: 'removeResponseTags',
    kind: 'mutation',
    doc: `mutation($id: ID!, $t: ID!) { removeResponseTags(responseId: $id, tagIds: [$t]) { ... on UserError { code message } } }`,
    vars: { id: fakeId('Response'), t: fakeId('Tag') },
  },
  { name: 'createTag', kind: 'mutation', doc: `mutation { createTag(input: { name: "x", mode: MANUAL }) { ... on UserError { code message } } }` },
  {
    name: 'updateTag',
    kind: 'mutation',
    doc: `mutation($id: ID!) { updateTag(id: $id, input: { displayName: "y" }) { ... on UserError { code message } } }`,
    vars: { id: fakeId('Tag') },
  },
  { name: 'deleteTag', kind: 'mutation', doc: `mutation($id: ID!) { deleteTag(id: $id) { ... on UserError { code message } } }`, vars: { id: fakeId('Tag') } },
  { name: 'imports', kind: 'query', doc: `{ imports { totalCount } }` },
  {
    name: 'updateImport',
    kind: 'mutation',
    doc: `mutation($id: ID!) { updateImport(id: $id, input: { name: "I" }) { ... on UserError { code message } } }`,
    vars: { id: fakeId('Import') },
  },
  {
    name: 'deleteImport',
    kind: 'mutation',
    doc: `mutation($id: ID!) { deleteImport(id: $id) { ... on UserError { code message } } }`,
    vars: { id: fakeId('Import') },
  },
  { name: 'exports', kind: 'query', doc: `{ exports { totalCount } }` },
  { name: 'createExport', kind: 'mutation', doc: `mutation { createExport(type: RESPONSES) { ... on UserError { code message } } }` },
];

/** The survey product's operations: a new workspace's key uses them before any feedback onboarding. */
const OPEN = ['surveys', 'survey', 'createSurvey', 'updateSurvey', 'changeSurveyStatus', 'deleteSurvey', 'submitResponse'];

describe('feedback onboarding', () => {
  let t: TestServer;
  let fresh: Tenant;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestServer();
    fresh = await createTenant(t.server.db);
    tenant = await createTenant(t.server.db);
  });
  afterAll(() => t?.stop());

  it('lists the whole category catalog and is not onboarded at first', async () => {
    const { onboarding } = await t.client.as(fresh.key).data(OnboardingQuery);
    expect(onboarding.onboarded).toBe(false);
    expect(onboarding.category).toBeNull();
    expect(onboarding.tags).toEqual([]);
    const names = onboarding.categories.map((c) => c.name);
    for (const n of [
      'General',
      'SaaS DevOps',
      'SaaS Anc',
      'SaaS IDC',
      'SaaS Education CL',
      'SaaS GD',
      'SaaS Social Media',
      'SaaS Social Media HS',
      'E-Commerce',
      'E-Commerce-WGAC',
      'Employee Reviews',
      'Online Food Delivery',
      'Support Case Feedback',
      'SaaS RC',
      'Politicians Review',
    ])
      expect(names).toContain(n);
  });

  it.each(GATED)('$name fails FAILED_DEPENDENCY before onboarding', async ({ kind, doc, vars }) => {
    const r = await t.client.as(fresh.key).request(doc, vars);
    if (kind === 'query') {
      expect(r.errors?.[0]?.extensions?.code).toBe('FAILED_DEPENDENCY');
      expect(r.errors?.[0]?.message).toMatch(/onboarding/i);
    } else {
      expect(r.errors).toBeUndefined();
      const payload = Object.values(r.data as Record<string, { code: string; message: string }>)[0]!;
      expect(payload.code).toBe('FAILED_DEPENDENCY');
      expect(payload.message).toMatch(/onboarding/i);
    }
  });

  // the lists answer the gate in their page's own statement: arguments refused before it is asked must still yield to it
  it.each([
    { name: 'tags with a refused search', doc: `{ tags(search: "${'x'.repeat(513)}") { totalCount } }` },
    { name: 'responses with a cursor of another list', doc: `{ responses(after: "bm90IGEgY3Vyc29y") { totalCount } }` },
  ])('$name fails FAILED_DEPENDENCY before onboarding, not on its arguments', async ({ doc }) => {
    const r = await t.client.as(fresh.key).request(doc);
    expect(r.errors?.[0]?.extensions?.code).toBe('FAILED_DEPENDENCY');
  });

  it('covers every feedback root field in the gate table', async () => {
    const r = await t.client.request(`{ __schema { queryType { fields { name } } mutationType { fields { name } } } }`);
    const s = (r.data as { __schema: { queryType: { fields: { name: string }[] }; mutationType: { fields: { name: string }[] } } }).__schema;
    const feedbackish = /project|survey|response|tag|import|export/i;
    const all = [...s.queryType.fields, ...s.mutationType.fields].map((f) => f.name).filter((n) => feedbackish.test(n));
    // createImport is gated too (test/api/imports/imports.test.ts: it takes a multipart upload)
    expect(all.sort()).toEqual([...GATED.map((g) => g.name), ...OPEN, 'createImport'].sort());
  });

  it('lets a new workspace run the whole survey journey without onboarding', async () => {
    const key = (await createTenant(t.server.db)).key;
    const created = await t.client
      .as(key)
      .request(
        `mutation { createSurvey(input: { name: "Pulse", type: LINK, questions: [{ id: "nps", type: NPS, headline: "Recommend us?" }, { id: "why", type: OPEN_TEXT, headline: "Why?", required: false }] }) { __typename ... on MutationCreateSurveySuccess { data { id } } ... on UserError { code message } } }`,
      );
    expect(created.errors).toBeUndefined();
    const survey = ok((created.data as { createSurvey: { __typename: string; data: { id: string } } }).createSurvey);
    const started = await t.client
      .as(key)
      .request(`mutation($id: ID!) { changeSurveyStatus(id: $id, status: IN_PROGRESS) { __typename ... on UserError { code message } } }`, { id: survey.id });
    expect((started.data as { changeSurveyStatus: { __typename: string } }).changeSurveyStatus.__typename).toBe('MutationChangeSurveyStatusSuccess');
    const submitted = await t.client
      .as(key)
      .request(
        `mutation($id: ID!) { submitResponse(input: { surveyId: $id, answers: [{ questionId: "nps", number: 9 }, { questionId: "why", text: "Great support" }] }) { __typename ... on MutationSubmitResponseSuccess { data { score metricType sentiment } } ... on UserError { code message } } }`,
        { id: survey.id },
      );
    expect(ok((submitted.data as { submitResponse: { __typename: string; data: unknown } }).submitResponse)).toEqual({
      score: 9,
      metricType: 'NPS',
      sentiment: 'POSITIVE',
    });
    const list = await t.client.as(key).request(`{ surveys { totalCount edges { node { name status responseCount } } } }`);
    expect(list.errors).toBeUndefined();
    expect(list.data).toEqual({ surveys: { totalCount: 1, edges: [{ node: { name: 'Pulse', status: 'IN_PROGRESS', responseCount: 1 } }] } });
    // the feedback product's own operations stay closed for this workspace
    const gated = await t.client.as(key).request(`{ imports { totalCount } }`);
    expect(gated.errors?.[0]?.extensions?.code).toBe('FAILED_DEPENDENCY');
  });

  it('rejects an unknown first project name shape with an issue and writes nothing', async () => {
    const r = await t.client.as(fresh.key).data(UpdateOnboarding, { input: { category: 'GENERAL', onboarded: true, firstProjectName: '   ' } });
    const e = userError(r.updateOnboarding);
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.issues.map((i) => i.path.join('.'))).toEqual(['input.firstProjectName']);
    expect((await t.client.as(fresh.key).data(OnboardingQuery)).onboarding.onboarded).toBe(false);
  });

  it('onboarding creates the category SMART tags and the first project, then opens the gate', async () => {
    const r = await t.client.as(tenant.key).data(UpdateOnboarding, { input: { category: 'E_COMMERCE', onboarded: true, firstProjectName: 'Web shop' } });
    const data = ok(r.updateOnboarding);
    expect(data.onboarded).toBe(true);
    expect(data.category?.key).toBe('E_COMMERCE');
    const expected = PRODUCT_CATEGORIES.find((c) => c.key === 'E_COMMERCE')!
      .tags.map((x) => x.name)
      .sort();
    expect(data.tags.map((x) => x.name).sort()).toEqual(expected);
    const { onboarding } = await t.client.as(tenant.key).data(OnboardingQuery);
    expect(onboarding.tags.every((x) => x.mode === 'SMART' && x.enabled && x.textMatchTerms.length > 0)).toBe(true);
    const projects = await t.client.as(tenant.key).data(ProjectsQuery);
    expect(projects.projects.edges.map((e) => e.node.name)).toEqual(['Web shop']);
    expect(projects.projects.totalCount).toBe(1);
  });

  it('SMART tags apply to new responses by their terms', async () => {
    const r = await createResponse(t.client.as(tenant.key), { feedback: 'The DELIVERY was late and the refund took weeks' });
    expect(r.tags.map((x) => x.name).sort()).toEqual(['DELIVERY', 'RETURNS_AND_REFUNDS']);
  });

  it('switching category disables the old SMART tags and adds the new ones, applying them to existing responses', async () => {
    const before = await createResponse(t.client.as(tenant.key), { feedback: 'Pricing is fine but the interface is confusing' });
    expect(before.tags.map((x) => x.name)).toEqual(['PRICING']); // E-Commerce has PRICING, not USABILITY
    const r = await t.client.as(tenant.key).data(UpdateOnboarding, { input: { category: 'GENERAL', onboarded: true } });
    const tags = ok(r.updateOnboarding).tags;
    const enabled = tags
      .filter((x) => x.enabled)
      .map((x) => x.name)
      .sort();
    expect(enabled).toEqual(
      PRODUCT_CATEGORIES.find((c) => c.key === 'GENERAL')!
        .tags.map((x) => x.name)
        .sort(),
    );
    expect(tags.find((x) => x.name === 'DELIVERY')?.enabled).toBe(false);
    expect(await tagsOf(t.client.as(tenant.key), before.id)).toEqual(['PRICING']); // the RETAG job has not run yet
    await runJobsUntilIdle(t);
    expect(await tagsOf(t.client.as(tenant.key), before.id)).toEqual(['PRICING', 'USABILITY']);
  });

  it('needs MANAGE to change onboarding', async () => {
    const reader = await createTenant(t.server.db, ['READ', 'WRITE']);
    const r = await t.client.as(reader.key).request(UpdateOnboarding, { input: { category: 'GENERAL', onboarded: true } });
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('helper onboard works for other tests', async () => {
    const other = await createTenant(t.server.db);
    expect((await onboard(t.client.as(other.key))).onboarded).toBe(true);
  });
});
