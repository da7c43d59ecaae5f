import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';

let t: TestServer;
let tenant: Tenant;
let c: GraphQLClient;

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTenant(t.server.db);
  c = t.client.as(tenant.key);
});
afterAll(() => t?.stop());

const UPDATE = `mutation($input: UpdateOnboardingInput!) { updateOnboarding(input: $input) {
  __typename ... on MutationUpdateOnboardingSuccess { data { onboarded } } ... on UserError { code issues { path code } } } }`;

async function written() {
  const { db } = t.server;
  const where = { workspaceId: tenant.workspaceId };
  return {
    onboarding: await db.feedbackOnboarding.count({ where }),
    projects: await db.project.count({ where }),
    tags: await db.tag.count({ where }),
    importDefaults: await db.importDefaults.count({ where }),
  };
}
const nothing = { onboarding: 0, projects: 0, tags: 0, importDefaults: 0 };

describe('updateOnboarding writes everything or nothing', () => {
  it('refuses firstImport.name with a NUL byte and writes nothing (was: INTERNAL, onboarding and project saved)', async () => {
    const r = await c.request<any, any>(UPDATE, {
      input: { category: 'GENERAL', onboarded: true, firstProjectName: 'First', firstImport: { name: 'x\u0000y' } },
    });
    expect(r.errors?.map((e) => [e.extensions?.code, e.extensions?.issues?.map((i) => i.path.join('.'))])).toEqual([
      ['BAD_USER_INPUT', ['input.firstImport.name']],
    ]);
    expect(await written()).toEqual(nothing);
  });

  it('reports the onboarding and first-import issues together, before writing anything', async () => {
    const r = await c.data<any, any>(UPDATE, {
      input: { category: 'GENERAL', onboarded: true, firstProjectName: '  ', firstImport: { language: 'not a language' } },
    });
    expect(r.updateOnboarding.code).toBe('BAD_USER_INPUT');
    expect(r.updateOnboarding.issues.map((i: { path: string[]; code: string }) => `${i.path.join('.')} ${i.code}`).sort()).toEqual([
      'input.firstImport.language INVALID_VALUE',
      'input.firstProjectName REQUIRED',
    ]);
    expect(await written()).toEqual(nothing);
  });

  it('saves onboarding, project and first-import defaults together', async () => {
    const r = await c.data<any, any>(UPDATE, {
      input: { category: 'GENERAL', onboarded: true, firstProjectName: 'First', firstImport: { name: 'Launch survey', language: 'en' } },
    });
    expect(r.updateOnboarding).toEqual({ __typename: 'MutationUpdateOnboardingSuccess', data: { onboarded: true } });
    const after = await written();
    expect(after).toMatchObject({ onboarding: 1, projects: 1, importDefaults: 1 });
    expect(after.tags).toBeGreaterThan(0);
    expect(await t.server.db.importDefaults.findUnique({ where: { workspaceId: tenant.workspaceId } })).toMatchObject({
      name: 'Launch survey',
      language: 'en',
    });
  });
});
