import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createTenant, type Tenant } from '../helpers/fixtures.js';
import { graphql } from '../gql/index.js';

const ViewerQuery = graphql(`
  query SmokeViewer {
    viewer {
      kind
      scopes
      workspace {
        id
        name
      }
    }
  }
`);

describe('smoke', () => {
  let t: TestServer;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestServer();
    tenant = await createTenant(t.server.db, ['READ']);
  });
  afterAll(() => t?.stop());

  it('answers __typename anonymously', async () => {
    const r = await t.client.request('{ __typename }');
    expect(r.data).toEqual({ __typename: 'Query' });
    expect(r.headers.get('x-request-id')).toBeTruthy();
  });

  it('tells an API key who it is', async () => {
    const data = await t.client.as(tenant.key).data(ViewerQuery);
    expect(data.viewer.kind).toBe('API_KEY');
    expect(data.viewer.scopes).toEqual(['READ']);
    expect(data.viewer.workspace.name).toMatch(/^Workspace/);
  });

  it('fails viewer without a credential with UNAUTHENTICATED', async () => {
    const errors = await t.client.errors(ViewerQuery);
    expect(errors[0]!.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
