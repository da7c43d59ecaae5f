import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import { ok, userError, type GraphQLClient } from '../../helpers/graphql-client.js';
import type { ResultOf } from '@graphql-typed-document-node/core';
import { graphql } from '../../gql/index.js';
import { CreateModule, createModule, createRecords, OPPORTUNITY_FIELDS } from './helpers.js';

const ModuleByHandle = graphql(`
  query CrmModuleByHandle($handle: String) {
    module(handle: $handle) {
      id
      name
      recordCount
    }
  }
`);

const ModuleById = graphql(`
  query CrmModuleById($id: ID!) {
    module(id: $id) {
      id
      handle
    }
    node(id: $id) {
      id
    }
  }
`);

const UpdateModule = graphql(`
  mutation CrmUpdateModule($id: ID!, $input: ModuleUpdateInput!) {
    updateModule(id: $id, input: $input) {
      __typename
      ... on MutationUpdateModuleSuccess {
        data {
          handle
          name
        }
      }
      ... on UserError {
        code
        issues {
          path
          code
        }
      }
    }
  }
`);

const DeleteModule = graphql(`
  mutation CrmDeleteModule($id: ID!, $force: Boolean) {
    deleteModule(id: $id, force: $force) {
      __typename
      ... on MutationDeleteModuleSuccess {
        data
      }
      ... on UserError {
        code
        message
      }
    }
  }
`);

const Records = graphql(`
  query CrmRecords($id: ID!, $filter: RecordFilter, $search: String, $orderBy: [RecordOrder!], $first: Int, $after: String) {
    module(id: $id) {
      recordCount
      records(filter: $filter, search: $search, orderBy: $orderBy, first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            version
            values
            module {
              handle
            }
            createdBy {
              id
            }
            fieldValues {
              key
              text
              decimal
              currency
              options {
                label
              }
            }
          }
        }
      }
    }
  }
`);

const Aggregates = graphql(`
  query CrmRecordAggregates($id: ID!, $filter: RecordFilter) {
    module(id: $id) {
      recordAggregates(filter: $filter, aggregates: [{ field: "value", functions: [SUM, MAX] }], groupBy: { field: "state" }) {
        count
        aggregates {
          sum
        }
        groups {
          key
          label
          count
          aggregates {
            sum
            max
          }
        }
      }
    }
  }
`);

const CreateRecord = graphql(`
  mutation CrmCreateRecord($module: ID!, $values: JSON!) {
    createModuleRecord(module: $module, values: $values) {
      __typename
      ... on MutationCreateModuleRecordSuccess {
        data {
          id
          version
          values
          value(key: "value") {
            decimal
            currency
          }
        }
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

const CreatePlainRecord = graphql(`
  mutation CrmCreatePlainRecord($module: ID!, $values: JSON!) {
    createModuleRecord(module: $module, values: $values) {
      __typename
      ... on MutationCreateModuleRecordSuccess {
        data {
          id
          values
        }
      }
      ... on UserError {
        code
        message
      }
    }
  }
`);

const UpdateRecord = graphql(`
  mutation CrmUpdateRecord($id: ID!, $values: JSON!, $expectedVersion: Int) {
    updateModuleRecord(id: $id, values: $values, expectedVersion: $expectedVersion) {
      __typename
      ... on MutationUpdateModuleRecordSuccess {
        data {
          id
          version
          values
        }
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

const PatchRecord = graphql(`
  mutation CrmPatchRecord($id: ID!, $values: JSON!, $expectedVersion: Int) {
    patchModuleRecord(id: $id, values: $values, expectedVersion: $expectedVersion) {
      __typename
      ... on MutationPatchModuleRecordSuccess {
        data {
          id
          version
          values
        }
      }
      ... on UserError {
        code
        message
      }
    }
  }
`);

const DeleteRecord = graphql(`
  mutation CrmDeleteRecord($id: ID!) {
    deleteModuleRecord(id: $id) {
      __typename
      ... on MutationDeleteModuleRecordSuccess {
        data
      }
      ... on UserError {
        code
        message
      }
    }
  }
`);

const RecordNode = graphql(`
  query CrmRecordNode($id: ID!) {
    node(id: $id) {
      id
      ... on ModuleRecord {
        version
        values
      }
    }
  }
`);

const CreateField = graphql(`
  mutation CrmCreateModuleField($module: ID!, $input: FieldInput!) {
    createModuleField(module: $module, input: $input) {
      __typename
      ... on MutationCreateModuleFieldSuccess {
        data {
          id
          key
          type
        }
      }
      ... on UserError {
        code
        issues {
          path
          code
        }
      }
    }
  }
`);

const RemoveField = graphql(`
  mutation CrmRemoveModuleField($id: ID!) {
    removeModuleField(id: $id) {
      __typename
      ... on MutationRemoveModuleFieldSuccess {
        data
      }
      ... on UserError {
        code
        message
      }
    }
  }
`);

const CreatePage = graphql(`
  mutation CrmModulePage($input: CreatePageInput!) {
    createPage(input: $input) {
      __typename
      ... on MutationCreatePageSuccess {
        data {
          id
          isRecordPage
          module {
            handle
          }
          blocks {
            type
            ... on RecordListBlock {
              module {
                handle
              }
              view {
                name
              }
              fields
              pageSize
            }
            ... on ChartBlock {
              chart {
                name
              }
            }
            ... on RecordDetailBlock {
              fields
            }
          }
        }
      }
      ... on UserError {
        code
        issues {
          path
          code
        }
      }
    }
  }
`);

const PageState = graphql(`
  query CrmPageState($id: ID!) {
    page(id: $id) {
      isRecordPage
      module {
        handle
      }
      blocks {
        type
        ... on RecordListBlock {
          module {
            handle
          }
        }
        ... on ChartBlock {
          chart {
            name
          }
        }
      }
    }
    pageTree {
      id
    }
    pages(first: 10) {
      totalCount
    }
  }
`);

const CreateView = graphql(`
  mutation CrmCreateModuleView($module: ID!, $input: ViewInput!) {
    createModuleView(module: $module, input: $input) {
      __typename
      ... on MutationCreateModuleViewSuccess {
        data {
          id
          name
        }
      }
    }
  }
`);

const CreateChart = graphql(`
  mutation CrmModuleChart($input: CreateChartInput!) {
    createChart(input: $input) {
      __typename
      ... on MutationCreateChartSuccess {
        data {
          id
        }
      }
    }
  }
`);

describe('CRM modules and records', () => {
  let t: TestServer;
  let tenant: Tenant;
  let api: GraphQLClient;

  beforeAll(async () => {
    t = await startTestServer();
    tenant = await createTenant(t.server.db);
    api = t.client.as(tenant.key);
  });
  afterAll(() => t?.stop());

  it('creates modules with a handle unique in the workspace', async () => {
    const m = await createModule(api, 'Contacts', 'contact', [{ key: 'name', label: 'Name', type: 'TEXT', required: true }]);
    expect(m).toMatchObject({ name: 'Contacts', handle: 'contact', recordCount: 0, fields: [{ key: 'name', type: 'TEXT' }] });
    expect((await api.data(ModuleByHandle, { handle: 'contact' })).module?.id).toBe(m.id);

    const duplicate = userError((await api.data(CreateModule, { input: { name: 'Again', handle: 'contact' } })).createModule);
    expect(duplicate.issues).toEqual([expect.objectContaining({ path: ['input', 'handle'], code: 'DUPLICATE' })]);
    const invalid = userError(
      (
        await api.data(CreateModule, {
          input: { name: '', handle: 'Not A Handle', fields: [{ key: 'x', label: 'X', type: 'NUMBER', options: [{ label: 'a' }] }] },
        })
      ).createModule,
    );
    expect(invalid.issues.map((i) => `${i.path.join('.')} ${i.code}`).sort()).toEqual([
      'input.fields.0.options NOT_APPLICABLE',
      'input.handle INVALID_KEY',
      'input.name REQUIRED',
    ]);
    const missing = userError((await api.data(CreateModule, { input: { name: 'No handle', handle: ' ' } })).createModule);
    expect(missing.issues).toEqual([expect.objectContaining({ path: ['input', 'handle'], code: 'REQUIRED' })]);

    const other = await createModule(api, 'Companies', 'company', []);
    const clash = userError((await api.data(UpdateModule, { id: other.id, input: { handle: 'contact' } })).updateModule);
    expect(clash.issues).toEqual([{ path: ['input', 'handle'], code: 'DUPLICATE' }]);
    expect(ok((await api.data(UpdateModule, { id: other.id, input: { handle: 'account', name: 'Accounts' } })).updateModule)).toEqual({
      handle: 'account',
      name: 'Accounts',
    });

    // another workspace may use the same handle
    const them = t.client.as((await createTenant(t.server.db)).key);
    expect((await createModule(them, 'Their contacts', 'contact', [])).handle).toBe('contact');
    expect((await them.data(ModuleByHandle, { handle: 'contact' })).module?.id).not.toBe(m.id);
  });

  it('creates, replaces, patches and deletes records with optimistic versions', async () => {
    const m = await createModule(api, 'Deals', 'deal', OPPORTUNITY_FIELDS);
    const created = ok((await api.data(CreateRecord, { module: m.id, values: { name: 'Big deal', value: '1234.50', state: 'open' } })).createModuleRecord);
    expect(created.version).toBe(1);
    // the engine keeps decimals canonical (no trailing zeros)
    expect(created.value).toEqual({ decimal: '1234.5', currency: 'EUR' });

    const invalid = userError((await api.data(CreateRecord, { module: m.id, values: { value: 'lots', state: 'maybe', nope: 1 } })).createModuleRecord);
    expect(invalid.issues.map((i) => `${i.path.join('.')} ${i.code}`).sort()).toEqual(
      expect.arrayContaining(['values.name REQUIRED', 'values.nope UNKNOWN_FIELD']),
    );
    expect(invalid.issues.length).toBe(4);

    const patched = ok((await api.data(PatchRecord, { id: created.id, values: { state: 'won' }, expectedVersion: 1 })).patchModuleRecord);
    expect(patched.version).toBe(2);
    expect(patched.values).toMatchObject({ name: 'Big deal', state: 'won', value: { amount: '1234.5', currency: 'EUR' } });

    const stale = userError((await api.data(PatchRecord, { id: created.id, values: { state: 'lost' }, expectedVersion: 1 })).patchModuleRecord);
    expect(stale.code).toBe('CONFLICT');
    const replaced = ok((await api.data(UpdateRecord, { id: created.id, values: { name: 'Renamed' }, expectedVersion: 2 })).updateModuleRecord);
    expect(replaced.version).toBe(3);
    expect(replaced.values).toEqual({ name: 'Renamed' });
    const noName = userError((await api.data(UpdateRecord, { id: created.id, values: { state: 'open' } })).updateModuleRecord);
    expect(noName.issues).toEqual([{ path: ['values', 'name'], code: 'REQUIRED' }]);

    expect((await api.data(RecordNode, { id: created.id })).node).toMatchObject({ id: created.id, version: 3, values: { name: 'Renamed' } });
    expect(ok((await api.data(DeleteRecord, { id: created.id })).deleteModuleRecord)).toBe(created.id);
    expect((await api.data(RecordNode, { id: created.id })).node).toBeNull();
    expect(userError((await api.data(DeleteRecord, { id: created.id })).deleteModuleRecord)).toMatchObject({ code: 'NOT_FOUND', message: 'Record not found' });
  });

  it('lists records newest first, filters, searches, sorts and pages them', async () => {
    const m = await createModule(api, 'Tickets', 'ticket', [
      { key: 'title', label: 'Title', type: 'TEXT' },
      { key: 'priority', label: 'Priority', type: 'NUMBER' },
    ]);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      ids.push(
        ok(
          (await api.data(CreatePlainRecord, { module: m.id, values: { title: i % 4 === 0 ? `Printer jam ${i}` : `Ticket ${i}`, priority: i % 5 } }))
            .createModuleRecord,
        ).id,
      );
    }
    const all = (await api.data(Records, { id: m.id, first: 50 })).module!;
    expect(all.recordCount).toBe(12);
    expect(all.records.edges.map((e) => e.node.id)).toEqual([...ids].reverse());
    expect(all.records.edges[0]!.node.module.handle).toBe('ticket');

    const seen: number[] = [];
    let after: string | null | undefined = null;
    do {
      const page: NonNullable<ResultOf<typeof Records>['module']>['records'] = (
        await api.data(Records, {
          id: m.id,
          filter: { field: 'priority', operator: 'GREATER_OR_EQUAL', value: 2 },
          orderBy: [{ field: 'priority', direction: 'DESC' }],
          first: 2,
          after,
        })
      ).module!.records;
      expect(page.totalCount).toBe(ids.filter((_, i) => i % 5 >= 2).length);
      seen.push(...page.edges.map((e) => (e.node.values as { priority: number }).priority));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(
      ids
        .map((_, i) => i % 5)
        .filter((p) => p >= 2)
        .sort((a, b) => b - a),
    );

    const found = (await api.data(Records, { id: m.id, search: 'printer', first: 50 })).module!.records;
    expect(found.edges.map((e) => e.node.id).sort()).toEqual([ids[0], ids[4], ids[8]].sort());
  });

  it('aggregates records in SQL, grouped by a field', async () => {
    const m = await createModule(api, 'Pipeline', 'pipeline', OPPORTUNITY_FIELDS);
    const rows = Array.from({ length: 30 }, (_, i) => ({ name: `O${i}`, value: `${100 + i * 7}.25`, state: ['open', 'won', 'lost'][i % 3]! }));
    await createRecords(api, m.id, rows);
    const agg = (await api.data(Aggregates, { id: m.id })).module!.recordAggregates;
    const total = rows.reduce((s, r) => s + Number(r.value) * 100, 0);
    expect(agg.count).toBe(30);
    expect(Math.round(Number(agg.aggregates[0]!.sum) * 100)).toBe(total);
    for (const state of ['open', 'won', 'lost']) {
      const mine = rows.filter((r) => r.state === state);
      const group = agg.groups!.find((g) => g.key === state)!;
      expect(group.count).toBe(mine.length);
      expect(Math.round(Number(group.aggregates[0]!.sum) * 100)).toBe(mine.reduce((s, r) => s + Number(r.value) * 100, 0));
      expect(Number(group.aggregates[0]!.max)).toBe(Math.max(...mine.map((r) => Number(r.value))));
    }
    expect(agg.groups!.find((g) => g.key === 'won')!.label).toBe('Won');
  });

  it('reads a page of records in the same number of SQL statements for 5 or 50 records', async () => {
    const m = await createModule(api, 'Bulk', 'bulk', OPPORTUNITY_FIELDS);
    await createRecords(
      api,
      m.id,
      Array.from({ length: 60 }, (_, i) => ({ name: `R${i}`, value: `${i}.00`, state: 'open' })),
    );
    const small = await api.request(Records, { id: m.id, first: 5 });
    const large = await api.request(Records, { id: m.id, first: 50 });
    expect(small.errors).toBeUndefined();
    expect(large.data?.module?.records.edges).toHaveLength(50);
    expect(large.data?.module?.records.edges[0]!.node.fieldValues.find((v) => v.key === 'state')!.options).toEqual([{ label: 'Open' }]);
    expect(Number.isFinite(large.statements)).toBe(true);
    expect(large.statements).toBe(small.statements);
  });

  it('changes module fields through the module face only', async () => {
    const m = await createModule(api, 'Vendors', 'vendor', [{ key: 'name', label: 'Name', type: 'TEXT' }]);
    const field = ok((await api.data(CreateField, { module: m.id, input: { key: 'rating', label: 'Rating', type: 'NUMBER' } })).createModuleField);
    expect(field).toMatchObject({ key: 'rating', type: 'NUMBER' });
    const dup = userError((await api.data(CreateField, { module: m.id, input: { key: 'rating', label: 'Again', type: 'TEXT' } })).createModuleField);
    expect(dup.issues).toEqual([{ path: ['input', 'key'], code: 'DUPLICATE_KEY' }]);
    expect(ok((await api.data(RemoveField, { id: field.id })).removeModuleField)).toBe(field.id);
    // a form's field is not a module's field
    const form = await api.data<any, any>(
      `mutation { createForm(input: { name: "F", fields: [{ key: "a", label: "A", type: TEXT }] }) { ... on MutationCreateFormSuccess { data { fields { id } } } } }`,
    );
    const formField = form.createForm.data.fields[0].id as string;
    expect(userError((await api.data(RemoveField, { id: formField })).removeModuleField)).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses to delete a module that pages use, unless forced', async () => {
    const m = await createModule(api, 'Leads', 'lead', [
      { key: 'name', label: 'Name', type: 'TEXT' },
      { key: 'country', label: 'Country', type: 'TEXT' },
    ]);
    const other = await createModule(api, 'Others', 'other', []);
    const view = ok((await api.data(CreateView, { module: m.id, input: { name: 'By country', orderBy: [{ field: 'country' }] } })).createModuleView);
    const chart = ok(
      (await api.data(CreateChart, { input: { name: 'Leads per country', module: m.id, configuration: { kind: 'BAR', x: { field: 'country' } } } }))
        .createChart,
    );

    // record pages and their blocks are checked against the module
    const wrong = userError(
      (
        await api.data(CreatePage, {
          input: {
            title: 'Lead',
            module: m.id,
            blocks: [{ recordDetail: { fields: ['name', 'phone'] } }, { recordList: { module: other.id, view: view.id } }],
          },
        })
      ).createPage,
    );
    expect(wrong.issues).toEqual([
      { path: ['input', 'blocks', '0', 'recordDetail', 'fields', '1'], code: 'UNKNOWN_FIELD' },
      { path: ['input', 'blocks', '1', 'recordList', 'view'], code: 'NOT_FOUND' },
    ]);
    const recordPage = ok(
      (await api.data(CreatePage, { input: { title: 'Lead', module: m.id, blocks: [{ recordDetail: { fields: ['name'] } }] } })).createPage,
    );
    expect(recordPage).toMatchObject({ isRecordPage: true, module: { handle: 'lead' }, blocks: [{ type: 'RECORD_DETAIL', fields: ['name'] }] });
    const listPage = ok(
      (
        await api.data(CreatePage, {
          input: { title: 'All leads', blocks: [{ recordList: { module: m.id, view: view.id, fields: ['name'] } }, { chart: { chart: chart.id } }] },
        })
      ).createPage,
    );
    expect(listPage.blocks).toEqual([
      { type: 'RECORD_LIST', module: { handle: 'lead' }, view: { name: 'By country' }, fields: ['name'], pageSize: 20 },
      { type: 'CHART', chart: { name: 'Leads per country' } },
    ]);
    // record pages stay out of the navigation tree
    const state = await api.data(PageState, { id: recordPage.id });
    expect(state.pageTree.map((p) => p.id)).toEqual([listPage.id]);
    expect(state.pages.totalCount).toBe(2);

    const refused = userError((await api.data(DeleteModule, { id: m.id })).deleteModule);
    expect(refused.code).toBe('FAILED_DEPENDENCY');
    expect(refused.message).toMatch(/2 page\(s\).*"All leads".*"Lead"/);
    expect((await api.data(ModuleById, { id: m.id })).module?.handle).toBe('lead');

    expect(ok((await api.data(DeleteModule, { id: m.id, force: true })).deleteModule)).toBe(m.id);
    expect((await api.data(ModuleById, { id: m.id })).module).toBeNull();
    const after = await api.data(PageState, { id: recordPage.id });
    expect(after.page).toEqual({ isRecordPage: false, module: null, blocks: [{ type: 'RECORD_DETAIL' }] });
    const list = await api.data(PageState, { id: listPage.id });
    expect(list.page!.blocks).toEqual([
      { type: 'RECORD_LIST', module: null },
      { type: 'CHART', chart: null },
    ]);
    // a module no page uses goes without force
    expect(ok((await api.data(DeleteModule, { id: other.id })).deleteModule)).toBe(other.id);
  });

  it("keeps another workspace's modules and records out of reach", async () => {
    const m = await createModule(api, 'Secrets', 'secret', [{ key: 'name', label: 'Name', type: 'TEXT' }]);
    const record = ok((await api.data(CreatePlainRecord, { module: m.id, values: { name: 'classified' } })).createModuleRecord);
    const them = t.client.as((await createTenant(t.server.db)).key);

    expect(await them.data(ModuleById, { id: m.id })).toEqual({ module: null, node: null });
    expect((await them.data(ModuleByHandle, { handle: 'secret' })).module).toBeNull();
    expect((await them.data(RecordNode, { id: record.id })).node).toBeNull();
    expect((await them.data(Records, { id: m.id, first: 5 })).module).toBeNull();
    expect(userError((await them.data(CreatePlainRecord, { module: m.id, values: { name: 'x' } })).createModuleRecord)).toMatchObject({
      code: 'NOT_FOUND',
      message: 'Module not found',
    });
    expect(userError((await them.data(PatchRecord, { id: record.id, values: { name: 'x' } })).patchModuleRecord)).toMatchObject({
      code: 'NOT_FOUND',
      message: 'Record not found',
    });
    expect(userError((await them.data(DeleteRecord, { id: record.id })).deleteModuleRecord)).toMatchObject({ code: 'NOT_FOUND', message: 'Record not found' });
    expect(userError((await them.data(DeleteModule, { id: m.id, force: true })).deleteModule)).toMatchObject({
      code: 'NOT_FOUND',
      message: 'Module not found',
    });
    expect(userError((await them.data(UpdateModule, { id: m.id, input: { name: 'mine now' } })).updateModule).code).toBe('NOT_FOUND');
    const page = userError((await them.data(CreatePage, { input: { title: 'Spy', module: m.id, blocks: [{ recordList: { module: m.id } }] } })).createPage);
    expect(page.issues).toEqual([
      { path: ['input', 'module'], code: 'NOT_FOUND' },
      { path: ['input', 'blocks', '0', 'recordList', 'module'], code: 'NOT_FOUND' },
    ]);
    expect((await api.data(RecordNode, { id: record.id })).node).toMatchObject({ values: { name: 'classified' } });
  });
});
