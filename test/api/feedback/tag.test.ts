import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import { ok, userError } from '../../helpers/graphql-client.js';
import { graphql } from '../../gql/index.js';
import type { TagSort } from '../../gql/graphql.js';
import { runJobsUntilIdle } from '../../helpers/jobs.js';
import { createResponse, createTag, onboard, tagsOf } from './helpers.js';
import { analyzeSentiment } from '../../../src/modules/feedback/sentiment.js';

const CreateTag = graphql(`
  mutation FbCreateTag($input: CreateTagInput!) {
    createTag(input: $input) {
      __typename
      ... on MutationCreateTagSuccess { data { id name displayName mode enabled textMatchTerms filterRules { type min max metricTypes key value } parent { name } scopeByParent } }
      ...UserErrorFields
    }
  }
`);
const UpdateTag = graphql(`
  mutation FbUpdateTag($id: ID!, $input: UpdateTagInput!) {
    updateTag(id: $id, input: $input) {
      __typename
      ... on MutationUpdateTagSuccess { data { id name displayName enabled textMatchTerms parent { name } } }
      ...UserErrorFields
    }
  }
`);
const DeleteTag = graphql(`
  mutation FbDeleteTag($id: ID!) { deleteTag(id: $id) { __typename ... on MutationDeleteTagSuccess { data { deletedId } } ... on UserError { code message } } }
`);
const Tags = graphql(`
  query FbTags($search: String, $nested: Boolean, $noStats: Boolean, $excludeDisabled: Boolean, $sortBy: TagSort, $first: Int, $after: String) {
    tags(search: $search, nested: $nested, noStats: $noStats, excludeDisabled: $excludeDisabled, sortBy: $sortBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name mode enabled responseCount usage sentimentBreakdown { positive neutral negative none } children { name } } }
    }
  }
`);
const TagJob = graphql(`query FbTagJob($id: ID!) { node(id: $id) { ... on Tag { retagJob { kind status progress { done total } } } } }`);
const TagNode = graphql(`query FbTagNode($id: ID!) { node(id: $id) { id } }`);

describe('tags', () => {
  let t: TestServer;
  let tenant: Tenant;
  let other: Tenant;
  const as = () => t.client.as(tenant.key);

  beforeAll(async () => {
    t = await startTestServer();
    tenant = await createTenant(t.server.db);
    other = await createTenant(t.server.db);
    await onboard(as(), 'POLITICIANS_REVIEW');
    await onboard(t.client.as(other.key));
  });
  afterAll(() => t?.stop());

  it('normalises names, and validates mode, terms, rules and parents all at once', async () => {
    const created = ok((await as().data(CreateTag, { input: { name: '  late   delivery ', mode: 'MANUAL' } })).createTag);
    expect(created).toMatchObject({ name: 'LATE DELIVERY', displayName: 'LATE DELIVERY', mode: 'MANUAL', enabled: true, textMatchTerms: [] });
    const dup = userError((await as().data(CreateTag, { input: { name: 'Late delivery', mode: 'TEXT_MATCH', textMatchTerms: ['late'] } })).createTag);
    expect(dup.issues).toEqual([expect.objectContaining({ path: ['input', 'name'], code: 'DUPLICATE' })]);
    const bad = userError(
      (
        await as().data(CreateTag, {
          input: {
            name: 'x',
            mode: 'MANUAL',
            textMatchTerms: ['a'],
            scopeByParent: true,
            filterRules: [{ type: 'SCORE_RANGE', min: 5, max: 1 }, { type: 'METRIC_TYPE' }, { type: 'PROPERTY_EQUALS', key: 'plan', min: 1 }],
          },
        })
      ).createTag,
    );
    expect(bad.issues.map((i) => `${i.path.join('.')}:${i.code}`).sort()).toEqual(
      [
        'input.textMatchTerms:NOT_ALLOWED',
        'input.scopeByParent:NOT_ALLOWED',
        'input.filterRules.0.max:OUT_OF_RANGE',
        'input.filterRules.1.metricTypes:REQUIRED',
        'input.filterRules.2.min:NOT_ALLOWED',
        'input.filterRules.2.value:REQUIRED',
      ].sort(),
    );
    const terms = userError(
      (
        await as().data(CreateTag, {
          input: { name: 'y', mode: 'TEXT_MATCH', textMatchTerms: [...Array.from({ length: 100 }, (_, i) => `w${i}`), '-dash', ' '] },
        })
      ).createTag,
    );
    expect(terms.issues.map((i) => `${i.path.join('.')}:${i.code}`).sort()).toEqual(
      ['input.textMatchTerms:TOO_MANY', 'input.textMatchTerms.100:INVALID_VALUE', 'input.textMatchTerms.101:REQUIRED'].sort(),
    );
    const smart = await as().request(`mutation { createTag(input: { name: "s", mode: SMART }) { __typename } }`);
    expect(smart.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED'); // UserTagMode has no SMART
  });

  it('applies a TEXT_MATCH tag to new responses on whole words, case-insensitively, with its rules', async () => {
    const refund = ok(
      (await as().data(CreateTag, { input: { name: 'refund', mode: 'TEXT_MATCH', textMatchTerms: ['refund', 'help desk', "can't pay"] } })).createTag,
    );
    const angry = ok(
      (
        await as().data(CreateTag, {
          input: {
            name: 'angry detractor',
            mode: 'TEXT_MATCH',
            textMatchTerms: ['refund'],
            filterRules: [
              { type: 'METRIC_TYPE', metricTypes: ['NPS'] },
              { type: 'SCORE_RANGE', max: 6 },
            ],
          },
        })
      ).createTag,
    );
    expect(angry.filterRules).toEqual([
      { type: 'METRIC_TYPE', min: null, max: null, metricTypes: ['NPS'], key: null, value: null },
      { type: 'SCORE_RANGE', min: null, max: 6, metricTypes: null, key: null, value: null },
    ]);
    const cases: Array<[string, { score?: number; metricType?: 'NPS' | 'CSAT' }, string[]]> = [
      ['I want a REFUND now', { score: 2, metricType: 'NPS' }, ['ANGRY DETRACTOR', 'REFUND']],
      ['Refund, please.', { score: 8, metricType: 'NPS' }, ['REFUND']],
      ['refund', { score: 2, metricType: 'CSAT' }, ['REFUND']],
      ['I was refunded quickly', {}, []],
      ['prefund the account', {}, []],
      ['the Help\n  Desk helped', {}, ['REFUND']],
      ['the helpdesk helped', {}, []],
      ["I CAN'T PAY this", {}, ['REFUND']],
      ['nothing relevant', {}, []],
    ];
    for (const [feedback, extra, want] of cases) {
      const r = await createResponse(as(), { feedback, ...extra });
      expect(r.tags.map((x) => x.name).sort(), feedback).toEqual(want);
    }
    // created before any response existed: nothing to re-tag, so no job
    expect((await as().data(TagJob, { id: refund.id })).node).toEqual({ retagJob: null });
  });

  it('re-tags existing responses in a RETAG job when a tag is created or changed', async () => {
    const old1 = await createResponse(as(), { feedback: 'The invoice was wrong' });
    const old2 = await createResponse(as(), { feedback: 'Invoices arrive late' });
    const manual = ok((await as().data(CreateTag, { input: { name: 'billing manual', mode: 'MANUAL' } })).createTag);
    await t.client
      .as(tenant.key)
      .data(`mutation($r: ID!, $t: [ID!]!) { addResponseTags(responseId: $r, tagIds: $t) { __typename } }`, { r: old2.id, t: [manual.id] });
    const billing = ok((await as().data(CreateTag, { input: { name: 'billing', mode: 'TEXT_MATCH', textMatchTerms: ['invoice'] } })).createTag);
    expect(await tagsOf(as(), old1.id)).toEqual([]); // not yet: the job has not run
    expect((await as().data(TagJob, { id: billing.id })).node).toMatchObject({ retagJob: { kind: 'RETAG', status: 'QUEUED' } });
    await runJobsUntilIdle(t);
    expect(await tagsOf(as(), old1.id)).toEqual(['BILLING']);
    expect(await tagsOf(as(), old2.id)).toEqual(['BILLING MANUAL']); // "Invoices" is not the word "invoice"
    const job = (await as().data(TagJob, { id: billing.id })).node as { retagJob: { status: string; progress: { done: number; total: number } } };
    const total = await t.server.db.response.count({ where: { workspaceId: tenant.workspaceId } });
    expect(job.retagJob).toMatchObject({ status: 'OK', progress: { done: total, total } });

    ok((await as().data(UpdateTag, { id: billing.id, input: { textMatchTerms: ['invoices'] } })).updateTag);
    await runJobsUntilIdle(t);
    expect(await tagsOf(as(), old1.id)).toEqual([]);
    expect(await tagsOf(as(), old2.id)).toEqual(['BILLING', 'BILLING MANUAL']);

    ok((await as().data(UpdateTag, { id: billing.id, input: { enabled: false } })).updateTag);
    await runJobsUntilIdle(t);
    expect(await tagsOf(as(), old2.id)).toEqual(['BILLING MANUAL']);
    const fresh = await createResponse(as(), { feedback: 'invoices again' });
    expect(fresh.tags).toEqual([]); // disabled tags apply to nothing
  });

  it('applies a scopeByParent child only where the parent tag is', async () => {
    const parent = ok((await as().data(CreateTag, { input: { name: 'shipping', mode: 'TEXT_MATCH', textMatchTerms: ['parcel'] } })).createTag);
    const child = ok(
      (
        await as().data(CreateTag, {
          input: { name: 'shipping damage', mode: 'TEXT_MATCH', textMatchTerms: ['broken'], parentId: parent.id, scopeByParent: true },
        })
      ).createTag,
    );
    expect(child.parent).toEqual({ name: 'SHIPPING' });
    expect((await createResponse(as(), { feedback: 'the parcel came broken' })).tags.map((x) => x.name).sort()).toEqual(['SHIPPING', 'SHIPPING DAMAGE']);
    expect((await createResponse(as(), { feedback: 'the app is broken' })).tags.map((x) => x.name)).toEqual([]);
    const cycle = userError((await as().data(UpdateTag, { id: parent.id, input: { parentId: child.id } })).updateTag);
    expect(cycle.issues).toEqual([expect.objectContaining({ path: ['input', 'parentId'], code: 'CYCLE' })]);
  });

  it('deletes a tag from every response; children become top-level', async () => {
    const parent = ok((await as().data(CreateTag, { input: { name: 'temp', mode: 'MANUAL' } })).createTag);
    const child = ok((await as().data(CreateTag, { input: { name: 'temp child', mode: 'MANUAL', parentId: parent.id } })).createTag);
    const r = await createResponse(as(), { feedback: 'x', tagIds: [parent.id, child.id] });
    expect(ok((await as().data(DeleteTag, { id: parent.id })).deleteTag).deletedId).toBe(parent.id);
    expect(await tagsOf(as(), r.id)).toEqual(['TEMP CHILD']);
    expect((await as().data(TagNode, { id: parent.id })).node).toBeNull();
    const c = await as().data(`query($id: ID!) { node(id: $id) { ... on Tag { parent { id } } } }`, { id: child.id });
    expect(c).toEqual({ node: { parent: null } });
  });

  it('upper-cases display names as the feedback product does, on create, on update and for existing rows', async () => {
    const mine = ok((await as().data(CreateTag, { input: { name: 'my-tag', mode: 'MANUAL' } })).createTag);
    expect(mine).toMatchObject({ name: 'MY-TAG', displayName: 'MY-TAG' });
    const shown = ok((await as().data(CreateTag, { input: { name: 'wait-times', displayName: ' Waiting   times ', mode: 'MANUAL' } })).createTag);
    expect(shown.displayName).toBe('WAITING TIMES');
    expect(ok((await as().data(UpdateTag, { id: mine.id, input: { displayName: 'my tag, renamed' } })).updateTag).displayName).toBe('MY TAG, RENAMED');
    const { onboarding } = (await as().data(`{ onboarding { tags { displayName } } }`)) as { onboarding: { tags: { displayName: string }[] } };
    const smart = onboarding.tags.map((x) => x.displayName);
    expect(smart.length).toBeGreaterThan(0);
    for (const d of smart) expect(d).toBe(d.toUpperCase());
    // a row written before display names were upper-cased: the migration brings it along
    const legacy = await t.server.db.tag.create({ data: { workspaceId: tenant.workspaceId, name: 'LEGACY', displayName: 'Legacy tag', mode: 'MANUAL' } });
    const migration = fs.readFileSync(
      path.resolve(import.meta.dirname, '../../../prisma/migrations/20261130084500_tag_display_names_upper_case/migration.sql'),
      'utf8',
    );
    await t.server.db.$executeRawUnsafe(migration.replace(/^--.*$/gm, ''));
    const read = await as().data(`query($id: ID!) { node(id: $id) { ... on Tag { displayName } } }`, {
      id: Buffer.from(`Tag:${legacy.id}`).toString('base64'),
    });
    expect(read).toEqual({ node: { displayName: 'LEGACY TAG' } });
  });

  it('allows only displayName, description and enabled on SMART tags, and never deleting them', async () => {
    const smart = (await t.server.db.tag.findFirst({ where: { workspaceId: tenant.workspaceId, mode: 'SMART' } }))!;
    const id = Buffer.from(`Tag:${smart.id}`).toString('base64');
    const e = userError((await as().data(UpdateTag, { id, input: { textMatchTerms: ['x'], name: 'n' } })).updateTag);
    expect(e.issues.map((i) => i.path.join('.')).sort()).toEqual(['input.name', 'input.textMatchTerms']);
    expect(ok((await as().data(UpdateTag, { id, input: { displayName: 'Economy & jobs' } })).updateTag).displayName).toBe('ECONOMY & JOBS');
    expect(userError((await as().data(DeleteTag, { id })).deleteTag).code).toBe('CONFLICT');
  });

  describe('statistics and listing', () => {
    let ws: Tenant;
    const c = () => t.client.as(ws.key);
    const feedbacks = [
      'great product, love it apple',
      'terrible apple support',
      'apple banana',
      'banana is fine',
      'banana awful bad',
      'cherry',
      '',
      'apple',
      'wonderful banana cherry',
      'nothing',
    ];
    beforeAll(async () => {
      ws = await createTenant(t.server.db);
      await onboard(t.client.as(ws.key), 'POLITICIANS_REVIEW');
      for (const name of ['apple', 'banana', 'cherry']) await createTag(c(), { name, mode: 'TEXT_MATCH', textMatchTerms: [name] });
      await createTag(c(), { name: 'unused', mode: 'MANUAL', enabled: false });
      const fruit = await createTag(c(), { name: 'fruit', mode: 'MANUAL' });
      await createTag(c(), { name: 'fruit kiwi', mode: 'MANUAL', parentId: fruit.id });
      for (const f of feedbacks) await createResponse(c(), { feedback: f || null });
      await runJobsUntilIdle(t);
    });

    it('computes responseCount, usage and sentiment breakdown like an independent count', async () => {
      const d = await c().data(Tags, { first: 100, search: 'a' });
      const smartCount = await t.server.db.tag.count({
        where: {
          workspaceId: ws.workspaceId,
          mode: 'SMART',
          OR: [{ name: { contains: 'A', mode: 'insensitive' } }, { displayName: { contains: 'a', mode: 'insensitive' } }],
        },
      });
      expect(d.tags.totalCount).toBe(smartCount + 2); // APPLE, BANANA (+ SMART tags containing "a")
      for (const name of ['apple', 'banana', 'cherry']) {
        const mine = feedbacks.filter((f) => new RegExp(`\\b${name}\\b`, 'i').test(f));
        const labels = mine.map((f) => analyzeSentiment(f || null).sentiment);
        const pct = (n: number) => (100 * n) / mine.length;
        const node = (await c().data(Tags, { search: name, first: 100 })).tags.edges.find((e) => e.node.name === name.toUpperCase())!.node;
        expect(node.responseCount).toBe(mine.length);
        expect(node.usage).toBeCloseTo((100 * mine.length) / feedbacks.length, 9);
        expect(node.sentimentBreakdown!.positive).toBeCloseTo(pct(labels.filter((l) => l === 'POSITIVE').length), 9);
        expect(node.sentimentBreakdown!.negative).toBeCloseTo(pct(labels.filter((l) => l === 'NEGATIVE').length), 9);
        expect(node.sentimentBreakdown!.neutral).toBeCloseTo(pct(labels.filter((l) => l === 'NEUTRAL').length), 9);
        expect(node.sentimentBreakdown!.none).toBeCloseTo(pct(labels.filter((l) => l === null).length), 9);
      }
      // the data set has mixed sentiment, so the breakdown checks above are not trivial
      expect(new Set(feedbacks.map((f) => analyzeSentiment(f || null).sentiment)).size).toBe(4);
    });

    it('sorts by response count (default), names and fewest responses, and pages without repeats', async () => {
      const mine = ['APPLE', 'BANANA', 'CHERRY', 'FRUIT', 'FRUIT KIWI', 'UNUSED'];
      const list = async (sortBy?: TagSort) => {
        const names: string[] = [];
        let after: string | null = null;
        for (;;) {
          const page: { tags: { pageInfo: { hasNextPage: boolean; endCursor?: string | null }; edges: { node: { name: string } }[] } } = await c().data(Tags, {
            sortBy,
            first: 4,
            after,
          });
          names.push(...page.tags.edges.map((e) => e.node.name));
          if (!page.tags.pageInfo.hasNextPage) return names.filter((n) => mine.includes(n));
          after = page.tags.pageInfo.endCursor!;
        }
      };
      expect(await list()).toEqual(['APPLE', 'BANANA', 'CHERRY', 'FRUIT', 'FRUIT KIWI', 'UNUSED']);
      expect(await list('NAME_ASC')).toEqual([...mine].sort());
      expect(await list('NAME_DESC')).toEqual([...mine].sort().reverse());
      expect(await list('RESPONSES_ASC')).toEqual(['FRUIT', 'FRUIT KIWI', 'UNUSED', 'CHERRY', 'APPLE', 'BANANA']);
      const first = await c().data(Tags, { first: 2 });
      const r = await c().request(Tags, { sortBy: 'NAME_ASC', after: first.tags.pageInfo.endCursor });
      expect(r.errors?.[0]?.extensions?.issues).toEqual([expect.objectContaining({ code: 'CURSOR_MISMATCH' })]);
    });

    it('lists nested, without stats, and without disabled tags', async () => {
      const nested = await c().data(Tags, { nested: true, search: 'fruit', sortBy: 'NAME_ASC' });
      expect(nested.tags.edges.map((e) => ({ name: e.node.name, children: e.node.children }))).toEqual([{ name: 'FRUIT', children: [{ name: 'FRUIT KIWI' }] }]);
      const flat = await c().data(Tags, { search: 'fruit', sortBy: 'NAME_ASC' });
      expect(flat.tags.edges.map((e) => e.node.name)).toEqual(['FRUIT', 'FRUIT KIWI']);
      const noStats = await c().request(Tags, { noStats: true, search: 'apple' });
      expect(noStats.errors).toBeUndefined();
      expect(noStats.data!.tags.edges[0]!.node).toMatchObject({ name: 'APPLE', responseCount: null, usage: null, sentimentBreakdown: null });
      expect((await c().request(Tags, { noStats: true, sortBy: 'RESPONSE_COUNT_DESC' })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const enabled = await c().data(Tags, { excludeDisabled: true, search: 'unused' });
      expect(enabled.tags.totalCount).toBe(0);
      expect((await c().data(Tags, { search: 'unused' })).tags.totalCount).toBe(1);
    });
  });

  it("answers another workspace's tags as not found", async () => {
    const mine = await createTag(as(), { name: 'private', mode: 'MANUAL' });
    const o = t.client.as(other.key);
    expect((await o.data(TagNode, { id: mine.id })).node).toBeNull();
    expect(userError((await o.data(UpdateTag, { id: mine.id, input: { displayName: 'x' } })).updateTag)).toMatchObject({
      code: 'NOT_FOUND',
      message: 'Tag not found',
    });
    expect(userError((await o.data(DeleteTag, { id: mine.id })).deleteTag)).toMatchObject({ code: 'NOT_FOUND', message: 'Tag not found' });
    expect((await o.data(Tags, { search: 'private' })).tags.totalCount).toBe(0);
    const parentElsewhere = userError((await o.data(CreateTag, { input: { name: 'child', mode: 'MANUAL', parentId: mine.id } })).createTag);
    expect(parentElsewhere.issues).toEqual([expect.objectContaining({ path: ['input', 'parentId'], code: 'NOT_FOUND' })]);
  });
});
