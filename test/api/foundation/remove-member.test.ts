import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { apiKeyFor, createTenant, memberOf, type Tenant } from '../../helpers/fixtures.js';
import { ok, userError } from '../../helpers/graphql-client.js';
import { subscribeWs } from '../../helpers/jobs.js';
import { graphql } from '../../gql/index.js';
import { encodeGlobalID } from '@pothos/plugin-relay';

const RemoveMember = graphql(`
  mutation IdentityRemoveMember($id: ID!) {
    removeMember(id: $id) {
      __typename
      ... on MutationRemoveMemberSuccess {
        data
      }
      ... on UserError {
        code
        message
        issues {
          path
          code
        }
      }
    }
  }
`);

describe('removeMember', () => {
  let t: TestServer;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestServer();
    tenant = await createTenant(t.server.db);
  });
  afterAll(() => t?.stop());

  const userId = (user: { id: string }) => encodeGlobalID('User', user.id);
  const remove = async (key: string, user: { id: string }) => (await t.client.as(key).data(RemoveMember, { id: userId(user) })).removeMember;
  const passwordToken = async (member: { email: string; password: string }) => {
    const grant = await fetch(`${t.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', username: member.email, password: member.password }),
    });
    return ((await grant.json()) as { access_token: string }).access_token;
  };

  it("ends the member's access at once: HTTP answers 401 and their open WebSocket subscription ends", async () => {
    const member = await memberOf(t.server.db, tenant.workspaceId, 'EDITOR');
    const token = await passwordToken(member);
    expect((await t.client.as(token).request('{ viewer { kind } }')).status).toBe(200);
    const live = await subscribeWs(t.url, token, 'subscription { jobsUpdated { id } }');

    expect(ok(await remove(tenant.key, member.user))).toBe(userId(member.user));

    // settles only once the server ended the subscription (completed, or the socket closed 4403)
    await live.completed.catch(() => {});
    expect((await t.client.as(token).request('{ viewer { kind } }')).status).toBe(401);
    expect(await t.server.db.membership.count({ where: { workspaceId: tenant.workspaceId, userId: member.user.id } })).toBe(0);
    // the user still exists: only the membership ended
    expect(await t.server.db.user.count({ where: { id: member.user.id } })).toBe(1);
  });

  it('keeps the last OWNER; removes an OWNER while another remains', async () => {
    const first = await memberOf(t.server.db, tenant.workspaceId, 'OWNER');
    const second = await memberOf(t.server.db, tenant.workspaceId, 'OWNER');
    expect(ok(await remove(tenant.key, first.user))).toBe(userId(first.user));

    const refused = userError(await remove(tenant.key, second.user));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toMatch(/last owner/i);
    expect(refused.issues).toEqual([{ path: ['id'], code: 'LAST_OWNER' }]);
    expect(await t.server.db.membership.count({ where: { workspaceId: tenant.workspaceId, userId: second.user.id } })).toBe(1);
  });

  it("answers another workspace's member exactly like a missing one", async () => {
    const other = await createTenant(t.server.db);
    const stranger = await memberOf(t.server.db, other.workspaceId, 'EDITOR');
    const foreign = userError(await remove(tenant.key, stranger.user));
    const missing = userError(await remove(tenant.key, { id: '00000000-0000-4000-8000-000000000000' }));
    expect(foreign).toEqual(missing);
    expect(foreign.code).toBe('NOT_FOUND');
    expect(await t.server.db.membership.count({ where: { workspaceId: other.workspaceId, userId: stranger.user.id } })).toBe(1);
  });

  it('needs MANAGE', async () => {
    const member = await memberOf(t.server.db, tenant.workspaceId, 'VIEWER');
    const writer = await apiKeyFor(t.server.db, tenant.workspaceId, ['READ', 'WRITE']);
    const refused = await t.client.as(writer).request(RemoveMember, { id: userId(member.user) });
    expect(refused.errors?.map((e) => [e.extensions?.code, e.extensions?.requiredScope])).toEqual([['FORBIDDEN', 'MANAGE']]);
    expect(await t.server.db.membership.count({ where: { workspaceId: tenant.workspaceId, userId: member.user.id } })).toBe(1);
  });
});
