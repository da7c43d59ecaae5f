import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { runJobsUntilIdle } from '../../helpers/jobs.js';
import { createResponse, createTag, onboard } from './helpers.js';
import { analyzeSentiment } from '../../../src/modules/feedback/sentiment.js';

interface Assignment {
  tag: { name: string; mode: string };
  sentiment: string | null;
}

/** Per-tag sentiment: a TEXT_MATCH tag carries the sentiment of the text it matched. */
describe('per-tag sentiment', () => {
  let t: TestServer;
  let tenant: Tenant;
  let api: GraphQLClient;
  let billing: string;
  const TEXTS = {
    mixed: 'I love the app, the design is great and support is awesome. Billing is confusing.',
    angry: 'The invoice was wrong and billing support was terrible',
    happy: 'Billing was quick and easy, thanks',
  };
  const ids: Record<keyof typeof TEXTS, string> = { mixed: '', angry: '', happy: '' };

  beforeAll(async () => {
    t = await startTestServer();
    tenant = await createTenant(t.server.db);
    api = t.client.as(tenant.key);
    await onboard(api, 'GENERAL');
    billing = (await createTag(api, { name: 'billing', mode: 'TEXT_MATCH', textMatchTerms: ['billing', 'invoice'] })).id;
    const vip = (await createTag(api, { name: 'vip', mode: 'MANUAL' })).id;
    for (const k of Object.keys(TEXTS) as (keyof typeof TEXTS)[])
      ids[k] = (await createResponse(api, { feedback: TEXTS[k], tagIds: k === 'mixed' ? [vip] : [] })).id;
  });
  afterAll(() => t?.stop());

  const assignments = async (id: string) => {
    const d = (await api.data(`query($id: ID!) { node(id: $id) { ... on Response { sentiment tagAssignments { tag { name mode } sentiment } } } }`, {
      id,
    })) as {
      node: { sentiment: string; tagAssignments: Assignment[] };
    };
    return d.node;
  };
  const listed = async (filter: Record<string, unknown>) => {
    const d = (await api.data(`query($f: ResponseFilter) { responses(filter: $f, first: 50) { totalCount edges { node { id } } } }`, { f: filter })) as {
      responses: { totalCount: number; edges: { node: { id: string } }[] };
    };
    expect(d.responses.totalCount).toBe(d.responses.edges.length);
    return d.responses.edges.map((e) => e.node.id).sort();
  };

  it('stores the sentiment of the matching clause for TEXT_MATCH tags, the response sentiment for MANUAL and SMART tags', async () => {
    const r = await assignments(ids.mixed);
    expect(r.sentiment).toBe('POSITIVE');
    const byName = new Map(r.tagAssignments.map((a) => [a.tag.name, a]));
    expect(byName.get('BILLING')!.sentiment).toBe('NEGATIVE');
    expect(analyzeSentiment('Billing is confusing').sentiment).toBe('NEGATIVE');
    expect(byName.get('VIP')!.sentiment).toBe('POSITIVE');
    const smart = r.tagAssignments.filter((a) => a.tag.mode === 'SMART');
    expect(smart.map((a) => a.tag.name)).toContain('USABILITY'); // "confusing"
    for (const a of smart) expect(a.sentiment).toBe(r.sentiment);
    expect((await assignments(ids.angry)).tagAssignments.find((a) => a.tag.name === 'BILLING')!.sentiment).toBe('NEGATIVE');
    expect((await assignments(ids.happy)).tagAssignments.find((a) => a.tag.name === 'BILLING')!.sentiment).toBe('POSITIVE');
  });

  it('filters responses by the sentiment of their tags, not of the whole response', async () => {
    expect(await listed({ tagIds: [billing], tagSentimentIn: ['NEGATIVE'] })).toEqual([ids.mixed, ids.angry].sort());
    expect(await listed({ tagIds: [billing], tagSentimentIn: ['POSITIVE'] })).toEqual([ids.happy]);
    expect(await listed({ tagIds: [billing], sentimentIn: ['POSITIVE'] })).toContain(ids.mixed);
    // without tagIds: any tag with that sentiment
    const anyNegative = await listed({ tagSentimentIn: ['NEGATIVE'] });
    expect(anyNegative).toContain(ids.mixed);
    expect(anyNegative).not.toContain(ids.happy);
    expect(await listed({ tagIds: [billing], tagSentimentIn: ['NONE'] })).toEqual([]);
  });

  it('counts the per-tag sentiment in tag statistics', async () => {
    const d = (await api.data(
      `{ tags(search: "BILLING") { edges { node { name responseCount sentimentBreakdown { positive neutral negative none } } } } }`,
    )) as {
      tags: {
        edges: { node: { name: string; responseCount: number; sentimentBreakdown: { positive: number; neutral: number; negative: number; none: number } } }[];
      };
    };
    const tag = d.tags.edges.find((e) => e.node.name === 'BILLING')!.node;
    expect(tag.responseCount).toBe(3);
    expect(tag.sentimentBreakdown.negative).toBeCloseTo(200 / 3, 6);
    expect(tag.sentimentBreakdown.positive).toBeCloseTo(100 / 3, 6);
    expect(tag.sentimentBreakdown.neutral + tag.sentimentBreakdown.none).toBe(0);
  });

  it('applies the same rule when a RETAG job tags existing responses', async () => {
    const design = (await createTag(api, { name: 'design', mode: 'TEXT_MATCH', textMatchTerms: ['design'] })).id;
    const support = (await createTag(api, { name: 'support-team', mode: 'TEXT_MATCH', textMatchTerms: ['support'] })).id;
    await runJobsUntilIdle(t);
    const mixed = await assignments(ids.mixed);
    expect(mixed.tagAssignments.find((a) => a.tag.name === 'DESIGN')!.sentiment).toBe('POSITIVE');
    expect(mixed.tagAssignments.find((a) => a.tag.name === 'SUPPORT-TEAM')!.sentiment).toBe('POSITIVE');
    expect((await assignments(ids.angry)).tagAssignments.find((a) => a.tag.name === 'SUPPORT-TEAM')!.sentiment).toBe('NEGATIVE');
    expect(await listed({ tagIds: [design, support], tagSentimentIn: ['NEGATIVE'] })).toEqual([ids.angry]);
  });
});
