import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { apiKeyFor, createTenant, memberOf, type Tenant } from '../../helpers/fixtures.js';
import { ok, userError } from '../../helpers/graphql-client.js';
import { graphql } from '../../gql/index.js';
import { createOAuthClient } from '../../../src/modules/identity/identity.service.js';

const Viewer = graphql(`
  query FoundationAuthViewer {
    viewer {
      kind
      role
      scopes
      workspace {
        id
        name
      }
      user {
        id
        email
      }
      apiKey {
        id
        name
        lastUsedAt
      }
    }
  }
`);

const Node = graphql(`
  query FoundationAuthNode($id: ID!) {
    node(id: $id) {
      __typename
      id
    }
  }
`);

const Revoke = graphql(`
  mutation FoundationAuthRevoke($id: ID!) {
    revokeApiKey(id: $id) {
      __typename
      ... on MutationRevokeApiKeySuccess {
        data {
          id
          revokedAt
        }
      }
      ...UserErrorFields
    }
  }
`);

const CreateKey = graphql(`
  mutation FoundationAuthCreateKey($name: String!, $scopes: [Scope!]!, $expiresAt: DateTime) {
    createApiKey(name: $name, scopes: $scopes, expiresAt: $expiresAt) {
      __typename
      ... on MutationCreateApiKeySuccess {
        data {
          secret
          apiKey {
            id
            prefix
            scopes
            expiresAt
          }
        }
      }
      ...UserErrorFields
    }
  }
`);

const SignUp = graphql(`
  mutation FoundationAuthSignUp($email: String!) {
    signUp(email: $email, name: "Mallory", password: "long enough password", workspaceName: "Nope") {
      __typename
    }
  }
`);

/** POSTs a raw GraphQL request with the given headers, for the paths the client helper hides. */
async function post(t: TestServer, headers: Record<string, string>, query: string, variables?: Record<string, unknown>, operationName?: string) {
  const response = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables, operationName }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as { data?: unknown; errors?: { message: string; path?: string[]; extensions?: { code?: string } }[] },
  };
}

describe('authentication and access', () => {
  let t: TestServer;
  let a: Tenant;
  let b: Tenant;
  beforeAll(async () => {
    t = await startTestServer();
    a = await createTenant(t.server.db, ['READ', 'WRITE', 'MANAGE']);
    b = await createTenant(t.server.db, ['READ', 'WRITE', 'MANAGE']);
  });
  afterAll(() => t?.stop());

  describe('API keys', () => {
    it('accepts a valid key as Bearer or as x-api-key, and records lastUsedAt', async () => {
      const key = await apiKeyFor(t.server.db, a.workspaceId, ['READ']);
      const before = await t.server.db.apiKey.findFirstOrThrow({ where: { prefix: key.slice(0, 12) } });
      expect(before.lastUsedAt).toBeNull();

      const started = Date.now();
      const viaBearer = await t.client.as(key).data(Viewer);
      expect(viaBearer.viewer).toMatchObject({
        kind: 'API_KEY',
        role: null,
        scopes: ['READ'],
        user: null,
        workspace: { id: encodeGlobalID('Workspace', a.workspaceId) },
      });
      expect(viaBearer.viewer.apiKey!.id).toBe(encodeGlobalID('ApiKey', before.id));
      const lastUsed = new Date(viaBearer.viewer.apiKey!.lastUsedAt!).getTime();
      expect(lastUsed).toBeGreaterThanOrEqual(started - 1000);
      expect(lastUsed).toBeLessThanOrEqual(Date.now() + 1000);

      const viaHeader = await t.client.with({ 'x-api-key': key }).data(Viewer);
      expect(viaHeader.viewer.kind).toBe('API_KEY');
      const after = await t.server.db.apiKey.findUniqueOrThrow({ where: { id: before.id } });
      expect(after.lastUsedAt).not.toBeNull();
    });

    it.each([
      ['unknown', async () => 'fgk_thisKeyWasNeverIssuedByThisServer0000000000', 'Invalid API key'],
      ['malformed', async () => 'not-a-credential', 'Unrecognised credential'],
      [
        'expired',
        async () => {
          const key = await apiKeyFor(t.server.db, a.workspaceId, ['READ', 'WRITE', 'MANAGE'], new Date(Date.now() + 60_000));
          await t.server.db.apiKey.updateMany({ where: { prefix: key.slice(0, 12) }, data: { expiresAt: new Date(Date.now() - 1000) } });
          return key;
        },
        'API key expired',
      ],
      [
        'revoked',
        async () => {
          const key = await apiKeyFor(t.server.db, a.workspaceId, ['READ', 'WRITE', 'MANAGE']);
          const row = await t.server.db.apiKey.findFirstOrThrow({ where: { prefix: key.slice(0, 12) } });
          ok((await t.client.as(a.key).data(Revoke, { id: encodeGlobalID('ApiKey', row.id) })).revokeApiKey);
          return key;
        },
        'API key revoked',
      ],
    ])('refuses an %s key with HTTP 401 and UNAUTHENTICATED before anything executes', async (_kind, makeKey, reason) => {
      const key = await makeKey();
      const email = `never-${Date.now()}-${Math.random()}@example.com`;
      for (const headers of [{ authorization: `Bearer ${key}` }, { 'x-api-key': key }] as Record<string, string>[]) {
        const r = await post(
          t,
          headers,
          'mutation($email: String!) { signUp(email: $email, name: "x", password: "long enough password", workspaceName: "w") { __typename } }',
          { email },
        );
        expect(r.status).toBe(401);
        expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(r.body.data).toBeUndefined();
        expect(r.body.errors).toEqual([{ message: reason, extensions: { code: 'UNAUTHENTICATED' } }]);
      }
      // the mutation never ran
      expect(await t.server.db.user.count({ where: { email } })).toBe(0);
    });

    it('creates a key through GraphQL, shows the secret once, and the key works', async () => {
      const created = ok((await t.client.as(a.key).data(CreateKey, { name: 'deploy', scopes: ['READ', 'WRITE'] })).createApiKey);
      expect(created.secret).toMatch(/^fgk_/);
      expect(created.secret.startsWith(created.apiKey.prefix)).toBe(true);
      const viewer = await t.client.as(created.secret).data(Viewer);
      expect(viewer.viewer.scopes).toEqual(['READ', 'WRITE']);
      // only a hash is stored
      const row = await t.server.db.apiKey.findFirstOrThrow({ where: { prefix: created.apiKey.prefix } });
      expect(JSON.stringify(row)).not.toContain(created.secret);
    });

    it('reports every invalid createApiKey input at once', async () => {
      const result = (await t.client.as(a.key).data(CreateKey, { name: ' ', scopes: [], expiresAt: '2001-01-01T00:00:00Z' })).createApiKey;
      const error = userError(result);
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.issues.map((i) => [i.path.join('.'), i.code]).sort()).toEqual([
        ['expiresAt', 'IN_THE_PAST'],
        ['name', 'REQUIRED'],
        ['scopes', 'REQUIRED'],
      ]);
    });
  });

  describe('missing credential and scopes', () => {
    it('refuses a request without credential with HTTP 401 before validation, unless every root field is public', async () => {
      // test/api/foundation/root-field-auth.test.ts sends every root field this way
      for (const query of [
        '{ viewer { kind } }',
        '{ apiKeys(first: 1) { totalCount } }',
        'mutation { createApiKey(name: "x", scopes: [READ]) { __typename } }',
        // not validated first: an anonymous caller learns nothing from validation errors
        '{ noSuchField }',
        '{ __typename viewer { kind } }',
        'mutation { signUp(email: "a@example.com", name: "A", password: "a long passphrase", workspaceName: "A") { __typename } createApiKey(name: "x", scopes: [READ]) { __typename } }',
      ]) {
        const r = await post(t, {}, query);
        expect(r.status, query).toBe(401);
        expect(r.body.data, query).toBeUndefined();
        expect(
          r.body.errors!.map((e) => e.extensions?.code),
          query,
        ).toEqual(['UNAUTHENTICATED']);
      }
      // public root fields: __typename, introspection, signUp
      for (const query of [
        '{ __typename }',
        '{ __schema { queryType { name } } }',
        '{ __type(name: "Query") { name } }',
        'query Q { __typename } query R { viewer { kind } }',
      ]) {
        const r = await post(t, {}, query, undefined, query.startsWith('query Q') ? 'Q' : undefined);
        expect(r.status, query).toBe(200);
        expect(r.body.errors, query).toBeUndefined();
      }
      // GraphiQL stays public
      const page = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
    });

    it('answers FORBIDDEN when the credential lacks the scope', async () => {
      const readOnly = await apiKeyFor(t.server.db, a.workspaceId, ['READ']);
      const errors = await t.client.as(readOnly).errors('{ apiKeys(first: 1) { totalCount } }');
      expect(errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      const mutation = await t.client.as(readOnly).errors(CreateKey, { name: 'x', scopes: ['READ'] });
      expect(mutation.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(await t.server.db.apiKey.count({ where: { workspaceId: a.workspaceId, name: 'x' } })).toBe(0);
    });

    it('needs a credential for node and nodes', async () => {
      const errors = await t.client.errors(Node, { id: encodeGlobalID('Workspace', a.workspaceId) });
      expect(errors[0]!.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('marks authenticated responses Cache-Control: private, no-store', async () => {
      const r = await t.client.as(a.key).request(Viewer);
      expect(r.headers.get('cache-control')).toBe('private, no-store');
    });
  });

  describe('tenant isolation', () => {
    it("answers node() for another workspace's ApiKey, Workspace and User with null", async () => {
      const bKey = await t.server.db.apiKey.findFirstOrThrow({ where: { workspaceId: b.workspaceId } });
      const bUser = await memberOf(t.server.db, b.workspaceId, 'OWNER');
      const aUser = await memberOf(t.server.db, a.workspaceId, 'VIEWER');
      const aKey = await t.server.db.apiKey.findFirstOrThrow({ where: { workspaceId: a.workspaceId } });
      const client = t.client.as(a.key);
      for (const id of [encodeGlobalID('ApiKey', bKey.id), encodeGlobalID('Workspace', b.workspaceId), encodeGlobalID('User', bUser.user.id)]) {
        expect((await client.data(Node, { id })).node).toBeNull();
      }
      // the same lookups inside the caller's own workspace do find them: the nulls above are isolation
      for (const [typename, id] of [
        ['ApiKey', aKey.id],
        ['Workspace', a.workspaceId],
        ['User', aUser.user.id],
      ] as const) {
        expect((await client.data(Node, { id: encodeGlobalID(typename, id) })).node).toEqual({ __typename: typename, id: encodeGlobalID(typename, id) });
      }
      const nodes = await client.data('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
        ids: [encodeGlobalID('ApiKey', bKey.id), encodeGlobalID('ApiKey', aKey.id)],
      });
      expect(nodes).toEqual({ nodes: [null, { id: encodeGlobalID('ApiKey', aKey.id) }] });
    });

    it("answers revokeApiKey on another workspace's key exactly like on a key that never existed", async () => {
      const bKey = await t.server.db.apiKey.findFirstOrThrow({ where: { workspaceId: b.workspaceId } });
      const foreign = userError((await t.client.as(a.key).data(Revoke, { id: encodeGlobalID('ApiKey', bKey.id) })).revokeApiKey);
      const missing = userError((await t.client.as(a.key).data(Revoke, { id: encodeGlobalID('ApiKey', '00000000-0000-4000-8000-000000000000') })).revokeApiKey);
      expect(foreign).toEqual(missing);
      expect(foreign.code).toBe('NOT_FOUND');
      expect((await t.server.db.apiKey.findUniqueOrThrow({ where: { id: bKey.id } })).revokedAt).toBeNull();
      // and b's key still works
      expect((await t.client.as(b.key).data(Viewer)).viewer.kind).toBe('API_KEY');
    });
  });

  describe('invalid global ids', () => {
    it('answers BAD_USER_INPUT for a malformed id', async () => {
      for (const id of ['garbage', '', 'Zm9v' /* "foo": no type separator */]) {
        const errors = await t.client.as(a.key).errors(Node, { id });
        expect(
          errors.map((e) => e.extensions?.code),
          id,
        ).toEqual(['BAD_USER_INPUT']);
      }
    });

    it('answers BAD_USER_INPUT for a global id of the wrong type', async () => {
      const errors = await t.client.as(a.key).errors(Revoke, { id: encodeGlobalID('Workspace', a.workspaceId) });
      expect(errors.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(errors[0]!.message).toMatch(/not of type: ApiKey/);
    });

    it('answers BAD_USER_INPUT for a broken connection cursor', async () => {
      const errors = await t.client.as(a.key).errors('{ apiKeys(first: 1, after: "nonsense") { totalCount } }');
      expect(errors.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('viewer', () => {
    it('describes a signed-in user and an OAuth client', async () => {
      const member = await memberOf(t.server.db, a.workspaceId, 'EDITOR');
      const token = await fetch(`${t.url}/oauth/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'password', username: member.email, password: member.password }),
      }).then((r) => r.json() as Promise<{ access_token: string }>);
      const asUser = await t.client.as(token.access_token).data(Viewer);
      expect(asUser.viewer).toMatchObject({ kind: 'USER', role: 'EDITOR', scopes: ['READ', 'WRITE'], apiKey: null, user: { email: member.email } });

      const { client, secret } = await createOAuthClient(t.server.db, a.workspaceId, { name: 'etl', scopes: ['READ'] });
      const clientToken = await fetch(`${t.url}/oauth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${client.clientId}:${secret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'client_credentials' }),
      }).then((r) => r.json() as Promise<{ access_token: string }>);
      const asClient = await t.client.as(clientToken.access_token).data(Viewer);
      expect(asClient.viewer).toMatchObject({
        kind: 'OAUTH_CLIENT',
        role: null,
        scopes: ['READ'],
        user: null,
        apiKey: null,
        workspace: { id: encodeGlobalID('Workspace', a.workspaceId) },
      });
    });
  });

  it('keeps SignUp available without a credential', async () => {
    const r = await t.client.request(SignUp, { email: `open-${Date.now()}@example.com` });
    expect(r.errors).toBeUndefined();
    expect(r.data?.signUp.__typename).toBe('MutationSignUpSuccess');
  });
});
