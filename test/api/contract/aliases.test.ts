import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { createResponse, onboard } from '../feedback/helpers.js';

/** Free text is `search` everywhere; the old names keep working, deprecated, for one release. */

let t: TestServer;
let c: GraphQLClient;

beforeAll(async () => {
  t = await startTestServer();
  c = t.client.as((await createTenant(t.server.db)).key);
  await onboard(c);
  for (const name of ['Checkout survey', 'Onboarding survey', 'Churn']) {
    await c.data(`mutation($name: String!) { createSurvey(input: { name: $name, type: LINK }) { __typename } }`, { name });
  }
  for (const feedback of ['slow checkout', 'great support', 'checkout failed']) await createResponse(c, { feedback, score: 5, metricType: 'NPS' });
});
afterAll(() => t?.stop());

const surveys = async (filter: Record<string, unknown>) =>
  (await c.data<any, any>(`query($f: SurveyFilter) { surveys(filter: $f, sortBy: NAME) { nodes { name } } }`, { f: filter })).surveys.nodes.map(
    (n: any) => n.name,
  );
const responses = async (filter: Record<string, unknown>) =>
  (await c.data<any, any>(`query($f: ResponseFilter) { responses(filter: $f, sortBy: FEEDBACK_DATE_ASC) { totalCount nodes { feedback } } }`, { f: filter }))
    .responses;

describe('search', () => {
  it('filters surveys by name, and nameContains still does the same', async () => {
    expect(await surveys({ search: 'survey' })).toEqual(['Checkout survey', 'Onboarding survey']);
    expect(await surveys({ nameContains: 'survey' })).toEqual(['Checkout survey', 'Onboarding survey']);
  });

  it('filters responses by feedback text, and text still does the same', async () => {
    const bySearch = await responses({ search: 'checkout' });
    expect(bySearch.totalCount).toBe(2);
    expect(bySearch.nodes.map((n: any) => n.feedback).sort()).toEqual(['checkout failed', 'slow checkout']);
    expect(await responses({ text: 'checkout' })).toEqual(bySearch);
  });

  it('marks the old names deprecated in the schema, naming the new one', async () => {
    const r = await c.data<any, any>(
      `{ s: __type(name: "SurveyFilter") { inputFields(includeDeprecated: true) { name isDeprecated deprecationReason } } r: __type(name: "ResponseFilter") { inputFields(includeDeprecated: true) { name isDeprecated deprecationReason } } }`,
    );
    expect(r.s.inputFields).toContainEqual({ name: 'nameContains', isDeprecated: true, deprecationReason: 'Use search' });
    expect(r.r.inputFields).toContainEqual({ name: 'text', isDeprecated: true, deprecationReason: 'Use search' });
  });
});
