import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { buildSchema } from '../../../src/schema.js';
import { startLoggedServer, type LoggedServer } from './logged-server.js';
import { apiKeyFor, createTenant, type Tenant } from '../../helpers/fixtures.js';
import { createJob, createWorkflow } from '../jobs/documents.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

/** Every subscription field, with ids to try; a new field without an entry here fails the first test. */
const FIELDS: Record<string, (ids: { job: string; workflow: string }) => { query: string; variables: Record<string, unknown> }> = {
  jobUpdated: ({ job }) => ({ query: 'subscription($id: ID!) { jobUpdated(id: $id) { id } }', variables: { id: job } }),
  jobLogAppended: ({ job }) => ({ query: 'subscription($id: ID!) { jobLogAppended(jobId: $id) { message } }', variables: { id: job } }),
  jobsUpdated: ({ workflow }) => ({ query: 'subscription($w: ID) { jobsUpdated(workflow: $w) { id } }', variables: { w: workflow } }),
};

type Outcome = { codes: (string | undefined)[]; requiredScope?: unknown };

/** Runs a subscription over graphql-ws until it fails or yields once. */
async function overWs(
  url: string,
  headers: Record<string, string>,
  op: { query: string; variables: Record<string, unknown> },
  via: 'connectionParams' | 'extensions',
): Promise<Outcome> {
  const client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: via === 'connectionParams' ? headers : {},
    retryAttempts: 0,
  });
  try {
    const iterator = client.iterate({ ...op, extensions: via === 'extensions' ? { headers } : undefined })[Symbol.asyncIterator]();
    const first = await iterator.next();
    await iterator.return?.();
    const errors = (first.value as { errors?: { extensions?: Record<string, unknown> }[] } | undefined)?.errors ?? [];
    return { codes: errors.map((e) => e.extensions?.code as string), requiredScope: errors[0]?.extensions?.requiredScope };
  } catch (error) {
    const errors = Array.isArray(error) ? (error as { extensions?: Record<string, unknown> }[]) : [];
    return {
      codes: errors.length ? errors.map((e) => e.extensions?.code as string) : [`closed ${(error as { code?: number }).code}`],
      requiredScope: errors[0]?.extensions?.requiredScope,
    };
  } finally {
    await client.dispose();
  }
}

/** Runs a subscription over SSE; a refusal before the stream opens ends the response. */
async function overSse(
  url: string,
  headers: Record<string, string>,
  op: { query: string; variables: Record<string, unknown> },
): Promise<Outcome & { status: number }> {
  const r = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify(op),
  });
  const text = await r.text();
  const payloads = [...text.matchAll(/^data: (.+)$/gm)].map((m) => JSON.parse(m[1]!) as { errors?: { extensions?: Record<string, unknown> }[] });
  const errors = payloads.flatMap((p) => p.errors ?? []);
  if (!r.headers.get('content-type')?.startsWith('text/event-stream')) errors.push(...((JSON.parse(text) as { errors?: never[] }).errors ?? []));
  return { status: r.status, codes: errors.map((e) => e.extensions?.code as string), requiredScope: errors[0]?.extensions?.requiredScope };
}

describe('subscriptions are authorised before the stream opens', () => {
  let t: LoggedServer;
  let tenant: Tenant;
  let other: Tenant;
  let ids: { job: string; workflow: string };
  let foreign: { job: string; workflow: string };
  beforeAll(async () => {
    t = await startLoggedServer();
    tenant = await createTenant(t.server.db);
    other = await createTenant(t.server.db);
    const later = new Date(Date.now() + 3600_000).toISOString();
    const c = t.client.as(tenant.key);
    const workflow = await createWorkflow(c, { tasks: [{ kind: 'log', parameters: { message: 'x' } }] });
    ids = { workflow, job: (await createJob(c, { workflow, startAt: later })).id };
    const o = t.client.as(other.key);
    const otherWorkflow = await createWorkflow(o, { tasks: [{ kind: 'log', parameters: { message: 'x' } }] });
    foreign = { workflow: otherWorkflow, job: (await createJob(o, { workflow: otherWorkflow, startAt: later })).id };
  });
  afterAll(() => t?.stop());

  it('covers every subscription field', () => {
    expect(Object.keys(buildSchema().getSubscriptionType()!.getFields()).sort()).toEqual(Object.keys(FIELDS).sort());
  });

  for (const [field, op] of Object.entries(FIELDS)) {
    describe(field, () => {
      it('no credential: UNAUTHENTICATED (HTTP 401 over SSE), never INTERNAL', async () => {
        expect((await overWs(t.url, {}, op(ids), 'connectionParams')).codes).toEqual(['UNAUTHENTICATED']);
        const sse = await overSse(t.url, {}, op(ids));
        expect([sse.status, sse.codes]).toEqual([401, ['UNAUTHENTICATED']]);
        expect(t.lines.some((l) => /requireWorkspace called without a principal/.test(JSON.stringify(l)))).toBe(false);
      });

      it('a credential without READ: FORBIDDEN naming READ, over graphql-ws (connectionParams or extensions.headers) and SSE', async () => {
        const writeOnly = { 'x-api-key': await apiKeyFor(t.server.db, tenant.workspaceId, ['WRITE']) };
        for (const via of ['connectionParams', 'extensions'] as const) {
          expect(await overWs(t.url, writeOnly, op(ids), via)).toEqual({ codes: ['FORBIDDEN'], requiredScope: 'READ' });
        }
        expect(await overSse(t.url, writeOnly, op(ids))).toMatchObject({ codes: ['FORBIDDEN'], requiredScope: 'READ' });
      });

      it('an unknown or foreign id: NOT_FOUND before the stream opens', async () => {
        const auth = { authorization: `Bearer ${tenant.key}` };
        for (const bad of [foreign, { job: encodeGlobalID('Job', MISSING), workflow: encodeGlobalID('Workflow', MISSING) }]) {
          expect((await overWs(t.url, auth, op(bad), 'extensions')).codes).toEqual(['NOT_FOUND']);
          expect((await overSse(t.url, auth, op(bad))).codes).toEqual(['NOT_FOUND']);
        }
      });
    });
  }

  it("reads the credential GraphiQL sends in the subscribe message's extensions.headers, per operation", async () => {
    const client = createClient({ url: `${t.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const run = async (headers: Record<string, string>) => {
        const results: unknown[] = [];
        for await (const r of client.iterate({ query: '{ viewer { workspace { id } } }', extensions: { headers } })) results.push(r);
        return results;
      };
      const mine = (await run({ authorization: `Bearer ${tenant.key}` })) as { data: { viewer: { workspace: { id: string } } } }[];
      const theirs = (await run({ 'x-api-key': other.key })) as { data: { viewer: { workspace: { id: string } } } }[];
      expect(mine[0]!.data.viewer.workspace.id).toBe(encodeGlobalID('Workspace', tenant.workspaceId));
      expect(theirs[0]!.data.viewer.workspace.id).toBe(encodeGlobalID('Workspace', other.workspaceId));
      const invalid = await run({ 'x-api-key': 'fgk_not_a_key' }).catch((e: { extensions?: { code?: string } }[]) => e.map((x) => x.extensions?.code));
      expect(invalid).toEqual(['UNAUTHENTICATED']);
    } finally {
      await client.dispose();
    }
  });
});
