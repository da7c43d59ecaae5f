import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { createResponse, createTag, onboard } from '../feedback/helpers.js';

/** One sort style (docs/api-conventions.md, "Filters and sorts"): `orderBy: [<Type>Order!]`; `sortBy` is its deprecated alias. */

let t: TestServer;
let c: GraphQLClient;
const SURVEYS = ['beta', 'Alpha', 'gamma'];

beforeAll(async () => {
  t = await startTestServer();
  c = t.client.as((await createTenant(t.server.db)).key);
  await onboard(c);
  for (const name of SURVEYS) await c.data(`mutation($name: String!) { createSurvey(input: { name: $name, type: LINK }) { __typename } }`, { name });
  for (const [i, feedback] of ['one', 'two', 'three'].entries())
    await createResponse(c, { feedback, score: 5, metricType: 'NPS', feedbackDate: `2024-01-0${i + 1}T00:00:00Z` });
  await createTag(c, { name: 'apple', mode: 'MANUAL' });
  await createTag(c, { name: 'banana', mode: 'MANUAL' });
});
afterAll(() => t?.stop());

const list = async (field: string, type: string, args: Record<string, unknown>, item = 'name') => {
  const r = await c.request<any, any>(
    `query($orderBy: [${type}Order!], $sortBy: ${type}Sort, $first: Int, $after: String) { ${field}(orderBy: $orderBy, sortBy: $sortBy, first: $first, after: $after) { nodes { ${item} } pageInfo { endCursor } } }`,
    args,
  );
  return r.errors ? { errors: r.errors } : { items: r.data[field].nodes.map((n: any) => n[item]), cursor: r.data[field].pageInfo.endCursor };
};
const order = (field: string, direction: 'ASC' | 'DESC') => [{ field, direction }];

describe('orderBy', () => {
  it('orders surveys by any field in both directions; sortBy still gives its old order', async () => {
    const byName = ['Alpha', 'beta', 'gamma'];
    expect((await list('surveys', 'Survey', { orderBy: order('NAME', 'ASC') })).items).toEqual(byName);
    expect((await list('surveys', 'Survey', { orderBy: order('NAME', 'DESC') })).items).toEqual([...byName].reverse());
    expect((await list('surveys', 'Survey', { orderBy: order('CREATED_AT', 'ASC') })).items).toEqual(SURVEYS);
    expect((await list('surveys', 'Survey', { orderBy: order('CREATED_AT', 'DESC') })).items).toEqual([...SURVEYS].reverse());
    expect((await list('surveys', 'Survey', { sortBy: 'NAME' })).items).toEqual(byName);
    expect((await list('surveys', 'Survey', { sortBy: 'CREATED_AT' })).items).toEqual([...SURVEYS].reverse());
  });

  it('orders responses and tags, the same as their sortBy aliases', async () => {
    const asc = await list('responses', 'Response', { orderBy: order('FEEDBACK_DATE', 'ASC') }, 'feedback');
    expect(asc.items).toEqual(['one', 'two', 'three']);
    expect((await list('responses', 'Response', { sortBy: 'FEEDBACK_DATE_ASC' }, 'feedback')).items).toEqual(asc.items);
    expect((await list('responses', 'Response', { orderBy: order('FEEDBACK_DATE', 'DESC') }, 'feedback')).items).toEqual(['three', 'two', 'one']);
    const tagsAsc = (await list('tags', 'Tag', { orderBy: order('NAME', 'ASC') })).items;
    expect(tagsAsc).toEqual(expect.arrayContaining(['APPLE', 'BANANA']));
    expect((await list('tags', 'Tag', { orderBy: order('NAME', 'DESC') })).items).toEqual([...tagsAsc].reverse());
    expect((await list('tags', 'Tag', { sortBy: 'NAME_DESC' })).items).toEqual([...tagsAsc].reverse());
  });

  it('pages with cursors bound to the order: the next page follows, another direction is CURSOR_MISMATCH', async () => {
    const first = await list('surveys', 'Survey', { orderBy: order('NAME', 'DESC'), first: 2 });
    expect(first.items).toEqual(['gamma', 'beta']);
    expect((await list('surveys', 'Survey', { orderBy: order('NAME', 'DESC'), first: 2, after: first.cursor })).items).toEqual(['Alpha']);
    const other = await list('surveys', 'Survey', { orderBy: order('NAME', 'ASC'), first: 2, after: first.cursor });
    expect(other.errors?.[0]?.extensions?.issues).toEqual([expect.objectContaining({ path: ['after'], code: 'CURSOR_MISMATCH' })]);
  });

  it('refuses orderBy together with sortBy, and more than one term', async () => {
    const both = await list('surveys', 'Survey', { orderBy: order('NAME', 'ASC'), sortBy: 'NAME' });
    expect(both.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      issues: [expect.objectContaining({ path: ['sortBy'], code: 'CONFLICTING_ARGUMENTS' })],
    });
    const two = await list('tags', 'Tag', { orderBy: [...order('NAME', 'ASC'), ...order('RESPONSE_COUNT', 'DESC')] });
    expect(two.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [expect.objectContaining({ path: ['orderBy'], code: 'TOO_MANY' })] });
  });

  it('refuses a count order without statistics, at the argument given', async () => {
    const r = await c.request<any, any>(`{ tags(noStats: true, orderBy: [{ field: RESPONSE_COUNT, direction: ASC }]) { totalCount } }`);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [expect.objectContaining({ path: ['orderBy'], code: 'NOT_ALLOWED' })] });
  });

  it('marks sortBy deprecated, naming orderBy', async () => {
    const r = await c.data<any, any>(`{ __schema { queryType { fields { name args(includeDeprecated: true) { name deprecationReason } } } } }`);
    const sortBy = r.__schema.queryType.fields
      .filter((f: any) => ['surveys', 'responses', 'tags'].includes(f.name))
      .map((f: any) => [f.name, f.args.find((a: any) => a.name === 'sortBy')?.deprecationReason]);
    expect(sortBy.sort()).toEqual([
      ['responses', 'Use orderBy'],
      ['surveys', 'Use orderBy'],
      ['tags', 'Use orderBy'],
    ]);
  });
});
