import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';

let t: TestServer;
let tenant: Tenant;
let c: GraphQLClient;
let moduleId: string;

const CREATE_MODULE = `mutation($input: ModuleInput!) { createModule(input: $input) { ... on MutationCreateModuleSuccess { data { id } } } }`;
const CREATE_VIEW = `mutation($module: ID!, $input: ViewInput!) { createModuleView(module: $module, input: $input) {
  __typename ... on MutationCreateModuleViewSuccess { data { id name description kind groupByField visibleFields isDefault } } ... on UserError { code issues { path code } } } }`;
const RECORDS = `query($id: ID!, $view: ID) { module(id: $id) { records(view: $view, orderBy: [{ field: "name" }]) { totalCount edges { node { values fieldValues { key } } } } } }`;

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTenant(t.server.db);
  c = t.client.as(tenant.key);
  for (const [name, handle] of [
    ['Opportunities', 'opportunities'],
    ['Contacts', 'people'],
    ['Companies', 'accounts'],
  ]) {
    const r = await c.data<any, any>(CREATE_MODULE, {
      input: {
        name,
        handle,
        fields: [
          { key: 'name', label: 'Name', type: 'TEXT' },
          {
            key: 'stage',
            label: 'Stage',
            type: 'STATIC_SELECT',
            options: [
              { id: 'open', label: 'Open' },
              { id: 'won', label: 'Won' },
            ],
          },
          { key: 'amount', label: 'Amount', type: 'NUMBER' },
          { key: 'notes', label: 'Notes', type: 'CHECKLIST' },
        ],
      },
    });
    if (handle === 'opportunities') moduleId = r.createModule.data.id;
  }
  await c.data<any, any>(`mutation($m: ID!, $v: [JSON!]!) { createModuleRecords(module: $m, values: $v) { __typename } }`, {
    m: moduleId,
    v: [
      { name: 'A', stage: 'open', amount: 10 },
      { name: 'B', stage: 'won', amount: 20 },
      { name: 'C', stage: 'won', amount: 30 },
    ],
  });
});
afterAll(() => t?.stop());

describe('modules', () => {
  it('are searchable by name or handle, case-insensitively', async () => {
    const search = async (s: string) =>
      (await c.data<any, any>(`query($s: String) { modules(search: $s) { totalCount edges { node { handle } } } }`, { s })).modules;
    expect((await search('CONTACT')).edges.map((e: any) => e.node.handle)).toEqual(['people']);
    expect((await search('accou')).edges.map((e: any) => e.node.handle)).toEqual(['accounts']);
    expect((await search('o')).totalCount).toBe(3);
    expect((await search('zzz')).totalCount).toBe(0);
  });
});

describe('views', () => {
  it('carry a kind, a grouping field and a description, checked against the module', async () => {
    const board = await c.data<any, any>(CREATE_VIEW, {
      module: moduleId,
      input: { name: 'Pipeline', description: 'by stage', kind: 'BOARD', groupByField: 'stage' },
    });
    expect(board.createModuleView.data).toMatchObject({ name: 'Pipeline', description: 'by stage', kind: 'BOARD', groupByField: 'stage', isDefault: false });
    const table = await c.data<any, any>(CREATE_VIEW, { module: moduleId, input: { name: 'Plain' } });
    expect(table.createModuleView.data).toMatchObject({ kind: 'TABLE', groupByField: null, description: null });
    const bad = await c.data<any, any>(CREATE_VIEW, { module: moduleId, input: { name: 'Bad', kind: 'BOARD', groupByField: 'notes' } });
    expect(bad.createModuleView.issues).toEqual([{ path: ['input', 'groupByField'], code: 'NOT_GROUPABLE' }]);
    const missing = await c.data<any, any>(CREATE_VIEW, { module: moduleId, input: { name: 'Bad', kind: 'BOARD' } });
    expect(missing.createModuleView.issues).toEqual([{ path: ['input', 'groupByField'], code: 'REQUIRED' }]);
    const unknown = await c.data<any, any>(CREATE_VIEW, { module: moduleId, input: { name: 'Bad', groupByField: 'nope' } });
    expect(unknown.createModuleView.issues).toEqual([{ path: ['input', 'groupByField'], code: 'UNKNOWN_FIELD' }]);
  });

  it('apply the default view when no view is given, and its visibleFields limit values and fieldValues', async () => {
    const before = await c.data<any, any>(RECORDS, { id: moduleId });
    expect(before.module.records.totalCount).toBe(3);
    expect(Object.keys(before.module.records.edges[0].node.values).sort()).toEqual(['amount', 'name', 'stage']);
    const made = await c.data<any, any>(CREATE_VIEW, {
      module: moduleId,
      input: {
        name: 'Won',
        isDefault: true,
        filter: { field: 'stage', operator: 'IS', value: 'won' },
        orderBy: [{ field: 'amount', direction: 'DESC' }],
        visibleFields: ['name', 'amount'],
      },
    });
    const viewId = made.createModuleView.data.id;
    const byDefault = await c.data<any, any>(`query($id: ID!) { module(id: $id) { records { totalCount edges { node { values fieldValues { key } } } } } }`, {
      id: moduleId,
    });
    expect(byDefault.module.records.totalCount).toBe(2);
    expect(byDefault.module.records.edges.map((e: any) => e.node.values)).toEqual([
      { name: 'C', amount: 30 },
      { name: 'B', amount: 20 },
    ]);
    expect(byDefault.module.records.edges[0].node.fieldValues.map((v: any) => v.key)).toEqual(['name', 'amount']);
    // the same view named explicitly gives the same; null means no view at all
    const named = await c.data<any, any>(RECORDS, { id: moduleId, view: viewId });
    expect(named.module.records.edges.map((e: any) => e.node.values)).toEqual([
      { name: 'B', amount: 20 },
      { name: 'C', amount: 30 },
    ]);
    const none = await c.data<any, any>(RECORDS, { id: moduleId, view: null });
    expect(none.module.records.totalCount).toBe(3);
    expect(none.module.records.edges[0].node.values.stage).toBe('open');
    // no longer default: all records again
    await c.data<any, any>(`mutation($id: ID!) { updateModuleView(id: $id, input: { isDefault: false }) { __typename } }`, { id: viewId });
    const after = await c.data<any, any>(`query($id: ID!) { module(id: $id) { records { totalCount } } }`, { id: moduleId });
    expect(after.module.records.totalCount).toBe(3);
  });
});
