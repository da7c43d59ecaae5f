import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { apiKeyFor, createTenant, type Tenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { createEntries, createForm } from '../forms/helpers.js';
import { createModule, createRecords } from '../crm/helpers.js';
import { createResponse, createTag, onboard } from '../feedback/helpers.js';

/** docs/api-conventions.md, "Scopes": WRITE changes data, deleting it included; MANAGE changes schemas. */

let t: TestServer;
let tenant: Tenant;
let manager: GraphQLClient;
let writer: GraphQLClient;

const created = async (mutation: string) => {
  const r = await manager.data<Record<string, { __typename: string; data: { id: string } }>, undefined>(mutation);
  const result = Object.values(r)[0]!;
  expect(result.__typename, JSON.stringify(result)).toMatch(/Success$/);
  return result.data.id;
};

const remove = (client: GraphQLClient, mutation: string, id: string) =>
  client.request<Record<string, { __typename: string }>, { id: string }>(`mutation($id: ID!) { ${mutation}(id: $id) { __typename } }`, { id });

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTenant(t.server.db);
  manager = t.client.as(tenant.key);
  writer = t.client.as(await apiKeyFor(t.server.db, tenant.workspaceId, ['READ', 'WRITE']));
  await onboard(manager);
});
afterAll(() => t?.stop());

describe('a READ+WRITE key', () => {
  it('deletes data: entries, module records, responses, surveys, projects, tags and imports', async () => {
    const form = (await createForm(manager, { name: 'Deletes', fields: [{ key: 'n', label: 'N', type: 'NUMBER' }] })).id;
    const module = (await createModule(manager, 'Deals', 'deals', [{ key: 'name', label: 'Name', type: 'TEXT' }])).id;
    const upload = await t.server.db.import.create({
      data: {
        workspaceId: tenant.workspaceId,
        name: 'i.csv',
        fileName: 'i.csv',
        byteSize: 1,
        columns: [],
        totalRows: 0,
        validRows: 0,
        invalidRows: 0,
        status: 'COMPLETED',
        uploadId: '00000000-0000-4000-8000-000000000001',
      },
    });
    const targets: [string, string][] = [
      ['deleteEntry', (await createEntries(manager, form, [{ n: 1 }]))[0]!.id],
      ['deleteModuleRecord', (await createRecords(manager, module, [{ name: 'x' }]))[0]!.id],
      ['deleteResponse', (await createResponse(manager, { feedback: 'fine', score: 9, metricType: 'NPS' })).id],
      ['deleteTag', (await createTag(manager, { name: 'gone', mode: 'MANUAL' })).id],
      [
        'deleteSurvey',
        await created(`mutation { createSurvey(input: { name: "S", type: LINK }) { __typename ... on MutationCreateSurveySuccess { data { id } } } }`),
      ],
      ['deleteProject', await created(`mutation { createProject(name: "P") { __typename ... on MutationCreateProjectSuccess { data { id } } } }`)],
      ['deleteImport', encodeGlobalID('Import', upload.id)],
    ];
    for (const [mutation, id] of targets) {
      const r = await remove(writer, mutation, id);
      expect(r.errors, `${mutation}: ${JSON.stringify(r.errors)}`).toBeUndefined();
      expect(r.data![mutation]!.__typename).toMatch(/Success$/);
    }
  });

  it('cannot delete a form or a module (schemas need MANAGE), and nothing is deleted', async () => {
    const form = (await createForm(manager, { name: 'Kept', fields: [{ key: 'n', label: 'N', type: 'NUMBER' }] })).id;
    const module = (await createModule(manager, 'Kept', 'kept', [{ key: 'name', label: 'Name', type: 'TEXT' }])).id;
    for (const [mutation, id] of [
      ['deleteForm', form],
      ['deleteModule', module],
    ] as const) {
      const errors = await writer.errors(`mutation($id: ID!) { ${mutation}(id: $id) { __typename } }`, { id });
      expect(errors[0]!.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'MANAGE' });
    }
    const still = await manager.data<Record<string, { id: string } | null>, { form: string; module: string }>(
      `query($form: ID!, $module: ID!) { form(id: $form) { id } module(id: $module) { id } }`,
      { form, module },
    );
    expect(still).toEqual({ form: { id: form }, module: { id: module } });
  });
});
