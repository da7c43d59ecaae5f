import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';

describe('rate limit per caller', () => {
  let t: TestServer;
  let a: Tenant;
  let b: Tenant;
  beforeAll(async () => {
    t = await startTestServer({ RATE_LIMIT_PER_MINUTE: '3' });
    a = await createTenant(t.server.db, ['READ']);
    b = await createTenant(t.server.db, ['READ']);
  });
  afterAll(() => t?.stop());

  it('answers 429 RATE_LIMITED with Retry-After past the limit, for that credential only', async () => {
    for (let i = 0; i < 3; i++) expect((await t.client.as(a.key).request('{ viewer { kind } }')).status).toBe(200);
    const over = await t.client.as(a.key).request('{ viewer { kind } }');
    expect(over.status).toBe(429);
    expect(over.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(over.data).toBeUndefined();
    // another credential has its own budget
    expect((await t.client.as(b.key).request('{ viewer { kind } }')).status).toBe(200);
  });

  it('limits token requests per client address, so password guessing is not free', async () => {
    const attempt = () =>
      fetch(`${t.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', username: 'nobody@example.com', password: 'guess' }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await attempt()).status);
    expect(statuses.slice(0, 3)).toEqual([400, 400, 400]);
    expect(statuses.slice(3)).toEqual([429, 429]);
  });
});
