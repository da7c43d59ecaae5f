import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { apiKeyFor, createTenant, memberOf, type Tenant } from '../../helpers/fixtures.js';
import { buildSchema } from '../../../src/schema.js';
import { DEFAULT_DOCUMENT } from '../../../src/http/graphiql-document.js';
import { loadConfig } from '../../../src/config.js';
import { queryCost } from '../../../src/graphql/limits/query-cost.js';

const ws = (url: string, connectionParams: Record<string, string>) =>
  createClient({ url: `${url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0 });

async function wsRun(client: Client, query: string) {
  const results: { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] }[] = [];
  try {
    for await (const r of client.iterate({ query })) results.push(r as never);
  } catch (error) {
    return { refused: error as { extensions?: Record<string, unknown> }[] & { code?: number } };
  }
  return { results };
}

function codesOf(outcome: Awaited<ReturnType<typeof wsRun>>) {
  const refused = 'refused' in outcome ? (outcome.refused as unknown) : undefined;
  if (refused)
    return Array.isArray(refused)
      ? refused.map((e: { extensions?: Record<string, unknown> }) => e.extensions?.code)
      : [`closed ${(refused as { code?: number }).code}`];
  return (outcome.results ?? []).flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code);
}

/** finding 4: 30 aliases of forms(first: 100) { entries(first: 500) { … } } */
const ATTACK = `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: forms(first: 100) { edges { node { entries(first: 500) { edges { node { values fieldValues { key text number } } } } } } }`).join(' ')} }`;

describe('cost limit', () => {
  let t: TestServer;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestServer();
    tenant = await createTenant(t.server.db, ['READ']);
  });
  afterAll(() => t?.stop());

  it('refuses the 30-alias attack with HTTP 400 QUERY_TOO_COMPLEX before executing, over HTTP, SSE and graphql-ws', async () => {
    await t.client.as(tenant.key).request('{ __typename }');
    const http = await t.client.as(tenant.key).request(ATTACK);
    expect(http.status).toBe(400);
    expect(http.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(http.errors![0]!.message).toMatch(/cost limit of 50000 exceeded/);
    expect(http.statements).toBe(0);
    const sse = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-api-key': tenant.key },
      body: JSON.stringify({ query: ATTACK }),
    });
    expect(await sse.text()).toContain('QUERY_TOO_COMPLEX');
    const client = ws(t.url, { 'x-api-key': tenant.key });
    try {
      expect(codesOf(await wsRun(client, ATTACK))).toEqual(['QUERY_TOO_COMPLEX']);
    } finally {
      await client.dispose();
    }
  });

  it('weighs lists by first/last, variables included', () => {
    const schema = buildSchema();
    const q = 'query($n: Int) { forms(first: $n) { edges { node { id } } } }';
    expect(queryCost(schema, parse(q), null, { n: 10 })).toBeLessThan(queryCost(schema, parse(q), null, { n: 100 }));
    expect(queryCost(schema, parse('{ forms(first: 100) { edges { node { id } } } }'), null, {})).toBe(queryCost(schema, parse(q), null, { n: 100 }));
  });

  it("lets every example of the README and of GraphiQL's default document through", () => {
    const schema = buildSchema();
    const { maxCost } = loadConfig({}).limits;
    const readme = fs.readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const queries = [...readme.matchAll(/"query":\s*("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]!) as string);
    expect(queries.length).toBeGreaterThan(3);
    const document = parse(DEFAULT_DOCUMENT);
    const names = document.definitions.flatMap((d) => ('name' in d && d.kind === 'OperationDefinition' && d.name ? [d.name.value] : []));
    for (const q of queries) expect(queryCost(schema, parse(q), null, {}), q).toBeLessThanOrEqual(maxCost);
    for (const name of names) expect(queryCost(schema, document, name, {}), name).toBeLessThanOrEqual(maxCost);
  });

  it('is configurable with MAX_QUERY_COST', async () => {
    const small = await startTestServer({ MAX_QUERY_COST: '20' });
    try {
      const key = (await createTenant(small.server.db, ['READ'])).key;
      expect((await small.client.as(key).request('{ forms(first: 5) { edges { node { id name } } } }')).status).toBe(200);
      const r = await small.client.as(key).request('{ forms(first: 50) { edges { node { id name } } } }');
      expect([r.status, r.errors?.[0]?.extensions?.code]).toEqual([400, 'QUERY_TOO_COMPLEX']);
    } finally {
      await small.stop();
    }
  });
});

describe('every limit on every transport', () => {
  let t: TestServer;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestServer({ RATE_LIMIT_PER_MINUTE: '3', MAX_BODY_BYTES: '4000', MAX_QUERY_TOKENS: '60' });
    tenant = await createTenant(t.server.db, ['READ']);
  });
  afterAll(() => t?.stop());

  it('answers the token limit with HTTP 400', async () => {
    const many = await t.client.request(`{ ${'__typename '.repeat(70)}}`);
    expect([many.status, many.errors?.[0]?.extensions?.code]).toEqual([400, 'QUERY_TOO_COMPLEX']);
  });

  it('counts graphql-ws operations against the same rate limit as HTTP requests', async () => {
    const key = await apiKeyFor(t.server.db, tenant.workspaceId, ['READ']);
    expect((await t.client.as(key).request('{ viewer { kind } }')).status).toBe(200);
    const client = ws(t.url, { 'x-api-key': key });
    try {
      const outcomes = [];
      for (let i = 0; i < 3; i++) outcomes.push(codesOf(await wsRun(client, '{ viewer { kind } }')));
      expect(outcomes).toEqual([[], [], ['RATE_LIMITED']]);
    } finally {
      await client.dispose();
    }
    expect((await t.client.as(key).request('{ viewer { kind } }')).status).toBe(429);
  });

  it("counts failed authentications against the caller's address: guessing keys is rate limited", async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await t.client.as(`fgk_guess${i}`).request('{ viewer { kind } }')).status);
    // the address may already have spent part of its budget in this file: at most 3 answers before 429
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(3);
    expect(statuses.slice(-2)).toEqual([429, 429]);
  });

  it('closes a WebSocket whose message exceeds MAX_BODY_BYTES (1009), before buffering it whole', async () => {
    const key = await apiKeyFor(t.server.db, tenant.workspaceId, ['READ']);
    const client = ws(t.url, { 'x-api-key': key });
    try {
      expect(codesOf(await wsRun(client, `{ __typename } # ${'x'.repeat(5000)}`))).toEqual(['closed 1009']);
    } finally {
      await client.dispose();
    }
  });
});

describe('credential cache and scope escalation', () => {
  let t: TestServer;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestServer();
    tenant = await createTenant(t.server.db);
  });
  afterAll(() => t?.stop());

  it('a credential seen before costs no SQL statement', async () => {
    const key = await apiKeyFor(t.server.db, tenant.workspaceId, ['READ']);
    const first = await t.client.as(key).request('{ __typename }');
    expect(first.statements).toBeGreaterThan(0);
    const second = await t.client.as(key).request('{ __typename }');
    expect([second.status, second.statements]).toEqual([200, 0]);
  });

  it('a credential grants only scopes it holds; FORBIDDEN names the missing scope', async () => {
    const manageOnly = t.client.as(await apiKeyFor(t.server.db, tenant.workspaceId, ['MANAGE']));
    const key = await manageOnly.request('mutation { createApiKey(name: "x", scopes: [READ, MANAGE, INTERNAL]) { __typename } }');
    expect(key.errors?.map((e) => [e.extensions?.code, e.extensions?.requiredScope])).toEqual([['FORBIDDEN', 'READ']]);
    expect(key.errors![0]!.message).toMatch(/READ, INTERNAL/);
    const client = await manageOnly.request('mutation { createOAuthClient(name: "x", scopes: [INTERNAL]) { __typename } }');
    expect(client.errors?.map((e) => [e.extensions?.code, e.extensions?.requiredScope])).toEqual([['FORBIDDEN', 'INTERNAL']]);
    expect(await t.server.db.apiKey.count({ where: { name: 'x' } })).toBe(0);
    expect((await manageOnly.data<any, undefined>('mutation { createApiKey(name: "ok", scopes: [MANAGE]) { __typename } }')).createApiKey).toEqual({
      __typename: 'MutationCreateApiKeySuccess',
    });
    // a member only up to their role: an OWNER's token holds READ WRITE MANAGE, not INTERNAL
    const owner = await memberOf(t.server.db, tenant.workspaceId, 'OWNER');
    const token = await fetch(`${t.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', username: owner.email, password: owner.password, workspace_id: tenant.workspaceId }),
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const escalation = await t.client.as(access_token).request('mutation { createApiKey(name: "y", scopes: [INTERNAL]) { __typename } }');
    expect(escalation.errors?.map((e) => [e.extensions?.code, e.extensions?.requiredScope])).toEqual([['FORBIDDEN', 'INTERNAL']]);
    // a missing scope on any field is named too
    const readOnly = await t.client.as(await apiKeyFor(t.server.db, tenant.workspaceId, ['READ'])).request('{ apiKeys(first: 1) { totalCount } }');
    expect(readOnly.errors?.map((e) => [e.extensions?.code, e.extensions?.requiredScope])).toEqual([['FORBIDDEN', 'MANAGE']]);
    expect(readOnly.errors![0]!.message).toMatch(/MANAGE/);
  });
});

describe('anonymous introspection and field suggestions can be switched off', () => {
  it('defaults on; ANONYMOUS_INTROSPECTION=false answers 401, FIELD_SUGGESTIONS=false drops "Did you mean"', async () => {
    const t = await startTestServer({ ANONYMOUS_INTROSPECTION: 'false', FIELD_SUGGESTIONS: 'false' });
    try {
      const key = (await createTenant(t.server.db, ['READ'])).key;
      const anonymous = await t.client.request('{ __schema { queryType { name } } }');
      expect([anonymous.status, anonymous.errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
      expect((await t.client.request('{ __typename }')).status).toBe(200);
      expect((await t.client.as(key).data<any, undefined>('{ __schema { queryType { name } } }')).__schema).toEqual({ queryType: { name: 'Query' } });
      const typo = await t.client.as(key).request('{ viewr { kind } }');
      expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
    } finally {
      await t.stop();
    }
    const defaults = await startTestServer();
    try {
      expect((await defaults.client.request('{ __schema { queryType { name } } }')).status).toBe(200);
      const key = (await createTenant(defaults.server.db, ['READ'])).key;
      expect((await defaults.client.as(key).request('{ viewr { kind } }')).errors?.[0]?.message).toMatch(/Did you mean .*"viewer"/);
    } finally {
      await defaults.stop();
    }
  });
});
