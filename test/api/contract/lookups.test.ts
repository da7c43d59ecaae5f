import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import { ok, type GraphQLClient } from '../../helpers/graphql-client.js';
import { createEntries, createForm } from '../forms/helpers.js';
import { createResponse, createTag, onboard } from '../feedback/helpers.js';
import { createWorkflow } from '../jobs/documents.js';

let t: TestServer;
let tenant: Tenant;
let c: GraphQLClient;
let other: GraphQLClient;
let formId: string;
/** lookup field -> the id of an object of this workspace */
const ids: Record<string, string> = {};

const create = async (mutation: string, variables: Record<string, unknown> = {}) => {
  const r = await c.data<any, any>(mutation, variables);
  return ok(Object.values(r)[0] as { __typename: string; data: { id: string } }).id;
};

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTenant(t.server.db);
  c = t.client.as(tenant.key);
  other = t.client.as((await createTenant(t.server.db)).key);
  await onboard(c);
  // feedback lookups are behind the onboarding gate, like their lists
  await onboard(other);

  formId = (await createForm(c, { name: 'Lookups', fields: [{ key: 'n', label: 'N', type: 'NUMBER' }] })).id;
  ids.entry = (await createEntries(c, formId, [{ n: 1 }]))[0]!.id;
  ids.response = (await createResponse(c, { feedback: 'fine', score: 9, metricType: 'NPS' })).id;
  ids.tag = (await createTag(c, { name: 'lookup', mode: 'MANUAL' })).id;
  ids.survey = await create(
    `mutation { createSurvey(input: { name: "S", type: LINK }) { __typename ... on MutationCreateSurveySuccess { data { id } } ... on UserError { code message } } }`,
  );
  ids.project = await create(
    `mutation { createProject(name: "Lookup project") { __typename ... on MutationCreateProjectSuccess { data { id } } ... on UserError { code message } } }`,
  );
  ids.export = await create(
    `mutation { createExport(type: USERS) { __typename ... on MutationCreateExportSuccess { data { id } } ... on UserError { code message } } }`,
  );
  ids.view = await create(
    `mutation($form: ID!) { createView(form: $form, input: { name: "V" }) { __typename ... on MutationCreateViewSuccess { data { id } } ... on UserError { code message } } }`,
    { form: formId },
  );
  ids.workflow = await createWorkflow(c, { tasks: [{ kind: 'log', parameters: { message: 'x' } }] });
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
      uploadId: '00000000-0000-4000-8000-000000000001',
    },
  });
  ids.import = encodeGlobalID('Import', upload.id);
});
afterAll(() => t?.stop());

describe('root lookups by id', () => {
  const fields = ['entry', 'survey', 'response', 'tag', 'project', 'workflow', 'import', 'export', 'view'];

  it.each(fields)('%s(id) finds the object of the workspace, and answers null for another workspace', async (field) => {
    const doc = `query($id: ID!) { ${field}(id: $id) { __typename id } }`;
    const mine = await c.data<any, any>(doc, { id: ids[field] });
    expect(mine[field]).toEqual({ __typename: expect.any(String), id: ids[field] });
    const theirs = await other.request<any, any>(doc, { id: ids[field] });
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data[field]).toBeNull();
  });

  it('refuse an id of another type as BAD_USER_INPUT', async () => {
    const r = await c.request(`query($id: ID!) { survey(id: $id) { id } }`, { id: ids.tag });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('Entry.form', () => {
  it('links each entry to its form, in a constant number of SQL statements per page', async () => {
    const doc = `query($id: ID!, $first: Int) { form(id: $id) { entries(first: $first) { nodes { id form { id name } } } } }`;
    const one = await c.request<any, any>(`query($id: ID!) { entry(id: $id) { form { id name } } }`, { id: ids.entry });
    expect(one.data.entry.form).toEqual({ id: formId, name: 'Lookups' });
    await createEntries(
      c,
      formId,
      Array.from({ length: 29 }, (_, i) => ({ n: i })),
    );
    const small = await c.request<any, any>(doc, { id: formId, first: 2 });
    const large = await c.request<any, any>(doc, { id: formId, first: 30 });
    expect(large.data.form.entries.nodes).toHaveLength(30);
    expect(large.data.form.entries.nodes.every((n: any) => n.form.id === formId)).toBe(true);
    expect(Number.isFinite(large.statements)).toBe(true);
    expect(large.statements).toBe(small.statements);
  });
});
