import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';

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

  it('is off unless METRICS_ENABLED is set', async () => {
    const off = await startTestServer();
    try {
      expect((await fetch(`${off.url}/metrics`)).status).not.toBe(200);
    } finally {
      await off.stop();
    }
  });
});
