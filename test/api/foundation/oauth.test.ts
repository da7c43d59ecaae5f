import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, memberOf, type Tenant } from '../../helpers/fixtures.js';
import { ok } from '../../helpers/graphql-client.js';
import { graphql } from '../../gql/index.js';
import { sha256 } from '../../../src/auth/secrets.js';
import { publishCredentialChange } from '../../../src/auth/credential-change.js';
import { addMember, removeMember } from '../../../src/modules/identity/identity.service.js';

const CreateClient = graphql(`
  mutation FoundationOAuthCreateClient($name: String!, $scopes: [Scope!]!) {
    createOAuthClient(name: $name, scopes: $scopes) {
      __typename
      ... on MutationCreateOAuthClientSuccess {
        data {
          clientId
          clientSecret
          scopes
        }
      }
    }
  }
`);

const WhoAmI = graphql(`
  query FoundationOAuthWhoAmI {
    viewer {
      kind
      scopes
      role
    }
  }
`);

type Body = 'form' | 'multipart' | 'json';

interface TokenReply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function tokenRequest(
  t: TestServer,
  params: Record<string, string>,
  as: Body = 'form',
  headers: Record<string, string> = {},
  path = '/oauth/token',
): Promise<TokenReply> {
  let body: BodyInit;
  const h = { ...headers };
  if (as === 'json') {
    body = JSON.stringify(params);
    h['content-type'] = 'application/json';
  } else if (as === 'multipart') {
    const form = new FormData();
    for (const [k, v] of Object.entries(params)) form.append(k, v);
    body = form;
  } else {
    body = new URLSearchParams(params);
  }
  const response = await fetch(`${t.url}${path}`, { method: 'POST', headers: h, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });

describe('OAuth 2.0 token endpoint', () => {
  let t: TestServer;
  let tenant: Tenant;
  let admin: { email: string; password: string; user: { id: string } };
  beforeAll(async () => {
    t = await startTestServer();
    tenant = await createTenant(t.server.db, ['READ', 'WRITE', 'MANAGE']);
    admin = await memberOf(t.server.db, tenant.workspaceId, 'ADMIN');
  });
  afterAll(() => t?.stop());

  const graphqlStatus = async (token: string) => (await t.client.as(token).request(WhoAmI)).status;

  describe.each<Body>(['form', 'multipart', 'json'])('password grant, %s body', (as) => {
    it('issues a bearer access token and a refresh token (RFC 6749 5.1)', async () => {
      const r = await tokenRequest(t, { grant_type: 'password', username: admin.email.toUpperCase(), password: admin.password }, as);
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.headers.get('pragma')).toBe('no-cache');
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      expect(r.body).toEqual({
        access_token: expect.stringMatching(/^fga_/),
        token_type: 'bearer',
        expires_in: 7200,
        refresh_token: expect.stringMatching(/^fgr_/),
        scope: 'READ WRITE MANAGE',
      });
      const viewer = await t.client.as(r.body.access_token as string).data(WhoAmI);
      expect(viewer.viewer).toEqual({ kind: 'USER', role: 'ADMIN', scopes: ['READ', 'WRITE', 'MANAGE'] });
      // stored as hashes only
      const row = await t.server.db.oAuthToken.findUniqueOrThrow({ where: { tokenHash: sha256(r.body.access_token as string) } });
      expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThan(7190_000);
    });

    it('answers a wrong password and an unknown user alike: invalid_grant', async () => {
      const wrong = await tokenRequest(t, { grant_type: 'password', username: admin.email, password: 'not the password' }, as);
      const unknown = await tokenRequest(t, { grant_type: 'password', username: 'nobody@example.com', password: 'not the password' }, as);
      expect(wrong.status).toBe(400);
      expect(wrong.body).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
      expect(unknown.body).toEqual(wrong.body);
      expect(wrong.headers.get('cache-control')).toBe('no-store');
    });
  });

  it('picks the workspace from workspace_id (UUID or global id) for members of several', async () => {
    const other = await createTenant(t.server.db, ['READ']);
    await t.server.db.membership.create({ data: { workspaceId: other.workspaceId, userId: admin.user.id, role: 'VIEWER' } });
    const globalId = Buffer.from(`Workspace:${other.workspaceId}`).toString('base64');
    for (const workspace_id of [other.workspaceId, globalId]) {
      const r = await tokenRequest(t, { grant_type: 'password', username: admin.email, password: admin.password, workspace_id });
      expect(r.body.scope).toBe('READ');
      expect((await t.client.as(r.body.access_token as string).data(WhoAmI)).viewer).toEqual({ kind: 'USER', role: 'VIEWER', scopes: ['READ'] });
    }
    const stranger = await createTenant(t.server.db, ['READ']);
    const refused = await tokenRequest(t, { grant_type: 'password', username: admin.email, password: admin.password, workspace_id: stranger.workspaceId });
    expect([refused.status, refused.body.error]).toEqual([400, 'invalid_grant']);
    // without workspace_id: the first workspace the user joined
    const first = await tokenRequest(t, { grant_type: 'password', username: admin.email, password: admin.password });
    expect(first.body.scope).toBe('READ WRITE MANAGE');
  });

  it('narrows scopes on request and refuses scopes the role does not have (invalid_scope)', async () => {
    const narrowed = await tokenRequest(t, { grant_type: 'password', username: admin.email, password: admin.password, scope: 'read' });
    expect(narrowed.body.scope).toBe('READ');
    expect((await t.client.as(narrowed.body.access_token as string).data(WhoAmI)).viewer.scopes).toEqual(['READ']);
    const tooMuch = await tokenRequest(t, { grant_type: 'password', username: admin.email, password: admin.password, scope: 'READ INTERNAL' });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error).toBe('invalid_scope');
  });

  it('refuses unknown grant types, missing parameters, other methods and other bodies', async () => {
    const unsupported = await tokenRequest(t, { grant_type: 'authorization_code', code: 'x' });
    expect([unsupported.status, unsupported.body.error]).toEqual([400, 'unsupported_grant_type']);
    const missing = await tokenRequest(t, { username: admin.email });
    expect([missing.status, missing.body.error]).toEqual([400, 'invalid_request']);
    const noPassword = await tokenRequest(t, { grant_type: 'password', username: admin.email }, 'json');
    expect([noPassword.status, noPassword.body.error]).toEqual([400, 'invalid_request']);
    const plain = await fetch(`${t.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'grant_type=password' });
    expect(plain.status).toBe(400);
    expect(((await plain.json()) as { error: string }).error).toBe('invalid_request');
    const brokenJson = await fetch(`${t.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":' });
    expect(brokenJson.status).toBe(400);
    expect(((await brokenJson.json()) as { error: string }).error).toBe('invalid_request');
    const get = await fetch(`${t.url}/oauth/token`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  describe('client_credentials', () => {
    let client: { clientId: string; clientSecret: string };
    beforeAll(async () => {
      const created = ok((await t.client.as(tenant.key).data(CreateClient, { name: 'warehouse sync', scopes: ['READ', 'WRITE'] })).createOAuthClient);
      expect(created.scopes).toEqual(['READ', 'WRITE']);
      client = created;
    });

    it('issues an access token without a refresh token, with HTTP Basic or body credentials', async () => {
      const viaBasic = await tokenRequest(t, { grant_type: 'client_credentials' }, 'form', basic(client.clientId, client.clientSecret));
      expect(viaBasic.status).toBe(200);
      expect(viaBasic.body).toEqual({ access_token: expect.stringMatching(/^fga_/), token_type: 'bearer', expires_in: 7200, scope: 'READ WRITE' });
      const viaBody = await tokenRequest(
        t,
        { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, scope: 'READ' },
        'json',
      );
      expect(viaBody.body.scope).toBe('READ');
      const viewer = await t.client.as(viaBody.body.access_token as string).data(WhoAmI);
      expect(viewer.viewer).toEqual({ kind: 'OAUTH_CLIENT', role: null, scopes: ['READ'] });
    });

    it('answers bad client credentials with 401 invalid_client and WWW-Authenticate', async () => {
      for (const headers of [basic(client.clientId, 'fgs_wrong'), basic('fgc_unknown', client.clientSecret)]) {
        const r = await tokenRequest(t, { grant_type: 'client_credentials' }, 'form', headers);
        expect(r.status).toBe(401);
        expect(r.body.error).toBe('invalid_client');
        expect(r.headers.get('www-authenticate')).toMatch(/^Basic/);
      }
      const withoutClient = await tokenRequest(t, { grant_type: 'client_credentials' });
      expect([withoutClient.status, withoutClient.body.error]).toEqual([401, 'invalid_client']);
      const bodyWrong = await tokenRequest(t, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'nope' }, 'multipart');
      expect([bodyWrong.status, bodyWrong.body.error]).toEqual([401, 'invalid_client']);
    });

    it('cannot ask for scopes the client was not given', async () => {
      const r = await tokenRequest(t, { grant_type: 'client_credentials', scope: 'MANAGE' }, 'form', basic(client.clientId, client.clientSecret));
      expect([r.status, r.body.error]).toEqual([400, 'invalid_scope']);
    });
  });

  describe('refresh_token', () => {
    const login = async () =>
      (await tokenRequest(t, { grant_type: 'password', username: admin.email, password: admin.password })).body as {
        access_token: string;
        refresh_token: string;
      };

    it('rotates: the new pair works, the used refresh token fails invalid_grant', async () => {
      const first = await login();
      const second = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, 'json');
      expect(second.status).toBe(200);
      expect(second.body.refresh_token).not.toBe(first.refresh_token);
      expect(second.body.access_token).not.toBe(first.access_token);
      expect(await graphqlStatus(second.body.access_token as string)).toBe(200);

      const again = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
      expect([again.status, again.body.error]).toEqual([400, 'invalid_grant']);
    });

    it('treats reuse of a rotated refresh token as theft and revokes the whole family', async () => {
      const first = await login();
      const second = (await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: first.refresh_token })).body as {
        access_token: string;
        refresh_token: string;
      };
      const unrelated = await login();
      // the attacker replays the old refresh token
      const replay = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
      expect(replay.body.error).toBe('invalid_grant');
      // every token of that family stops working: the rotated pair and the original access token
      expect(await graphqlStatus(second.access_token)).toBe(401);
      expect(await graphqlStatus(first.access_token)).toBe(401);
      const next = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: second.refresh_token });
      expect(next.body.error).toBe('invalid_grant');
      // another login of the same user is another family and keeps working
      expect(await graphqlStatus(unrelated.access_token)).toBe(200);
    });

    it('lets exactly one of two concurrent uses of a refresh token win', async () => {
      const first = await login();
      const results = await Promise.all([1, 2].map(() => tokenRequest(t, { grant_type: 'refresh_token', refresh_token: first.refresh_token })));
      expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    });

    it('refuses an access token presented as a refresh token', async () => {
      const first = await login();
      const r = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: first.access_token });
      expect([r.status, r.body.error]).toEqual([400, 'invalid_grant']);
    });
  });

  describe('access tokens', () => {
    it('answers an expired access token with HTTP 401 UNAUTHENTICATED', async () => {
      const { access_token } = (await tokenRequest(t, { grant_type: 'password', username: admin.email, password: admin.password })).body as {
        access_token: string;
      };
      expect(await graphqlStatus(access_token)).toBe(200);
      await t.server.db.oAuthToken.update({ where: { tokenHash: sha256(access_token) }, data: { expiresAt: new Date(Date.now() - 1000) } });
      // whoever changes a credential in the database tells the running servers
      await publishCredentialChange(t.server.events, { workspaceId: tenant.workspaceId });
      const r = await t.client.as(access_token).request(WhoAmI);
      expect(r.status).toBe(401);
      expect(r.errors).toEqual([{ message: 'Access token expired', extensions: { code: 'UNAUTHENTICATED' } }]);
    });

    it("never grants more than the member's current role", async () => {
      const editor = await memberOf(t.server.db, tenant.workspaceId, 'ADMIN');
      const { access_token } = (await tokenRequest(t, { grant_type: 'password', username: editor.email, password: editor.password })).body as {
        access_token: string;
      };
      expect((await t.client.as(access_token).data(WhoAmI)).viewer).toMatchObject({ kind: 'USER', role: 'ADMIN' });
      await addMember(t.server.db, tenant.workspaceId, { email: editor.email, name: 'Editor', password: editor.password, role: 'VIEWER' }, t.server.events);
      expect((await t.client.as(access_token).data(WhoAmI)).viewer).toEqual({ kind: 'USER', role: 'VIEWER', scopes: ['READ'] });
      await removeMember(t.server.db, t.server.events, tenant.workspaceId, editor.user.id);
      expect(await graphqlStatus(access_token)).toBe(401);
    });
  });

  describe('revocation (RFC 7009)', () => {
    it('revokes an access token; answers 200 for unknown tokens too', async () => {
      const pair = (await tokenRequest(t, { grant_type: 'password', username: admin.email, password: admin.password })).body as {
        access_token: string;
        refresh_token: string;
      };
      const r = await tokenRequest(t, { token: pair.access_token, token_type_hint: 'access_token' }, 'form', {}, '/oauth/revoke');
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toBe('no-store');
      const after = await t.client.as(pair.access_token).request(WhoAmI);
      expect(after.status).toBe(401);
      expect(after.errors?.[0]?.message).toBe('Access token revoked');
      // the refresh token of that login still works: only the access token was revoked
      expect((await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: pair.refresh_token })).status).toBe(200);

      const unknown = await tokenRequest(t, { token: 'fga_never_issued' }, 'json', {}, '/oauth/revoke');
      expect(unknown.status).toBe(200);
      const missing = await tokenRequest(t, {}, 'json', {}, '/oauth/revoke');
      expect([missing.status, missing.body.error]).toEqual([400, 'invalid_request']);
    });

    it('revoking a refresh token ends its family, access tokens included', async () => {
      const pair = (await tokenRequest(t, { grant_type: 'password', username: admin.email, password: admin.password })).body as {
        access_token: string;
        refresh_token: string;
      };
      expect((await tokenRequest(t, { token: pair.refresh_token }, 'multipart', {}, '/oauth/revoke')).status).toBe(200);
      expect(await graphqlStatus(pair.access_token)).toBe(401);
      expect((await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: pair.refresh_token })).body.error).toBe('invalid_grant');
    });

    it("does not let one client revoke another client's tokens", async () => {
      const a = ok((await t.client.as(tenant.key).data(CreateClient, { name: 'a', scopes: ['READ'] })).createOAuthClient);
      const b = ok((await t.client.as(tenant.key).data(CreateClient, { name: 'b', scopes: ['READ'] })).createOAuthClient);
      const token = (await tokenRequest(t, { grant_type: 'client_credentials' }, 'form', basic(a.clientId, a.clientSecret))).body.access_token as string;
      expect((await tokenRequest(t, { token }, 'form', basic(b.clientId, b.clientSecret), '/oauth/revoke')).status).toBe(200);
      expect(await graphqlStatus(token)).toBe(200);
      expect((await tokenRequest(t, { token }, 'form', basic(a.clientId, a.clientSecret), '/oauth/revoke')).status).toBe(200);
      expect(await graphqlStatus(token)).toBe(401);
    });
  });
});
