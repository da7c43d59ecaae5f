import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { parse } from 'csv-parse/sync';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import { runJobsUntilIdle, rawId } from '../../helpers/jobs.js';
import { csvOf, importOk, ONBOARD } from './helpers.js';

const CREATE_EXPORT = `mutation($type: ExportType!) { createExport(type: $type) {
  __typename ... on MutationCreateExportSuccess { data { id type status downloadUrl job { id kind status } } } ... on UserError { code message } } }`;
const EXPORT_NODE = `query($id: ID!) { node(id: $id) { ... on Export { status rowCount byteSize downloadUrl job { status } } } }`;

describe('exports, and import jobs seen live', () => {
  let t: TestServer;
  let tenant: Tenant;
  let other: Tenant;
  const gql = (key: string) => t.client.as(key);

  beforeAll(async () => {
    t = await startTestServer();
    tenant = await createTenant(t.server.db);
    other = await createTenant(t.server.db);
    for (const k of [tenant.key, other.key]) await gql(k).data(ONBOARD, { input: { category: 'GENERAL', onboarded: true } });
  });
  afterAll(() => t?.stop());

  it('reports import progress on jobUpdated over graphql-ws', async () => {
    const rows = Array.from({ length: 4500 }, (_, i) => [`feedback number ${i}`, '2024-02-02 02:02', `u${i % 10}`, i % 11]);
    const data = await importOk(t, tenant.key, csvOf([['feedback', 'feedback_date', 'user_id', 'score'], ...rows]), { metricType: 'NPS' });
    const client = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${tenant.key}` },
      retryAttempts: 0,
    });
    const events: Array<{ status: string; progress: { done: number; total: number } }> = [];
    const done = new Promise<void>((resolve, reject) => {
      client.subscribe<{ jobUpdated: (typeof events)[number] }>(
        { query: `subscription($id: ID!) { jobUpdated(id: $id) { status progress { done total } } }`, variables: { id: data.job!.id } },
        { next: (m) => (m.errors ? reject(new Error(JSON.stringify(m.errors))) : events.push(m.data!.jobUpdated)), error: reject, complete: resolve },
      );
    });
    // the first message is the current state: wait for it before the job starts
    while (events.length === 0) await new Promise((r) => setTimeout(r, 10));
    await runJobsUntilIdle(t);
    await done;
    await client.dispose();
    expect(events[0]!.status).toBe('QUEUED');
    const last = events[events.length - 1]!;
    expect(last).toEqual({ status: 'OK', progress: { done: 4500, total: 4500 } });
    // updates arrive while it runs (intermediate states may be coalesced: each message is the
    // latest state), and progress never goes backwards
    expect(events.some((e) => e.status === 'RUNNING')).toBe(true);
    for (const e of events) if (e.status === 'RUNNING' && e.progress.total > 0) expect(e.progress.total).toBe(4500);
    const dones = events.map((e) => e.progress.done);
    expect([...dones].sort((a, b) => a - b)).toEqual(dones);
  });

  it('one export at a time per workspace: a second answers CONFLICT naming the first', async () => {
    const first = (await gql(tenant.key).data(CREATE_EXPORT, { type: 'RESPONSES' })) as any;
    expect(first.createExport.data).toMatchObject({ type: 'RESPONSES', status: 'QUEUED', downloadUrl: null, job: { kind: 'EXPORT', status: 'QUEUED' } });
    // concurrent attempts: exactly zero succeed while the first is queued
    const again = (await Promise.all([1, 2, 3].map(() => gql(tenant.key).data(CREATE_EXPORT, { type: 'USERS' })))) as any[];
    for (const a of again) {
      expect(a.createExport.code).toBe('CONFLICT');
      expect(a.createExport.message).toContain(first.createExport.data.id);
      expect(a.createExport.message).toContain(first.createExport.data.job.id);
    }
    // another workspace is not blocked
    const elsewhere = (await gql(other.key).data(CREATE_EXPORT, { type: 'USERS' })) as any;
    expect(elsewhere.createExport.__typename).toBe('MutationCreateExportSuccess');
    await runJobsUntilIdle(t);
    const after = (await gql(tenant.key).data(CREATE_EXPORT, { type: 'USERS' })) as any;
    expect(after.createExport.__typename).toBe('MutationCreateExportSuccess');
    await runJobsUntilIdle(t);
  });

  it('a RESPONSES export re-imports (tags and sentiment dropped) to the same feedback', async () => {
    const source = await createTenant(t.server.db);
    const target = await createTenant(t.server.db);
    for (const k of [source.key, target.key]) await gql(k).data(ONBOARD, { input: { category: 'GENERAL', onboarded: true } });
    const rows = [
      ['feedback', 'feedback_date', 'user_id', 'score', 'plan', 'seats', 'trial', 'renewal'],
      ['Great support, fast answers', '2024-01-05 10:00:00', 'alice', 9, 'pro', 12, 'true', '2025-01-01'],
      ['The price is too high, "awful" value\nsecond line', '2024-01-06 11:30', 'bob', 3, 'basic', 2.5, 'false', '2025-02-01 08:00'],
      ['Meh', '2024-01-07', '', '', '', '', '', ''],
      ['Crashes all the time, slow', '1704067200', 'alice', 0, 'pro', 40, 'TRUE', '2025-03-01T00:00:00Z'],
    ];
    const imported = await importOk(t, source.key, csvOf(rows), { metricType: 'NPS' });
    await runJobsUntilIdle(t);
    const created = (await gql(source.key).data(CREATE_EXPORT, { type: 'RESPONSES' })) as any;
    await runJobsUntilIdle(t);
    const node = ((await gql(source.key).data(EXPORT_NODE, { id: created.createExport.data.id })) as any).node;
    expect(node).toMatchObject({ status: 'COMPLETED', rowCount: 4, job: { status: 'OK' } });
    expect(node.downloadUrl).toBe(`/downloads/exports/${rawId(created.createExport.data.id)}.csv`);

    // the download needs a credential of the same workspace
    expect((await fetch(`${t.url}${node.downloadUrl}`)).status).toBe(401);
    expect((await fetch(`${t.url}${node.downloadUrl}`, { headers: { authorization: `Bearer ${other.key}` } })).status).toBe(404);
    const response = await fetch(`${t.url}${node.downloadUrl}`, { headers: { authorization: `Bearer ${source.key}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await response.text();
    expect(Buffer.byteLength(text)).toBe(node.byteSize);
    const table = parse(text) as string[][];
    expect(table[0]).toEqual(['feedback', 'feedback_date', 'user_id', 'score', 'plan', 'renewal', 'seats', 'trial', 'tags', 'sentiment']);
    const byFeedback = new Map(table.slice(1).map((r) => [r[0], r]));
    expect(byFeedback.get('Great support, fast answers')!.slice(-2)).toEqual(['CUSTOMER_SUPPORT,PERFORMANCE', 'POSITIVE']);

    // drop tags and sentiment, import the file elsewhere
    const reimport = table.map((r) => r.slice(0, -2));
    const again = await importOk(t, target.key, csvOf(reimport), { metricType: 'NPS' });
    await runJobsUntilIdle(t);
    const snapshot = async (importId: string) =>
      (await t.server.db.response.findMany({ where: { importId }, include: { properties: true } }))
        .map((r) => ({
          feedback: r.feedback,
          date: r.feedbackDate.toISOString(),
          userId: r.userId,
          score: r.score,
          sentiment: r.sentiment,
          sentimentScore: r.sentimentScore,
          properties: r.properties.map((p) => `${p.key}:${p.dataType}:${p.value}`).sort(),
        }))
        .sort((a, b) => a.feedback!.localeCompare(b.feedback!));
    const before = await snapshot(rawId(imported.import!.id));
    const after = await snapshot(rawId(again.import!.id));
    expect(after).toEqual(before);
    expect(before).toHaveLength(4);
    expect(before.find((r) => r.feedback === 'Meh')).toMatchObject({ userId: null, score: null, properties: [] });
    expect(before.find((r) => r.userId === 'bob')!.properties).toEqual([
      'plan:STRING:basic',
      'renewal:DATE:2025-02-01T08:00:00.000Z',
      'seats:NUMBER:2.5',
      'trial:BOOLEAN:false',
    ]);
  });

  it('a USERS export has one row per user with count, average score and last date', async () => {
    const ws = await createTenant(t.server.db);
    await gql(ws.key).data(ONBOARD, { input: { category: 'GENERAL', onboarded: true } });
    const rows: (string | number)[][] = [];
    const expected = new Map<string, { n: number; scores: number[]; last: string }>();
    for (let i = 0; i < 60; i++) {
      const user = `user-${i % 7}`;
      const score = i % 3 === 0 ? '' : (i * 7) % 11;
      const date = `2024-04-${String((i % 28) + 1).padStart(2, '0')} 0${i % 10}:15:00`;
      rows.push([`text ${i}`, date, user, score]);
      const e = expected.get(user) ?? { n: 0, scores: [], last: '' };
      e.n++;
      if (score !== '') e.scores.push(score as number);
      if (date > e.last) e.last = date;
      expected.set(user, e);
    }
    rows.push(['anonymous', '2024-04-01', '', 5]);
    await importOk(t, ws.key, csvOf([['feedback', 'feedback_date', 'user_id', 'score'], ...rows]), { metricType: 'NPS' });
    await runJobsUntilIdle(t);
    const created = (await gql(ws.key).data(CREATE_EXPORT, { type: 'USERS' })) as any;
    await runJobsUntilIdle(t);
    const node = ((await gql(ws.key).data(EXPORT_NODE, { id: created.createExport.data.id })) as any).node;
    const text = await (await fetch(`${t.url}${node.downloadUrl}`, { headers: { authorization: `Bearer ${ws.key}` } })).text();
    const table = parse(text) as string[][];
    expect(table[0]).toEqual(['user_id', 'response_count', 'average_score', 'last_feedback_date']);
    const want = [...expected.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([user, e]) => [
        user,
        String(e.n),
        e.scores.length ? String(Math.round((e.scores.reduce((a, b) => a + b, 0) / e.scores.length) * 100) / 100) : '',
        e.last,
      ]);
    expect(table.slice(1)).toEqual(want);
    expect(node.rowCount).toBe(7);
  });
});
