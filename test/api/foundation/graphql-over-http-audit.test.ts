import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverAudits } from 'graphql-http';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant } from '../../helpers/fixtures.js';

describe('GraphQL over HTTP compliance (graphql-http serverAudits)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.stop());

  it('passes every audit with no warning, as an authenticated client', async () => {
    // anonymous documents that are not public are refused with 401 before parsing or validation
    const { key } = await createTenant(t.server.db, ['READ']);
    const fetchFn = (input: RequestInfo | URL, init: RequestInit = {}) =>
      fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-api-key': key } });
    const outcomes = [];
    for (const audit of serverAudits({ url: `${t.url}/graphql`, fetchFn })) {
      const result = await audit.fn();
      outcomes.push({ id: audit.id, name: audit.name, status: result.status, reason: 'reason' in result ? result.reason : undefined });
    }
    expect(outcomes.length).toBeGreaterThan(50);
    // "notice" marks what the spec says a server MAY do
    expect(outcomes.filter((o) => o.status === 'warn' || o.status === 'error')).toEqual([]);
  });
});
