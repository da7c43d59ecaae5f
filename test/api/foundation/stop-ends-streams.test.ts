import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant } from '../../helpers/fixtures.js';

describe('stopping with an open SSE subscription', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  let stopped = false;
  afterAll(() => (stopped ? undefined : t?.stop()));

  it('completes the stream and resolves, instead of waiting for the client to leave', async () => {
    const { key } = await createTenant(t.server.db);
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: 'subscription { jobsUpdated { id status } }' }),
    });
    expect([response.status, response.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^text\/event-stream/)]);
    const body = response.text();

    // the whole server stops: the app first, then the bus, the pool and the test database
    await t.stop();
    stopped = true;

    // the server ended the stream the proper way: the client read a complete event, not a cut connection
    expect(await body).toMatch(/^event: complete$/m);
  });
});
