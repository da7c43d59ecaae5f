import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import type { GraphQLClient, GraphQLErrorBody } from '../../helpers/graphql-client.js';
import { MAX_INPUT_DEPTH, MAX_JSON_DEPTH, MAX_LIST_LENGTH } from '../../../src/graphql/input-guard.js';
import { createForm } from '../forms/helpers.js';

let t: TestServer;
let tenant: Tenant;
let c: GraphQLClient;
let form: { id: string };

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTenant(t.server.db);
  c = t.client.as(tenant.key);
  form = await createForm(c, { name: 'Guarded', fields: [{ key: 'title', label: 'Title', type: 'TEXT' }] });
});
afterAll(() => t?.stop());

const nested = (levels: number, leaf: unknown = 1): unknown => {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
};

const ENTRY = `mutation($form: ID!, $values: JSON!) { createEntry(form: $form, values: $values) { __typename ... on UserError { code } } }`;
const entryCount = () => t.server.db.dataRecord.count();

/** JSON text nested `levels` deep: JSON.stringify itself would overflow the stack. */
const deepJson = (levels: number, open: string, close: string, leaf: string) => open.repeat(levels) + leaf + close.repeat(levels);

async function rawRequest(body: string) {
  const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.key}` }, body });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: GraphQLErrorBody[] } };
}

/** A refusal before execution: HTTP 400, one BAD_USER_INPUT error with issues, no data. */
async function refused(document: string, variables: Record<string, unknown>) {
  const r = await c.request<any, any>(document, variables);
  expect(r.status, JSON.stringify(r.errors)).toBe(400);
  expect(r.data ?? null).toBeNull();
  expect(r.errors).toHaveLength(1);
  const error = r.errors![0] as GraphQLErrorBody;
  expect(error.extensions?.code).toBe('BAD_USER_INPUT');
  return error.extensions!.issues!.map((i) => ({ path: i.path, code: i.code }));
}

describe('strings PostgreSQL cannot store', () => {
  it('refuses a NUL byte in a variable at its argument path, writing nothing', async () => {
    const before = await entryCount();
    expect(await refused(ENTRY, { form: form.id, values: { title: 'x\u0000y' } })).toEqual([{ path: ['values', 'title'], code: 'NUL_CHARACTER' }]);
    expect(await entryCount()).toBe(before);
  });

  it('refuses a NUL byte in an inline literal and in an object key', async () => {
    const literal = await c.request<any, any>(`mutation { createForm(input: { name: "x\\u0000y" }) { __typename } }`);
    expect(literal.status).toBe(400);
    expect(literal.errors![0]!.extensions!.issues!.map((i) => i.path)).toEqual([['input', 'name']]);
    expect(await refused(ENTRY, { form: form.id, values: { 'k\u0000': 1 } })).toEqual([{ path: ['values', 'k\ufffd'], code: 'NUL_CHARACTER' }]);
  });

  it('refuses lone surrogates, and keeps paired ones (emoji)', async () => {
    expect(await refused(ENTRY, { form: form.id, values: { title: 'a\ud800b' } })).toEqual([{ path: ['values', 'title'], code: 'INVALID_UNICODE' }]);
    expect(await refused(ENTRY, { form: form.id, values: { title: '\udc00' } })).toEqual([{ path: ['values', 'title'], code: 'INVALID_UNICODE' }]);
    const emoji = await c.data<any, any>(ENTRY, { form: form.id, values: { title: 'ok 😀 報告' } });
    expect(emoji.createEntry.__typename).toBe('MutationCreateEntrySuccess');
  });

  it('refuses a NUL byte in a search argument of a query', async () => {
    const issues = await refused(`query($id: ID!, $s: String) { form(id: $id) { entries(search: $s) { totalCount } } }`, { id: form.id, s: '\u0000' });
    expect(issues).toEqual([{ path: ['search'], code: 'NUL_CHARACTER' }]);
  });
});

describe('dates PostgreSQL cannot store', () => {
  it.each(['0000-01-01T00:00:00Z', '0001-01-01T00:30:00+01:00'])('refuses %s', async (expiresAt) => {
    const before = await t.server.db.apiKey.count();
    expect(await refused(`mutation($e: DateTime) { createApiKey(name: "k", scopes: [READ], expiresAt: $e) { __typename } }`, { e: expiresAt })).toEqual([
      { path: ['expiresAt'], code: 'OUT_OF_RANGE' },
    ]);
    expect(await t.server.db.apiKey.count()).toBe(before);
  });

  it('refuses a date beyond what PostgreSQL stores without an INTERNAL error', async () => {
    const errors = await c.errors<any, any>(`mutation($e: DateTime) { createApiKey(name: "k", scopes: [READ], expiresAt: $e) { __typename } }`, {
      e: '294277-01-01T00:00:00Z',
    });
    expect(errors[0]!.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('nesting and size', () => {
  it(`refuses JSON nested deeper than ${MAX_JSON_DEPTH} levels, and accepts ${MAX_JSON_DEPTH}`, async () => {
    const before = await entryCount();
    // the values object itself is one level, title's value the rest
    expect(await refused(ENTRY, { form: form.id, values: { title: nested(MAX_JSON_DEPTH) } })).toEqual([
      { path: ['values', 'title', ...Array(MAX_JSON_DEPTH - 1).fill('a')], code: 'TOO_DEEP' },
    ]);
    expect(await entryCount()).toBe(before);
    // at the limit the value passes the guard and the form's own rules answer (a title is text)
    const atLimit = await c.data<any, any>(ENTRY, { form: form.id, values: { title: nested(MAX_JSON_DEPTH - 1) } });
    expect(atLimit.createEntry).toEqual({ __typename: 'UserError', code: 'BAD_USER_INPUT' });
  });

  it('refuses JSON nested 10,000 levels without overflowing the stack', async () => {
    const before = await entryCount();
    const values = deepJson(10_000, '{"a":', '}', '1');
    const r = await rawRequest(`{"query":${JSON.stringify(ENTRY)},"variables":{"form":${JSON.stringify(form.id)},"values":${values}}}`);
    expect(r.status).toBe(400);
    expect(r.body.errors!.map((e) => [e.extensions?.code, e.extensions?.issues?.[0]?.code])).toEqual([['BAD_USER_INPUT', 'TOO_DEEP']]);
    expect(await entryCount()).toBe(before);
  });

  it('refuses a RecordFilter nested 10,000 levels before variable coercion', async () => {
    const filter = deepJson(10_000, '{"and":[', ']}', '{"field":"title","value":"x"}');
    const query = `query($id: ID!, $f: RecordFilter) { form(id: $id) { entries(filter: $f) { totalCount } } }`;
    const r = await rawRequest(`{"query":${JSON.stringify(query)},"variables":{"id":${JSON.stringify(form.id)},"f":${filter}}}`);
    expect(r.status).toBe(400);
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    const issues = r.body.errors![0]!.extensions!.issues!;
    expect(issues).toHaveLength(1);
    expect(issues[0]!.code).toBe('TOO_DEEP');
    // the argument name, then one key per level up to the limit
    expect(issues[0]!.path).toHaveLength(MAX_INPUT_DEPTH + 1);
    expect(issues[0]!.path.slice(0, 3)).toEqual(['filter', 'and', '0']);
  });

  it(`refuses a list of more than ${MAX_LIST_LENGTH} elements`, async () => {
    const before = await entryCount();
    const values = Array.from({ length: MAX_LIST_LENGTH + 1 }, () => ({}));
    expect(
      await refused(`mutation($form: ID!, $values: [JSON!]!) { createEntries(form: $form, values: $values) { __typename } }`, { form: form.id, values }),
    ).toEqual([{ path: ['values'], code: 'TOO_MANY' }]);
    expect(await entryCount()).toBe(before);
  });
});

describe('file uploads', () => {
  it('refuses a file name with a NUL byte and stores nothing', async () => {
    const before = await t.server.db.storedFile.count();
    const body = new FormData();
    body.set('operations', JSON.stringify({ query: `mutation($file: Upload!) { uploadFile(file: $file) { __typename } }`, variables: { file: null } }));
    body.set('map', JSON.stringify({ 0: ['variables.file'] }));
    body.set('0', new File(['hello'], 'a\u0000b.txt', { type: 'text/plain' }));
    const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${tenant.key}` }, body });
    const json = (await res.json()) as { errors?: GraphQLErrorBody[] };
    expect(res.status).toBe(400);
    expect(json.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(json.errors?.[0]?.extensions?.issues?.map((i) => i.path)).toEqual([['file']]);
    expect(await t.server.db.storedFile.count()).toBe(before);
  });
});

describe('over graphql-ws', () => {
  it('refuses a NUL byte the same way', async () => {
    const client = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${tenant.key}` },
      retryAttempts: 0,
      lazy: true,
    });
    try {
      const result = await new Promise<{ errors?: readonly GraphQLErrorBody[] }>((resolve, reject) => {
        let last: { errors?: readonly GraphQLErrorBody[] } = {};
        client.subscribe(
          { query: ENTRY, variables: { form: form.id, values: { title: '\u0000' } } },
          { next: (m) => (last = m as typeof last), error: reject, complete: () => resolve(last) },
        );
      });
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.extensions).not.toHaveProperty('http');
      expect(result.errors?.[0]?.extensions?.issues).toEqual([expect.objectContaining({ path: ['values', 'title'], code: 'NUL_CHARACTER' })]);
    } finally {
      await client.dispose();
    }
  });
});
