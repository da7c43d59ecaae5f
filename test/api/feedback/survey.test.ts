import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import { ok, userError } from '../../helpers/graphql-client.js';
import { graphql } from '../../gql/index.js';
import type { FbSurveysQuery, SurveySort, SurveyStatus } from '../../gql/graphql.js';
import { onboard } from './helpers.js';

const CreateSurvey = graphql(`
  mutation FbCreateSurvey($input: CreateSurveyInput!) {
    createSurvey(input: $input) {
      __typename
      ... on MutationCreateSurveySuccess { data { id name type status nextStatuses questions { id type headline required choices scale metricType } singleUse { enabled isEncrypted } responseCount } }
      ...UserErrorFields
    }
  }
`);

const ChangeStatus = graphql(`
  mutation FbChangeStatus($id: ID!, $status: SurveyStatus!) {
    changeSurveyStatus(id: $id, status: $status) {
      __typename
      ... on MutationChangeSurveyStatusSuccess { data { id status } }
      ... on UserError { code message }
    }
  }
`);

const UpdateSurvey = graphql(`
  mutation FbUpdateSurvey($id: ID!, $input: UpdateSurveyInput!) {
    updateSurvey(id: $id, input: $input) {
      __typename
      ... on MutationUpdateSurveySuccess { data { id name questions { id } } }
      ... on UserError { code message issues { path code } }
    }
  }
`);

const DeleteSurvey = graphql(`
  mutation FbDeleteSurvey($id: ID!) {
    deleteSurvey(id: $id) {
      __typename
      ... on MutationDeleteSurveySuccess { data { deletedId deletedResponses } }
      ... on UserError { code message }
    }
  }
`);

const Surveys = graphql(`
  query FbSurveys($filter: SurveyFilter, $sortBy: SurveySort, $first: Int, $after: String) {
    surveys(filter: $filter, sortBy: $sortBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id name status type } }
    }
  }
`);

const Submit = graphql(`
  mutation FbSubmitForDelete($input: SubmitResponseInput!) {
    submitResponse(input: $input) { __typename ... on MutationSubmitResponseSuccess { data { id } } ... on UserError { code message } }
  }
`);

const NodeQuery = graphql(`query FbSurveyNode($id: ID!) { node(id: $id) { id ... on Survey { name } } }`);

const Q = [{ id: 'nps', type: 'NPS' as const, headline: 'Recommend us?' }];

describe('surveys', () => {
  let t: TestServer;
  let tenant: Tenant;
  let other: Tenant;
  const created: { id: string; name: string }[] = [];
  const as = () => t.client.as(tenant.key);

  async function create(name: string, type: 'LINK' | 'APP' = 'LINK', questions = Q) {
    const r = await as().data(CreateSurvey, { input: { name, type, questions } });
    const s = ok(r.createSurvey);
    created.push({ id: s.id, name });
    return s;
  }

  async function all(vars: { filter?: object; sortBy?: SurveySort }, first = 2) {
    const names: string[] = [];
    let after: string | null | undefined = null;
    for (let i = 0; i < 50; i++) {
      const page: FbSurveysQuery['surveys'] = (await as().data(Surveys, { ...vars, first, after })).surveys;
      names.push(...page.edges.map((e) => e.node.name));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    return names;
  }

  beforeAll(async () => {
    t = await startTestServer();
    tenant = await createTenant(t.server.db);
    other = await createTenant(t.server.db);
    await onboard(t.client.as(tenant.key));
    await onboard(t.client.as(other.key));
    // names chosen for RELEVANCE: exact, prefix, word start, inner match, no match
    for (const [name, type] of [
      ['Onboarding pulse', 'APP'],
      ['Checkout NPS', 'LINK'],
      ['nps', 'LINK'],
      ['Quarterly NPS survey', 'APP'],
      ['NPS follow-up', 'LINK'],
      ['Snpshot', 'LINK'],
      ['Churn exit', 'APP'],
    ] as const) {
      await create(name, type);
      await new Promise((r) => setTimeout(r, 5)); // distinct timestamps
    }
  });
  afterAll(() => t?.stop());

  it('creates a DRAFT survey with normalised questions', async () => {
    const s = await create('Full survey', 'APP', [
      { id: 'q1', type: 'NPS', headline: ' How likely? ' },
      { id: 'q2', type: 'RATING', headline: 'Satisfied?', metricType: 'CSAT' } as never,
      { id: 'q3', type: 'SINGLE_CHOICE', headline: 'Plan', choices: ['Free', 'Pro'] } as never,
      { id: 'q4', type: 'OPEN_TEXT', headline: 'Why?', required: false } as never,
    ]);
    expect(s.status).toBe('DRAFT');
    expect(s.nextStatuses).toEqual(['IN_PROGRESS']);
    expect(s.questions).toEqual([
      { id: 'q1', type: 'NPS', headline: 'How likely?', required: true, choices: null, scale: null, metricType: 'NPS' },
      { id: 'q2', type: 'RATING', headline: 'Satisfied?', required: true, choices: null, scale: 5, metricType: 'CSAT' },
      { id: 'q3', type: 'SINGLE_CHOICE', headline: 'Plan', required: true, choices: ['Free', 'Pro'], scale: null, metricType: null },
      { id: 'q4', type: 'OPEN_TEXT', headline: 'Why?', required: false, choices: null, scale: null, metricType: null },
    ]);
    expect(s.singleUse).toEqual({ enabled: false, isEncrypted: false });
    expect(s.responseCount).toBe(0);
  });

  it('reports every invalid question at once', async () => {
    const r = await as().data(CreateSurvey, {
      input: {
        name: ' ',
        type: 'LINK',
        questions: [
          { id: 'a', type: 'RATING', headline: 'x', metricType: 'CES', scale: 5 },
          { id: 'a', type: 'SINGLE_CHOICE', headline: 'y', choices: ['only'] },
          { type: 'OPEN_TEXT', headline: '', scale: 3 },
        ],
      },
    });
    const e = userError(r.createSurvey);
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.issues.map((i) => `${i.path.join('.')}:${i.code}`).sort()).toEqual(
      [
        'input.name:REQUIRED',
        'input.questions.0.scale:INVALID_VALUE',
        'input.questions.1.id:DUPLICATE',
        'input.questions.1.choices:TOO_FEW',
        'input.questions.2.headline:REQUIRED',
        'input.questions.2.scale:NOT_ALLOWED',
      ].sort(),
    );
  });

  it('filters by name (case-insensitive), status and type, with totalCount', async () => {
    const r = await as().data(Surveys, { filter: { nameContains: 'nPs' }, sortBy: 'NAME', first: 100 });
    expect(r.surveys.edges.map((e) => e.node.name)).toEqual(['Checkout NPS', 'nps', 'NPS follow-up', 'Quarterly NPS survey', 'Snpshot']);
    expect(r.surveys.totalCount).toBe(5);
    const apps = await as().data(Surveys, { filter: { typeIn: ['APP'], nameContains: 'n' }, sortBy: 'NAME', first: 100 });
    expect(apps.surveys.edges.map((e) => e.node.name)).toEqual(['Churn exit', 'Onboarding pulse', 'Quarterly NPS survey']);
    const literal = await as().data(Surveys, { filter: { nameContains: '%' } });
    expect(literal.surveys.totalCount).toBe(0);
    const tooLong = await as().request(Surveys, { filter: { nameContains: 'x'.repeat(513) } });
    expect(tooLong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('sorts by RELEVANCE: exact, prefix, word start, inner; then match position', async () => {
    const r = await as().data(Surveys, { filter: { nameContains: 'NPS' }, sortBy: 'RELEVANCE', first: 100 });
    expect(r.surveys.edges.map((e) => e.node.name)).toEqual(['nps', 'NPS follow-up', 'Checkout NPS', 'Quarterly NPS survey', 'Snpshot']);
  });

  it('pages every sort with cursors and sees each survey exactly once in the right order', async () => {
    const names = created.map((c) => c.name);
    const byName = [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()) || (a < b ? -1 : 1));
    expect(await all({ sortBy: 'NAME' })).toEqual(byName);
    expect(await all({ sortBy: 'CREATED_AT' })).toEqual([...names].reverse());
    expect(await all({})).toEqual([...names].reverse()); // UPDATED_AT default; nothing updated yet
    expect(await all({ sortBy: 'RELEVANCE', filter: { nameContains: 'nps' } }, 1)).toEqual([
      'nps',
      'NPS follow-up',
      'Checkout NPS',
      'Quarterly NPS survey',
      'Snpshot',
    ]);
  });

  it('refuses a cursor reused with another sort or another relevance term', async () => {
    const first = await as().data(Surveys, { sortBy: 'NAME', first: 2 });
    const cursor = first.surveys.pageInfo.endCursor!;
    for (const sortBy of ['CREATED_AT', 'UPDATED_AT', 'RELEVANCE'] as const) {
      const r = await as().request(Surveys, { sortBy, first: 2, after: cursor });
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.extensions?.issues).toEqual([expect.objectContaining({ path: ['after'], code: 'CURSOR_MISMATCH' })]);
    }
    const rel = await as().data(Surveys, { sortBy: 'RELEVANCE', filter: { nameContains: 'nps' }, first: 1 });
    const r = await as().request(Surveys, { sortBy: 'RELEVANCE', filter: { nameContains: 'churn' }, first: 1, after: rel.surveys.pageInfo.endCursor });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const garbage = await as().request(Surveys, { after: 'not-a-cursor' });
    expect(garbage.errors?.[0]?.extensions?.issues).toEqual([expect.objectContaining({ code: 'INVALID_CURSOR' })]);
  });

  it('limits the page size to 0..100', async () => {
    for (const first of [-1, 101]) {
      const r = await as().request(Surveys, { first });
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect((await as().data(Surveys, { first: 1 })).surveys.edges).toHaveLength(1);
    expect((await as().data(Surveys, {})).surveys.edges.length).toBeLessThanOrEqual(25);
  });

  it('allows only legal status changes', async () => {
    const s = await create('Lifecycle');
    const go = async (status: SurveyStatus) => (await as().data(ChangeStatus, { id: s.id, status })).changeSurveyStatus;
    const illegal: Array<[SurveyStatus, SurveyStatus[]]> = [
      ['DRAFT', ['PAUSED', 'COMPLETED', 'DRAFT']],
      ['IN_PROGRESS', ['DRAFT', 'IN_PROGRESS']],
      ['PAUSED', ['DRAFT', 'PAUSED']],
      ['COMPLETED', ['DRAFT', 'IN_PROGRESS', 'PAUSED', 'COMPLETED']],
    ];
    const path: SurveyStatus[] = ['IN_PROGRESS', 'PAUSED', 'IN_PROGRESS', 'PAUSED', 'COMPLETED'];
    let current: SurveyStatus = 'DRAFT';
    const check = async () => {
      for (const bad of illegal.find(([from]) => from === current)![1]) {
        const e = userError(await go(bad));
        expect(e.code).toBe('CONFLICT');
        expect(e.message).toContain(`from ${current} to ${bad}`);
      }
    };
    await check();
    for (const next of path) {
      expect(ok(await go(next)).status).toBe(next);
      current = next;
      await check();
    }
  });

  it('will not start a survey without questions, and changes questions only while DRAFT or PAUSED', async () => {
    const empty = await create('Empty', 'LINK', []);
    expect(userError((await as().data(ChangeStatus, { id: empty.id, status: 'IN_PROGRESS' })).changeSurveyStatus).code).toBe('CONFLICT');
    const s = await create('Editable');
    ok((await as().data(UpdateSurvey, { id: s.id, input: { name: 'Editable 2', questions: [{ id: 'n2', type: 'NPS', headline: 'Again?' }] } })).updateSurvey);
    ok((await as().data(ChangeStatus, { id: s.id, status: 'IN_PROGRESS' })).changeSurveyStatus);
    const e = userError((await as().data(UpdateSurvey, { id: s.id, input: { questions: [] } })).updateSurvey);
    expect(e.code).toBe('CONFLICT');
    expect(ok((await as().data(UpdateSurvey, { id: s.id, input: { name: 'Renamed live' } })).updateSurvey).name).toBe('Renamed live');
  });

  it('deletes a survey with its responses', async () => {
    const s = await create('Doomed');
    ok((await as().data(ChangeStatus, { id: s.id, status: 'IN_PROGRESS' })).changeSurveyStatus);
    for (const n of [3, 9]) ok((await as().data(Submit, { input: { surveyId: s.id, answers: [{ questionId: 'nps', number: n }] } })).submitResponse);
    const d = ok((await as().data(DeleteSurvey, { id: s.id })).deleteSurvey);
    expect(d).toEqual({ deletedId: s.id, deletedResponses: 2 });
    expect(await t.server.db.response.count({ where: { workspaceId: tenant.workspaceId } })).toBe(0);
    expect((await as().data(NodeQuery, { id: s.id })).node).toBeNull();
  });

  it("answers another workspace's survey as not found", async () => {
    const s = created[0]!;
    const o = t.client.as(other.key);
    expect((await o.data(NodeQuery, { id: s.id })).node).toBeNull();
    expect((await o.data(Surveys, {})).surveys.totalCount).toBe(0);
    for (const r of [
      (await o.data(ChangeStatus, { id: s.id, status: 'IN_PROGRESS' })).changeSurveyStatus,
      (await o.data(UpdateSurvey, { id: s.id, input: { name: 'mine' } })).updateSurvey,
      (await o.data(DeleteSurvey, { id: s.id })).deleteSurvey,
      (await o.data(Submit, { input: { surveyId: s.id, answers: [] } })).submitResponse,
    ]) {
      expect(userError(r)).toMatchObject({ code: 'NOT_FOUND', message: 'Survey not found' });
    }
    expect((await as().data(NodeQuery, { id: s.id })).node).toMatchObject({ name: s.name });
  });
});
