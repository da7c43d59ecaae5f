import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { apiKeyFor, createTenant, type Tenant } from '../../helpers/fixtures.js';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { ok } from '../../helpers/graphql-client.js';
import { rawId, runJobsUntilIdle } from '../../helpers/jobs.js';
import { CancelJob, createJob, createWorkflow } from '../jobs/documents.js';

/** One sample's value from Prometheus text, e.g. value(text, 'formgraph_jobs{status="OK"}'). */
const value = (text: string, sample: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
};

describe('GET /metrics', () => {
  let t: TestServer;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestServer({ METRICS_ENABLED: 'true' });
    tenant = await createTenant(t.server.db);
  });
  afterAll(() => t.stop());

  const scrape = async () => {
    const r = await fetch(`${t.url}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/plain');
    return r.text();
  };
  const post = (query: string, key?: string) =>
    fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
      body: JSON.stringify({ query }),
    });

  it('counts requests, operations, errors by code, connections and jobs by status', async () => {
    await (await post('{ viewer { kind } }', tenant.key)).text();
    await (await post('{ viewer { kind } }')).text(); // no credential: UNAUTHENTICATED
    await (await post('{ nope }', tenant.key)).text(); // GRAPHQL_VALIDATION_FAILED
    await t.server.db.job.create({ data: { workspaceId: tenant.workspaceId, kind: 'WORKFLOW', status: 'QUEUED' } });
    const text = await scrape();
    expect(value(text, 'formgraph_http_requests_total{method="POST",path="/graphql",status="200"}')).toBeGreaterThanOrEqual(2);
    // the anonymous request is refused (401) before it is parsed: one operation ran
    expect(value(text, 'formgraph_graphql_operation_duration_seconds_count{type="query"}')).toBe(1);
    expect(value(text, 'formgraph_graphql_errors_total{code="UNAUTHENTICATED"}')).toBe(1);
    expect(value(text, 'formgraph_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"}')).toBe(1);
    expect(value(text, 'formgraph_jobs{status="QUEUED"}')).toBe(1);
    expect(value(text, 'formgraph_jobs{status="OK"}')).toBe(0);
    expect(value(text, 'formgraph_db_connections{state="idle"}')! + value(text, 'formgraph_db_connections{state="active"}')!).toBeGreaterThan(0);
    expect(text).toContain('formgraph_process_resident_memory_bytes');
  });

  /** How much each sample grew between two scrapes (absent before counts as 0). */
  const growth = (before: string, after: string, samples: string[]) => samples.map((sample) => (value(after, sample) ?? 0) - (value(before, sample) ?? 0));
  const errorsBy = (code: string) => `formgraph_graphql_errors_total{code="${code}"}`;

  it('counts errors sent over graphql-ws by code, before execution and from it', async () => {
    const before = await scrape();
    const client = createClient({
      url: `${t.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { 'x-api-key': tenant.key },
      retryAttempts: 0,
    });
    const firstResult = async (query: string) => {
      const iterator = client.iterate({ query })[Symbol.asyncIterator]();
      try {
        return await iterator.next();
      } catch (errors) {
        return errors;
      } finally {
        await iterator.return?.();
      }
    };
    try {
      await firstResult('{ nope }'); // refused by validation: an error message
      await firstResult(`subscription { jobUpdated(id: "${encodeGlobalID('Job', '00000000-0000-4000-8000-000000000000')}") { id } }`); // NOT_FOUND from execution
    } finally {
      await client.dispose();
    }
    expect(growth(before, await scrape(), [errorsBy('GRAPHQL_VALIDATION_FAILED'), errorsBy('NOT_FOUND')])).toEqual([1, 1]);
  });

  it('counts an error sent inside an open SSE stream', async () => {
    const key = await apiKeyFor(t.server.db, tenant.workspaceId, ['READ']);
    const stream = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-api-key': key },
      body: JSON.stringify({ query: 'subscription { jobsUpdated { id } }' }),
    });
    expect(stream.status).toBe(200);
    const before = await scrape();
    const [apiKey] = await t.server.db.apiKey.findMany({ where: { workspaceId: tenant.workspaceId }, orderBy: { createdAt: 'desc' }, take: 1 });
    const revoked = await post(`mutation { revokeApiKey(id: "${encodeGlobalID('ApiKey', apiKey!.id)}") { __typename } }`, tenant.key);
    expect(revoked.status).toBe(200);
    // the stream's last event is the UNAUTHENTICATED error, then it ends
    expect(await stream.text()).toMatch(/UNAUTHENTICATED/);
    expect(growth(before, await scrape(), [errorsBy('UNAUTHENTICATED')])).toEqual([1]);
  });

  it('counts finished jobs by kind and outcome', async () => {
    const api = t.client.as(tenant.key);
    const workflow = await createWorkflow(api, { tasks: [{ kind: 'log', parameters: { message: 'x' } }] });
    const later = new Date(Date.now() + 3600_000).toISOString();
    const finished = (status: string) => `formgraph_jobs_finished{kind="WORKFLOW",status="${status}"}`;
    const before = await scrape();
    const done = await createJob(api, { workflow });
    const cancelled = await createJob(api, { workflow, startAt: later });
    ok((await api.data(CancelJob, { id: cancelled.id })).cancelJob);
    await runJobsUntilIdle(t);
    const jobs = await t.server.db.job.findMany({ where: { id: { in: [rawId(done.id), rawId(cancelled.id)] } }, orderBy: { createdAt: 'asc' } });
    expect(jobs.map((j) => j.status)).toEqual(['OK', 'CANCELLED']);
    expect(growth(before, await scrape(), [finished('OK'), finished('CANCELLED'), finished('ERROR')])).toEqual([1, 1, 0]);
  });

  it('is off unless METRICS_ENABLED is set', async () => {
    const off = await startTestServer();
    try {
      expect((await fetch(`${off.url}/metrics`)).status).not.toBe(200);
    } finally {
      await off.stop();
    }
  });
});
