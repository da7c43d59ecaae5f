import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createTestDatabase } from '../../setup/database.js';
import { createDb, type Db } from '../../../src/db/prisma.js';
import { createPgBus } from '../../../src/events/pg-bus.js';
import type { EventBus } from '../../../src/events/bus.js';
import { createLogger } from '../../../src/logger.js';
import { addMember, createApiKey, removeMember } from '../../../src/modules/identity/identity.service.js';
import { createTenant, memberOf, type Tenant } from '../../helpers/fixtures.js';
import { GraphQLClient, ok } from '../../helpers/graphql-client.js';
import { spawnFormgraph, subscribeWs, type ChildProcessHandle, type LiveSubscription } from '../../helpers/jobs.js';

/**
 * Two server processes on one database: a credential revoked through A (or expired, or whose
 * member lost the role) is refused at once by B, over HTTP and over WebSockets B already holds
 * open, and B's running subscriptions end. B hears of the change over the event bus (PostgreSQL
 * NOTIFY here) a few milliseconds after A commits it; A itself answers only once it has heard its
 * own notice. So B is asked until it refuses, within PROPAGATION_MS; a B that kept answering from
 * its cache fails the test.
 */
const PROPAGATION_MS = 5_000;

/** Runs `probe` until `done` holds for its result or PROPAGATION_MS pass; returns the last result. */
async function untilPropagated<T>(probe: () => Promise<T>, done: (result: T) => boolean): Promise<T> {
  const deadline = Date.now() + PROPAGATION_MS;
  for (;;) {
    const result = await probe();
    if (done(result) || Date.now() > deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('revocation reaches every process and every open connection', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Db;
  let bus: EventBus;
  let a: ChildProcessHandle;
  let b: ChildProcessHandle;
  let tenant: Tenant;
  const sockets: Client[] = [];
  const subscriptions: LiveSubscription<unknown>[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url, 2);
    bus = await createPgBus(database.url, createLogger('silent'));
    tenant = await createTenant(db);
    const env = { DATABASE_URL: database.url, EXPOSE_SQL_STATEMENT_COUNT: 'true', RATE_LIMIT_PER_MINUTE: '0' };
    [a, b] = await Promise.all([spawnFormgraph('server', env), spawnFormgraph('server', env)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(subscriptions.map((s) => s.close()));
    await Promise.all(sockets.map((s) => s.dispose()));
    await Promise.all([a?.kill(), b?.kill()]);
    await bus?.close();
    await db?.$disconnect();
    await database?.drop();
  });

  const http = (server: ChildProcessHandle, credential: string) => new GraphQLClient(server.url!).as(credential);
  type Viewer = { viewer: Record<string, unknown> };

  function socket(server: ChildProcessHandle, credential: string) {
    const closed: { code?: number }[] = [];
    const client = createClient({
      url: `${server.url!.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${credential}` },
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => {},
      on: { closed: (event) => closed.push(event as { code?: number }) },
    });
    sockets.push(client);
    const run = async (query: string) => {
      const results: { data?: any; errors?: readonly { extensions?: Record<string, unknown> }[] }[] = [];
      try {
        for await (const r of client.iterate({ query })) results.push(r as never);
      } catch (error) {
        return { refused: error };
      }
      return { results };
    };
    return { run, closed };
  }

  /** Resolves with how the subscription ended, or 'still open' when it did not within the timeout. */
  const ending = (s: LiveSubscription<unknown>, timeoutMs = 10_000) =>
    Promise.race([
      s.completed.then(
        () => 'completed',
        () => 'closed',
      ),
      new Promise((resolve) => setTimeout(() => resolve('still open'), timeoutMs)),
    ]);

  const keyCount = () => db.apiKey.count({ where: { workspaceId: tenant.workspaceId } });

  /** Refused: an UNAUTHENTICATED error, or the socket closed 4403; never a result. */
  function expectRefused(outcome: { results?: { data?: unknown; errors?: readonly { extensions?: Record<string, unknown> }[] }[]; refused?: unknown }) {
    if (outcome.results) {
      expect(
        outcome.results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code),
        JSON.stringify(outcome),
      ).toEqual(['UNAUTHENTICATED']);
      expect(outcome.results.every((r) => r.data == null)).toBe(true);
    } else {
      const e = outcome.refused as { code?: number } | { extensions?: { code?: string } }[];
      const code = Array.isArray(e) ? e[0]?.extensions?.code : e.code;
      expect([4403, 'UNAUTHENTICATED'], JSON.stringify(e)).toContain(code);
    }
  }

  it('an API key revoked through A is refused by B over HTTP and over its open WebSocket, and its subscription ends', async () => {
    const { apiKey, secret } = await createApiKey(db, tenant.workspaceId, null, { name: 'victim', scopes: ['READ', 'WRITE', 'MANAGE'] });
    // B has seen (and cached) the key on every path
    expect((await http(b, secret).request('{ viewer { kind } }')).status).toBe(200);
    const ws = socket(b, secret);
    expect(await ws.run('{ viewer { kind } }')).toEqual({ results: [{ data: { viewer: { kind: 'API_KEY' } } }] });
    const live = await subscribeWs(b.url!, secret, 'subscription { jobsUpdated { id } }');
    subscriptions.push(live);

    ok(
      (
        await http(a, tenant.key).data<any, Record<string, unknown>>(
          `mutation($id: ID!) { revokeApiKey(id: $id) { __typename ... on MutationRevokeApiKeySuccess { data { revokedAt } } } }`,
          { id: encodeGlobalID('ApiKey', apiKey.id) },
        )
      ).revokeApiKey,
    );

    const refused = await untilPropagated(
      () => http(b, secret).request('{ viewer { kind } }'),
      (r) => r.status === 401,
    );
    expect(refused.status).toBe(401);
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    const before = await keyCount();
    expectRefused(await ws.run('mutation { createApiKey(name: "escape", scopes: [READ, WRITE, MANAGE]) { __typename } }'));
    expect(await keyCount()).toBe(before);
    expect(await ending(live)).not.toBe('still open');
  }, 60_000);

  it("an OAuth access token revoked at A's /oauth/revoke is refused by B over HTTP and WebSocket", async () => {
    const member = await memberOf(db, tenant.workspaceId, 'OWNER');
    const token = await fetch(`${a.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', username: member.email, password: member.password, workspace_id: tenant.workspaceId }),
    });
    const { access_token } = (await token.json()) as { access_token: string };
    expect((await http(b, access_token).request('{ viewer { kind } }')).status).toBe(200);
    const ws = socket(b, access_token);
    expect(await ws.run('{ viewer { kind } }')).toEqual({ results: [{ data: { viewer: { kind: 'USER' } } }] });
    const live = await subscribeWs(b.url!, access_token, 'subscription { jobsUpdated { id } }');
    subscriptions.push(live);

    expect((await fetch(`${a.url}/oauth/revoke`, { method: 'POST', body: new URLSearchParams({ token: access_token }) })).status).toBe(200);

    expect(
      (
        await untilPropagated(
          () => http(b, access_token).request('{ viewer { kind } }'),
          (r) => r.status === 401,
        )
      ).status,
    ).toBe(401);
    expectRefused(await ws.run('{ viewer { kind } }'));
    expect(await ending(live)).not.toBe('still open');
  }, 60_000);

  it('a role change applies at once on B, and a removed member is refused there', async () => {
    const member = await memberOf(db, tenant.workspaceId, 'EDITOR');
    const token = await fetch(`${b.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', username: member.email, password: member.password, workspace_id: tenant.workspaceId }),
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const viewer = '{ viewer { role scopes } }';
    expect((await http(b, access_token).data<Viewer, undefined>(viewer)).viewer).toEqual({ role: 'EDITOR', scopes: ['READ', 'WRITE'] });
    const ws = socket(b, access_token);
    const live = await subscribeWs(b.url!, access_token, 'subscription { jobsUpdated { id } }');
    subscriptions.push(live);

    // what `npm run formgraph -- create-user` with an existing email does
    await addMember(db, tenant.workspaceId, { email: member.email, name: 'M', password: member.password, role: 'VIEWER' }, bus);
    const demoted = await untilPropagated(
      () => http(b, access_token).data<Viewer, undefined>(viewer),
      (r) => r.viewer.role === 'VIEWER',
    );
    expect(demoted.viewer).toEqual({ role: 'VIEWER', scopes: ['READ'] });
    const forbidden = await http(b, access_token).request('mutation($id: ID!) { cancelJob(id: $id) { __typename } }', {
      id: encodeGlobalID('Job', '00000000-0000-4000-8000-000000000000'),
    });
    expect(forbidden.errors?.map((e) => [e.extensions?.code, e.extensions?.requiredScope])).toEqual([['FORBIDDEN', 'WRITE']]);
    // its subscription was authorised with WRITE too: it ends, and may be opened again with READ
    expect(await ending(live)).not.toBe('still open');

    await removeMember(db, bus, tenant.workspaceId, member.user.id);
    expect(
      (
        await untilPropagated(
          () => http(b, access_token).request(viewer),
          (r) => r.status === 401,
        )
      ).status,
    ).toBe(401);
    expectRefused(await ws.run(viewer));
  }, 60_000);

  it('an expired key is refused by B from its cached expiry, without a SQL statement, and its subscription ends', async () => {
    const expiresAt = new Date(Date.now() + 4000);
    const { secret } = await createApiKey(db, tenant.workspaceId, null, { name: 'short-lived', scopes: ['READ'], expiresAt });
    expect((await http(b, secret).request('{ viewer { kind } }')).status).toBe(200);
    const live = await subscribeWs(b.url!, secret, 'subscription { jobsUpdated { id } }');
    subscriptions.push(live);
    // the subscription ends by itself at the expiry
    expect(await ending(live, 15_000)).not.toBe('still open');
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt.getTime() - 50);
    const refused = await http(b, secret).request('{ viewer { kind } }');
    expect(refused.status).toBe(401);
    expect(refused.statements).toBe(0);
  }, 60_000);
});
