import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import { ok, userError } from '../../helpers/graphql-client.js';
import { graphql } from '../../gql/index.js';
import type { ResponseFilter } from '../../gql/graphql.js';
import { createResponse, createTag, onboard } from './helpers.js';

const CreateSurvey = graphql(`
  mutation FbRespCreateSurvey($input: CreateSurveyInput!) {
    createSurvey(input: $input) { __typename ... on MutationCreateSurveySuccess { data { id } } ... on UserError { code message } }
  }
`);
const Start = graphql(`
  mutation FbRespStart($id: ID!) { changeSurveyStatus(id: $id, status: IN_PROGRESS) { __typename ... on MutationChangeSurveyStatusSuccess { data { status } } ... on UserError { code message } } }
`);
const Pause = graphql(`
  mutation FbRespPause($id: ID!) { changeSurveyStatus(id: $id, status: PAUSED) { __typename ... on MutationChangeSurveyStatusSuccess { data { status } } ... on UserError { code message } } }
`);
const Submit = graphql(`
  mutation FbRespSubmit($input: SubmitResponseInput!) {
    submitResponse(input: $input) {
      __typename
      ... on MutationSubmitResponseSuccess { data { id score metricType feedback sentiment sentimentScore answers { questionId text number choices } survey { id responseCount } projects { name } properties { key dataType value } } }
      ...UserErrorFields
    }
  }
`);
const Create = graphql(`
  mutation FbRespCreate($input: CreateResponseInput!) {
    createResponse(input: $input) {
      __typename
      ... on MutationCreateResponseSuccess { data { id score metricType sentiment feedback survey { id } tags { name } properties { key dataType value } } }
      ...UserErrorFields
    }
  }
`);
const Responses = graphql(`
  query FbResponses($filter: ResponseFilter, $sortBy: ResponseSort, $first: Int, $after: String) {
    responses(filter: $filter, sortBy: $sortBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id feedback score feedbackDate } }
    }
  }
`);
const Metrics = graphql(`
  query FbMetrics($filter: ResponseFilter) {
    responseMetrics(filter: $filter) { responseCount nps npsResponseCount promoters passives detractors csat csatResponseCount ces cesResponseCount }
    responses(filter: $filter, first: 1) { totalCount metrics { nps csat ces responseCount } }
  }
`);
const NodeQuery = graphql(`query FbRespNode($id: ID!) { node(id: $id) { id } }`);
const Delete = graphql(
  `mutation FbRespDelete($id: ID!) { deleteResponse(id: $id) { __typename ... on MutationDeleteResponseSuccess { data { deletedId } } ... on UserError { code message } } }`,
);
const AddTags = graphql(`
  mutation FbRespAddTags($id: ID!, $tags: [ID!]!) {
    addResponseTags(responseId: $id, tagIds: $tags) { __typename ... on MutationAddResponseTagsSuccess { data { tags { name } } } ... on UserError { code message issues { path code } } }
  }
`);
const CreateProject = graphql(
  `mutation FbRespProject($name: String!) { createProject(name: $name) { __typename ... on MutationCreateProjectSuccess { data { id name } } ... on UserError { code } } }`,
);

const QUESTIONS = [
  { id: 'nps', type: 'NPS' as const, headline: 'Recommend?' },
  { id: 'csat', type: 'RATING' as const, headline: 'Satisfied?', metricType: 'CSAT' as const, required: false },
  { id: 'plan', type: 'SINGLE_CHOICE' as const, headline: 'Plan', choices: ['Free', 'Pro'], required: false },
  { id: 'why', type: 'OPEN_TEXT' as const, headline: 'Why?', required: false },
  { id: 'more', type: 'MULTIPLE_CHOICE' as const, headline: 'Also', choices: ['a', 'b', 'c'], required: false },
];

/** A small deterministic PRNG (mulberry32) so the data set is varied but reproducible. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe('responses', () => {
  let t: TestServer;
  let tenant: Tenant;
  let other: Tenant;
  let surveyId: string;
  const as = () => t.client.as(tenant.key);

  beforeAll(async () => {
    t = await startTestServer();
    tenant = await createTenant(t.server.db);
    other = await createTenant(t.server.db);
    await onboard(as());
    await onboard(t.client.as(other.key));
    surveyId = ok((await as().data(CreateSurvey, { input: { name: 'Main', type: 'LINK', questions: QUESTIONS } })).createSurvey).id;
  });
  afterAll(() => t?.stop());

  it('refuses submissions while the survey is not IN_PROGRESS', async () => {
    const r = await as().data(Submit, { input: { surveyId, answers: [{ questionId: 'nps', number: 9 }] } });
    expect(userError(r.submitResponse)).toMatchObject({ code: 'CONFLICT' });
    ok((await as().data(Start, { id: surveyId })).changeSurveyStatus);
  });

  it('validates every answer against the questions at once', async () => {
    const r = await as().data(Submit, {
      input: {
        surveyId,
        answers: [
          { questionId: 'csat', number: 6 },
          { questionId: 'plan', choices: ['Free', 'Pro'] },
          { questionId: 'ghost', text: 'boo' },
          { questionId: 'why', number: 3 },
          { questionId: 'more', choices: ['z'] },
        ],
      },
    });
    const e = userError(r.submitResponse);
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.issues.map((i) => `${i.path.join('.')}:${i.code}`).sort()).toEqual(
      [
        'input.answers:REQUIRED', // nps is required
        'input.answers.0.number:OUT_OF_RANGE',
        'input.answers.1.choices:INVALID_VALUE',
        'input.answers.2.questionId:UNKNOWN_QUESTION',
        'input.answers.3.number:NOT_ALLOWED',
        'input.answers.3.text:REQUIRED',
        'input.answers.4.choices:INVALID_CHOICE',
      ].sort(),
    );
    const nps = userError((await as().data(Submit, { input: { surveyId, answers: [{ questionId: 'nps', number: 11 }] } })).submitResponse);
    expect(nps.issues).toEqual([expect.objectContaining({ path: ['input', 'answers', '0', 'number'], code: 'OUT_OF_RANGE' })]);
    expect(await t.server.db.response.count({ where: { workspaceId: tenant.workspaceId } })).toBe(0);
  });

  it('derives score, metric type, feedback and sentiment from the answers', async () => {
    const p = ok((await as().data(CreateProject, { name: 'Mobile' })).createProject);
    const r = ok(
      (
        await as().data(Submit, {
          input: {
            surveyId,
            answers: [
              { questionId: 'why', text: 'I love the new dashboard, it is great' },
              { questionId: 'csat', number: 4 },
              { questionId: 'nps', number: 9 },
              { questionId: 'plan', choices: ['Pro'] },
            ],
            projectIds: [p.id],
            properties: [
              { key: 'plan', dataType: 'STRING', value: 'Pro' },
              { key: 'seats', dataType: 'NUMBER', value: '12.50' },
              { key: 'trial', dataType: 'BOOLEAN', value: 'YES' },
              { key: 'since', dataType: 'DATE', value: '2024-05-01' },
            ],
          },
        })
      ).submitResponse,
    );
    expect(r).toMatchObject({ score: 9, metricType: 'NPS', feedback: 'I love the new dashboard, it is great', sentiment: 'POSITIVE' });
    expect(r.sentimentScore).toBeGreaterThan(0.05);
    expect(r.answers).toEqual([
      { questionId: 'nps', text: null, number: 9, choices: null },
      { questionId: 'csat', text: null, number: 4, choices: null },
      { questionId: 'plan', text: null, number: null, choices: ['Pro'] },
      { questionId: 'why', text: 'I love the new dashboard, it is great', number: null, choices: null },
    ]);
    expect(r.survey).toEqual({ id: surveyId, responseCount: 1 });
    expect(r.projects).toEqual([{ name: 'Mobile' }]);
    expect(r.properties).toEqual([
      { key: 'plan', dataType: 'STRING', value: 'Pro' },
      { key: 'seats', dataType: 'NUMBER', value: '12.5' },
      { key: 'since', dataType: 'DATE', value: '2024-05-01T00:00:00.000Z' },
      { key: 'trial', dataType: 'BOOLEAN', value: 'true' },
    ]);
  });

  it('takes a CSAT score when no NPS question is answered, and no sentiment without text', async () => {
    const s = ok(
      (await as().data(CreateSurvey, { input: { name: 'CSAT only', type: 'APP', questions: [QUESTIONS[1]!, { ...QUESTIONS[3]!, required: false }] } }))
        .createSurvey,
    );
    ok((await as().data(Start, { id: s.id })).changeSurveyStatus);
    const r = ok((await as().data(Submit, { input: { surveyId: s.id, answers: [{ questionId: 'csat', number: 2 }] } })).submitResponse);
    expect(r).toMatchObject({ score: 2, metricType: 'CSAT', feedback: null, sentiment: null, sentimentScore: null });
    ok((await as().data(Pause, { id: s.id })).changeSurveyStatus);
    expect(userError((await as().data(Submit, { input: { surveyId: s.id, answers: [{ questionId: 'csat', number: 2 }] } })).submitResponse).code).toBe(
      'CONFLICT',
    );
  });

  it('enforces single-use ids', async () => {
    const s = ok(
      (await as().data(CreateSurvey, { input: { name: 'Once', type: 'LINK', questions: [QUESTIONS[0]!], singleUse: { enabled: true, isEncrypted: true } } }))
        .createSurvey,
    );
    ok((await as().data(Start, { id: s.id })).changeSurveyStatus);
    const answers = [{ questionId: 'nps', number: 7 }];
    expect(userError((await as().data(Submit, { input: { surveyId: s.id, answers } })).submitResponse).issues[0]).toMatchObject({ code: 'REQUIRED' });
    ok((await as().data(Submit, { input: { surveyId: s.id, answers, singleUseId: 'link-1' } })).submitResponse);
    expect(userError((await as().data(Submit, { input: { surveyId: s.id, answers, singleUseId: 'link-1' } })).submitResponse).code).toBe('CONFLICT');
  });

  it('computes sentiment on write with the thresholds', async () => {
    const cases: Array<[string, string | null]> = [
      ['Terrible support, I hate waiting', 'NEGATIVE'],
      ['Excellent, amazing product', 'POSITIVE'],
      ['We use it on Tuesdays', 'NEUTRAL'],
      ['   ', null],
    ];
    for (const [feedback, sentiment] of cases) {
      const r = ok((await as().data(Create, { input: { feedback } })).createResponse);
      expect(r.sentiment, feedback).toBe(sentiment);
    }
  });

  it('creates a response without a survey and validates its score by metric type', async () => {
    const r = ok((await as().data(Create, { input: { feedback: 'ok', score: 4.5, metricType: 'CSAT' } })).createResponse);
    expect(r).toMatchObject({ score: 4.5, metricType: 'CSAT', survey: null });
    const bad = userError(
      (
        await as().data(Create, {
          input: {
            score: 7.5,
            metricType: 'NPS',
            properties: [
              { key: 'n', dataType: 'NUMBER', value: 'abc' },
              { key: 'n', dataType: 'STRING', value: 'x' },
            ],
          },
        })
      ).createResponse,
    );
    expect(bad.issues.map((i) => `${i.path.join('.')}:${i.code}`).sort()).toEqual([
      'input.properties.0.value:INVALID_VALUE',
      'input.properties.1.key:DUPLICATE',
      'input.score:OUT_OF_RANGE',
    ]);
  });

  it('adds MANUAL tags only, honouring their filter rules', async () => {
    const vip = await createTag(as(), { name: 'vip', mode: 'MANUAL', filterRules: [{ type: 'PROPERTY_EQUALS', key: 'tier', value: 'gold' }] });
    const plain = await createTag(as(), { name: 'follow up', mode: 'MANUAL' });
    const auto = await createTag(as(), { name: 'auto', mode: 'TEXT_MATCH', textMatchTerms: ['zebra'] });
    const gold = await createResponse(as(), { feedback: 'x', properties: [{ key: 'tier', dataType: 'STRING', value: 'gold' }] });
    const silver = await createResponse(as(), { feedback: 'x', properties: [{ key: 'tier', dataType: 'STRING', value: 'silver' }] });
    expect(ok((await as().data(AddTags, { id: gold.id, tags: [vip.id, plain.id] })).addResponseTags).tags.map((x) => x.name)).toEqual(['FOLLOW UP', 'VIP']);
    const e = userError((await as().data(AddTags, { id: silver.id, tags: [plain.id, vip.id] })).addResponseTags);
    expect(e.issues).toEqual([{ path: ['tagIds', '1'], code: 'RULES_NOT_MET' }]);
    const e2 = userError((await as().data(AddTags, { id: silver.id, tags: [auto.id] })).addResponseTags);
    expect(e2.issues[0]?.code).toBe('NOT_MANUAL');
    const viaCreate = userError((await as().data(Create, { input: { feedback: 'y', tagIds: [vip.id] } })).createResponse);
    expect(viaCreate.issues).toEqual([expect.objectContaining({ path: ['input', 'tagIds', '0'], code: 'RULES_NOT_MET' })]);
  });

  describe('filters, paging and metrics over a generated set', () => {
    interface Row {
      id: string;
      date: string;
      metricType: 'NPS' | 'CSAT' | 'CES' | 'OTHER';
      score: number | null;
      feedback: string;
      tagged: boolean;
    }
    const rows: Row[] = [];
    let tagId: string;
    let wsB: Tenant;

    beforeAll(async () => {
      wsB = await createTenant(t.server.db);
      await onboard(t.client.as(wsB.key), 'POLITICIANS_REVIEW');
      const c = t.client.as(wsB.key);
      tagId = (await createTag(c, { name: 'flagged', mode: 'MANUAL' })).id;
      const rand = rng(42);
      const metrics = ['NPS', 'CSAT', 'CES', 'OTHER'] as const;
      for (let i = 0; i < 60; i++) {
        const metricType = metrics[Math.floor(rand() * 4)]!;
        const score =
          metricType === 'NPS'
            ? Math.floor(rand() * 11)
            : metricType === 'CSAT'
              ? 1 + Math.floor(rand() * 5)
              : metricType === 'CES'
                ? 1 + Math.floor(rand() * 7)
                : rand() < 0.5
                  ? null
                  : 42;
        const date = new Date(Date.UTC(2025, 0, 1 + i, 12)).toISOString();
        const tagged = rand() < 0.4;
        const feedback = rand() < 0.5 ? `order ${i} arrived` : `note ${i}`;
        const r = await createResponse(c, { feedback, feedbackDate: date, metricType, score, tagIds: tagged ? [tagId] : [] });
        rows.push({ id: r.id, date, metricType, score, feedback, tagged });
      }
    });

    function expected(sel: Row[]) {
      const nps = sel.filter((r) => r.metricType === 'NPS');
      const pro = nps.filter((r) => r.score! >= 9).length;
      const det = nps.filter((r) => r.score! <= 6).length;
      const csat = sel.filter((r) => r.metricType === 'CSAT');
      const ces = sel.filter((r) => r.metricType === 'CES');
      return {
        responseCount: sel.length,
        npsResponseCount: nps.length,
        promoters: pro,
        detractors: det,
        passives: nps.length - pro - det,
        nps: nps.length ? (100 * pro) / nps.length - (100 * det) / nps.length : null,
        csatResponseCount: csat.length,
        csat: csat.length ? (100 * csat.filter((r) => r.score! >= 4).length) / csat.length : null,
        cesResponseCount: ces.length,
        ces: ces.length ? ces.reduce((a, r) => a + r.score!, 0) / ces.length : null,
      };
    }

    async function check(filter: ResponseFilter, sel: Row[]) {
      const d = await t.client.as(wsB.key).data(Metrics, { filter });
      const want = expected(sel);
      expect(sel.length).toBeGreaterThan(3); // a meaningful set
      const got = d.responseMetrics;
      for (const k of ['responseCount', 'npsResponseCount', 'promoters', 'passives', 'detractors', 'csatResponseCount', 'cesResponseCount'] as const)
        expect(got[k], k).toBe(want[k]);
      for (const k of ['nps', 'csat', 'ces'] as const) {
        if (want[k] === null) expect(got[k]).toBeNull();
        else {
          // rounded to two decimals for people to read
          expect(got[k], k).toBe(Math.round(got[k]! * 100) / 100);
          expect(Math.abs(got[k]! - want[k]!), k).toBeLessThanOrEqual(0.005 + 1e-9);
        }
      }
      expect(d.responses.totalCount).toBe(sel.length);
      expect(d.responses.metrics).toEqual({ nps: got.nps, csat: got.csat, ces: got.ces, responseCount: got.responseCount });
    }

    it('computes NPS, CSAT and CES for the whole set and for filtered subsets', async () => {
      await check({}, rows);
      const from = '2025-01-10T00:00:00.000Z';
      const to = '2025-02-15T00:00:00.000Z';
      await check(
        { feedbackDateFrom: from, feedbackDateTo: to },
        rows.filter((r) => r.date >= from && r.date <= to),
      );
      await check(
        { tagIds: [tagId] },
        rows.filter((r) => r.tagged),
      );
      await check(
        { tagIds: [tagId], feedbackDateFrom: from, feedbackDateTo: to },
        rows.filter((r) => r.tagged && r.date >= from && r.date <= to),
      );
      // date-only bounds are whole days (responses are at noon): 2025-02-14 includes that day's
      const [dayFrom, dayTo] = ['2025-01-10', '2025-02-14'];
      const inDays = (r: Row) => r.date >= dayFrom && r.date < '2025-02-15';
      expect(rows.some((r) => r.date.startsWith(dayTo))).toBe(true);
      await check({ feedbackDateFrom: dayFrom, feedbackDateTo: dayTo }, rows.filter(inDays));
      await check(
        { tagIds: [tagId], feedbackDateFrom: dayFrom, feedbackDateTo: dayTo },
        rows.filter((r) => r.tagged && inDays(r)),
      );
      await check(
        { feedbackDateTo: '2025-01-31' },
        rows.filter((r) => r.date < '2025-02-01'),
      );
      await check(
        { text: 'ARRIVED' },
        rows.filter((r) => r.feedback.includes('arrived')),
      );
      await check(
        { metricTypeIn: ['NPS', 'CES'] },
        rows.filter((r) => r.metricType === 'NPS' || r.metricType === 'CES'),
      );
      await check(
        { scoreMin: 3, scoreMax: 8 },
        rows.filter((r) => r.score !== null && r.score >= 3 && r.score <= 8),
      );
    });

    it('lists by feedbackDate descending by default, ascending on request, pages with cursors', async () => {
      const c = t.client.as(wsB.key);
      const want = rows
        .filter((r) => r.tagged)
        .sort((a, b) => (a.date < b.date ? 1 : -1))
        .map((r) => r.id);
      const got: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: { responses: { pageInfo: { hasNextPage: boolean; endCursor?: string | null }; edges: { node: { id: string } }[] } } = await c.data(
          Responses,
          { filter: { tagIds: [tagId] }, first: 7, after },
        );
        got.push(...page.responses.edges.map((e) => e.node.id));
        if (!page.responses.pageInfo.hasNextPage) break;
        after = page.responses.pageInfo.endCursor!;
      }
      expect(got).toEqual(want);
      const asc = await c.data(Responses, { sortBy: 'FEEDBACK_DATE_ASC', first: 3 });
      expect(asc.responses.edges.map((e) => e.node.id)).toEqual(rows.slice(0, 3).map((r) => r.id));
      const desc = await c.data(Responses, { first: 3 });
      const r = await c.request(Responses, { sortBy: 'FEEDBACK_DATE_ASC', after: desc.responses.pageInfo.endCursor });
      expect(r.errors?.[0]?.extensions?.issues).toEqual([expect.objectContaining({ code: 'CURSOR_MISMATCH' })]);
    });

    it('loads a page with a bounded number of SQL statements whatever its size', async () => {
      const doc = `query($n: Int) { responses(first: $n) { edges { node { id tags { name } projects { name } properties { key } survey { name } } } } }`;
      const small = await t.client.as(wsB.key).request(doc, { n: 2 });
      const large = await t.client.as(wsB.key).request(doc, { n: 50 });
      expect(large.errors).toBeUndefined();
      expect(small.statements).toBeGreaterThan(0);
      expect(large.statements).toBe(small.statements);
    });
  });

  it("answers another workspace's responses as not found and never lists them", async () => {
    const mine = await createResponse(as(), { feedback: 'secret' });
    const o = t.client.as(other.key);
    expect((await o.data(NodeQuery, { id: mine.id })).node).toBeNull();
    expect(userError((await o.data(Delete, { id: mine.id })).deleteResponse)).toMatchObject({ code: 'NOT_FOUND', message: 'Response not found' });
    expect((await o.data(Responses, {})).responses.totalCount).toBe(0);
    expect((await o.data(Metrics, {})).responseMetrics.responseCount).toBe(0);
    const theirTag = await createTag(o, { name: 'theirs', mode: 'MANUAL' });
    expect(userError((await as().data(AddTags, { id: mine.id, tags: [theirTag.id] })).addResponseTags).issues[0]).toMatchObject({ code: 'NOT_FOUND' });
    expect(ok((await as().data(Delete, { id: mine.id })).deleteResponse).deletedId).toBe(mine.id);
  });
});
