import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { apiKeyFor, createTenant, memberOf, type Tenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { tokenGrant } from '../../../src/auth/oauth.service.js';
import type { Role } from '../../../src/auth/principal.js';
import { loadConfig } from '../../../src/config.js';
import { createEntries, createEntry, createForm, ENTRY, entries } from './helpers.js';
import { USER_ERROR } from '../documents.js';

let t: TestServer;
let tenant: Tenant;
let c: GraphQLClient;
let form: Awaited<ReturnType<typeof createForm>>;

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTenant(t.server.db);
  c = t.client.as(tenant.key);
  form = await createForm(c, {
    name: 'Orders',
    description: 'incoming',
    fields: [
      { key: 'customer', label: 'Customer', type: 'TEXT', required: true },
      { key: 'qty', label: 'Quantity', type: 'NUMBER', defaultValue: 1 },
      { key: 'status', label: 'Status', type: 'STATIC_SELECT', options: [{ label: 'New' }, { label: 'Shipped' }] },
      { key: 'email', label: 'Email', type: 'EMAIL' },
      { key: 'no', label: 'No', type: 'AUTO_NUMBER' },
    ],
  });
});
afterAll(() => t?.stop());

const UPDATE = (name: 'updateEntry' | 'patchEntry') => `mutation($id: ID!, $values: JSON!, $v: Int) { ${name}(id: $id, values: $values, expectedVersion: $v) {
  __typename ... on Mutation${name[0]!.toUpperCase()}${name.slice(1)}Success { data { ${ENTRY} } } ${USER_ERROR} } }`;

async function tokenFor(role: Role) {
  const m = await memberOf(t.server.db, tenant.workspaceId, role);
  const token = await tokenGrant(
    t.server.db,
    loadConfig({}),
    { grant_type: 'password', username: m.email, password: m.password, workspace_id: tenant.workspaceId },
    null,
  );
  return token.access_token;
}

describe('forms and fields', () => {
  it('exposes the field-type catalog', async () => {
    const r = await c.data<any, any>(
      `{ fieldTypes { id sortable readOnly operators aggregations } currency: fieldType(id: CURRENCY) { valueShape aggregations } }`,
    );
    expect(r.fieldTypes).toHaveLength(17);
    expect(r.fieldTypes.find((x: any) => x.id === 'AUTO_NUMBER').readOnly).toBe(true);
    expect(r.currency.aggregations).toContain('SUM');
  });

  it('refuses bad field definitions, reporting each', async () => {
    const r = await c.data<any, any>(
      `mutation($input: FormInput!) { createForm(input: $input) { __typename ... on UserError { code issues { path code } } } }`,
      {
        input: {
          name: 'Bad',
          fields: [
            { key: 'Bad Key', label: 'x', type: 'TEXT' },
            { key: 'id', label: 'x', type: 'TEXT' },
            { key: 'a', label: 'x', type: 'STATIC_SELECT' },
            { key: 'a', label: 'x', type: 'TEXT' },
            { key: 'c', label: 'x', type: 'CURRENCY' },
            { key: 'r', label: 'x', type: 'ROLLUP', config: { linkField: 'nope' } },
          ],
        },
      },
    );
    expect(r.createForm.code).toBe('BAD_USER_INPUT');
    expect(r.createForm.issues.map((i: any) => `${i.path.join('.')}:${i.code}`)).toEqual([
      'input.fields.0.key:INVALID_KEY',
      'input.fields.1.key:RESERVED_KEY',
      'input.fields.2.options:REQUIRED',
      'input.fields.3.key:DUPLICATE_KEY',
      'input.fields.4.config:INVALID_CURRENCY',
      'input.fields.5.config:INVALID_VALUE',
    ]);
  });

  it('reads a form with its fields, and changes, reorders and removes fields', async () => {
    const f = await createForm(c, {
      name: 'Scratch',
      fields: [
        { key: 'a', label: 'A', type: 'TEXT' },
        { key: 'b', label: 'B', type: 'TEXT' },
      ],
    });
    const created = await c.data<any, any>(
      `mutation($form: ID!, $input: FieldInput!) { createField(form: $form, input: $input) { ... on MutationCreateFieldSuccess { data { id key position } } } }`,
      {
        form: f.id,
        input: { key: 'c', label: 'C', type: 'NUMBER' },
      },
    );
    expect(created.createField.data.position).toBe(2);
    const ids = [created.createField.data.id, f.fields[1]!.id, f.fields[0]!.id];
    const r = await c.data<any, any>(
      `mutation($form: ID!, $ids: [ID!]!) { reorderFields(form: $form, fieldIds: $ids) { ... on MutationReorderFieldsSuccess { data { fields { key position } } } } }`,
      { form: f.id, ids },
    );
    expect(r.reorderFields.data.fields.map((x: any) => x.key)).toEqual(['c', 'b', 'a']);
    const upd = await c.data<any, any>(
      `mutation($id: ID!, $input: FieldUpdateInput!) { updateField(id: $id, input: $input) { ... on MutationUpdateFieldSuccess { data { label required visible } } } }`,
      {
        id: f.fields[0]!.id,
        input: { label: 'Renamed', required: true, visible: false },
      },
    );
    expect(upd.updateField.data).toEqual({ label: 'Renamed', required: true, visible: false });
    const visible = await c.data<any, any>(`query($id: ID!) { form(id: $id) { fields(includeHidden: false) { key } } }`, { id: f.id });
    expect(visible.form.fields.map((x: any) => x.key)).toEqual(['c', 'b']);
    await createEntries(c, f.id, [{ a: 'x', b: 'y' }]);
    const rm = await c.data<any, any>(`mutation($id: ID!) { removeField(id: $id) { __typename } }`, { id: f.fields[1]!.id });
    expect(rm.removeField.__typename).toBe('MutationRemoveFieldSuccess');
    const after = await entries(c, f.id);
    expect(after.edges[0]!.node.values).toEqual({ a: 'x' });
  });

  it('changes a field type only when every stored value converts, and says why not', async () => {
    const f = await createForm(c, { name: 'Types', fields: [{ key: 'v', label: 'V', type: 'TEXT' }] });
    await createEntries(c, f.id, [{ v: '12' }, { v: '7.5' }]);
    const CHANGE = `mutation($id: ID!, $input: FieldUpdateInput!) { updateField(id: $id, input: $input) { __typename ... on MutationUpdateFieldSuccess { data { type } } ... on UserError { code message issues { code } } } }`;
    const ok = await c.data<any, any>(CHANGE, { id: f.fields[0]!.id, input: { type: 'NUMBER' } });
    expect(ok.updateField.data.type).toBe('NUMBER');
    expect((await entries(c, f.id)).edges.map((e) => e.node.values.v).sort()).toEqual([12, 7.5].sort());
    await createEntries(c, f.id, [{ v: 3 }]);
    const bad = await c.data<any, any>(CHANGE, { id: f.fields[0]!.id, input: { type: 'BOOLEAN' } });
    expect(bad.updateField.code).toBe('BAD_USER_INPUT');
    expect(bad.updateField.issues[0].code).toBe('VALUES_DO_NOT_CONVERT');
    expect(bad.updateField.message).toMatch(/3 of 3 stored values of "v" do not convert to BOOLEAN/);
    // nothing changed
    const still = await c.data<any, any>(`query($id: ID!) { form(id: $id) { field(key: "v") { type } } }`, { id: f.id });
    expect(still.form.field.type).toBe('NUMBER');
  });

  it('updates and deletes a form', async () => {
    const f = await createForm(c, { name: 'Temp' });
    const u = await c.data<any, any>(
      `mutation($id: ID!) { updateForm(id: $id, input: { name: "Temp 2", description: "d" }) { ... on MutationUpdateFormSuccess { data { name description } } } }`,
      { id: f.id },
    );
    expect(u.updateForm.data).toEqual({ name: 'Temp 2', description: 'd' });
    const d = await c.data<any, any>(`mutation($id: ID!) { deleteForm(id: $id) { __typename ... on MutationDeleteFormSuccess { data } } }`, { id: f.id });
    expect(d.deleteForm.data).toBe(f.id);
    expect((await c.data<any, any>(`query($id: ID!) { form(id: $id) { id } }`, { id: f.id })).form).toBeNull();
  });
});

describe('entries', () => {
  it('reports every invalid value at once and writes nothing', async () => {
    const r = await createEntry(c, form.id, { qty: 'many', status: 'lost', email: 'nope', no: 5, extra: 1 });
    expect(r.__typename).toBe('UserError');
    expect(r.issues.map((i: any) => `${i.path.join('.')}:${i.code}`).sort()).toEqual(
      [
        'values.customer:REQUIRED',
        'values.email:INVALID_VALUE',
        'values.extra:UNKNOWN_FIELD',
        'values.no:READ_ONLY',
        'values.qty:INVALID_TYPE',
        'values.status:UNKNOWN_OPTION',
      ].sort(),
    );
    expect((await entries(c, form.id)).totalCount).toBe(0);
  });

  it('creates in bulk atomically (all or none) and numbers entries in order', async () => {
    const values = Array.from({ length: 30 }, (_, i) => ({ customer: `c${i}`, ...(i === 17 ? { qty: 'x' } : {}) }));
    const bad = await c.data<any, any>(
      `mutation($form: ID!, $values: [JSON!]!) { createEntries(form: $form, values: $values) { __typename ... on UserError { issues { path code } } } }`,
      { form: form.id, values },
    );
    expect(bad.createEntries.issues).toEqual([{ path: ['values', '17', 'qty'], code: 'INVALID_TYPE' }]);
    expect((await entries(c, form.id)).totalCount).toBe(0);
    delete (values[17] as any).qty;
    const created = await createEntries(c, form.id, values);
    expect(created.map((e) => e.values.no)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(created[0]!.values.qty).toBe(1);
    const tooMany = await c.data<any, any>(
      `mutation($form: ID!, $values: [JSON!]!) { createEntries(form: $form, values: $values) { __typename ... on UserError { code } } }`,
      { form: form.id, values: Array.from({ length: 1001 }, () => ({ customer: 'x' })) },
    );
    expect(tooMany.createEntries).toEqual({ __typename: 'UserError', code: 'BAD_USER_INPUT' });
  });

  it('assigns distinct increasing auto-numbers under concurrent creates', async () => {
    const f = await createForm(c, { name: 'Numbers', fields: [{ key: 'no', label: 'No', type: 'AUTO_NUMBER' }] });
    const results = await Promise.all(Array.from({ length: 20 }, () => createEntries(c, f.id, [{}, {}])));
    const numbers = results
      .flat()
      .map((e) => e.values.no)
      .sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('update replaces all values; patch changes only the given ones', async () => {
    const [e] = await createEntries(c, form.id, [{ customer: 'Ann', qty: 3, email: 'ann@example.com' }]);
    const replaced = (await c.data<any, any>(UPDATE('updateEntry'), { id: e!.id, values: { customer: 'Ann B' } })).updateEntry;
    expect(replaced.data.values).toEqual({ customer: 'Ann B', no: e!.values.no });
    expect(replaced.data.version).toBe(2);
    const missing = (await c.data<any, any>(UPDATE('updateEntry'), { id: e!.id, values: { qty: 2 } })).updateEntry;
    expect(missing.issues).toEqual([{ path: ['values', 'customer'], code: 'REQUIRED', message: '"customer" is required' }]);
    const patched = (await c.data<any, any>(UPDATE('patchEntry'), { id: e!.id, values: { qty: 9, status: 'shipped' } })).patchEntry;
    expect(patched.data.values).toEqual({ customer: 'Ann B', qty: 9, status: 'shipped', no: e!.values.no });
    const cleared = (await c.data<any, any>(UPDATE('patchEntry'), { id: e!.id, values: { qty: null } })).patchEntry;
    expect(cleared.data.values.qty).toBeUndefined();
    expect(cleared.data.version).toBe(4);
  });

  it('answers CONFLICT on a version mismatch and writes nothing', async () => {
    const [e] = await createEntries(c, form.id, [{ customer: 'Bob' }]);
    const first = (await c.data<any, any>(UPDATE('patchEntry'), { id: e!.id, values: { qty: 2 }, v: 1 })).patchEntry;
    expect(first.data.version).toBe(2);
    const stale = (await c.data<any, any>(UPDATE('patchEntry'), { id: e!.id, values: { qty: 3 }, v: 1 })).patchEntry;
    expect(stale.code).toBe('CONFLICT');
    const staleReplace = (await c.data<any, any>(UPDATE('updateEntry'), { id: e!.id, values: { customer: 'X' }, v: 1 })).updateEntry;
    expect(staleReplace.code).toBe('CONFLICT');
    const now = await c.data<any, any>(`query($id: ID!) { node(id: $id) { ... on Entry { version values } } }`, { id: e!.id });
    expect(now.node).toEqual({ version: 2, values: { customer: 'Bob', qty: 2, no: e!.values.no } });
    // concurrent patches with the same expected version: exactly one wins
    const racers = await Promise.all([5, 6, 7].map((q) => c.data<any, any>(UPDATE('patchEntry'), { id: e!.id, values: { qty: q }, v: 2 })));
    expect(racers.filter((r) => r.patchEntry.__typename === 'UserError').map((r) => r.patchEntry.code)).toEqual(['CONFLICT', 'CONFLICT']);
  });

  it('exposes typed values per field', async () => {
    const [e] = await createEntries(c, form.id, [{ customer: 'Typed', qty: 4, status: 'new' }]);
    const r = await c.data<any, any>(
      `query($id: ID!) { node(id: $id) { ... on Entry { value(key: "qty") { number decimal text } status: value(key: "status") { options { id label } } fieldValues { key isEmpty } } } }`,
      { id: e!.id },
    );
    expect(r.node.value).toEqual({ number: 4, decimal: '4', text: null });
    expect(r.node.status.options).toEqual([{ id: 'new', label: 'New' }]);
    expect(r.node.fieldValues.map((v: any) => [v.key, v.isEmpty])).toEqual([
      ['customer', false],
      ['qty', false],
      ['status', false],
      ['email', true],
      ['no', false],
    ]);
  });
});

describe('archive and delete', () => {
  const ARCHIVE = `mutation($id: ID!) { archiveEntry(id: $id) { __typename ... on MutationArchiveEntrySuccess { data { archived version } } } }`;

  it('archives with the INTERNAL scope and hides archived entries unless asked for', async () => {
    const [e] = await createEntries(c, form.id, [{ customer: 'Arch' }]);
    const before = (await entries(c, form.id)).totalCount;
    const r = await c.data<any, any>(ARCHIVE, { id: e!.id });
    expect(r.archiveEntry.data).toEqual({ archived: true, version: 2 });
    expect((await entries(c, form.id)).totalCount).toBe(before - 1);
    expect((await entries(c, form.id, { includeArchived: true })).totalCount).toBe(before);
    const count = await c.data<any, any>(`query($id: ID!) { form(id: $id) { entryCount } }`, { id: form.id });
    expect(count.form.entryCount).toBe(before - 1);
    const un = await c.data<any, any>(`mutation($id: ID!) { unarchiveEntry(id: $id) { ... on MutationUnarchiveEntrySuccess { data { archived } } } }`, {
      id: e!.id,
    });
    expect(un.unarchiveEntry.data.archived).toBe(false);
  });

  it('refuses archiving to keys without INTERNAL and to EDITOR users; allows OWNER/ADMIN users', async () => {
    const [e] = await createEntries(c, form.id, [{ customer: 'Guarded' }]);
    const writer = await apiKeyFor(t.server.db, tenant.workspaceId, ['READ', 'WRITE', 'MANAGE']);
    const errs = await t.client.as(writer).errors(ARCHIVE, { id: e!.id });
    expect(errs[0]!.extensions?.code).toBe('FORBIDDEN');
    const editor = await tokenFor('EDITOR');
    expect((await t.client.as(editor).errors(ARCHIVE, { id: e!.id }))[0]!.extensions?.code).toBe('FORBIDDEN');
    const admin = await tokenFor('ADMIN');
    const ok = await t.client.as(admin).data<any, any>(ARCHIVE, { id: e!.id });
    expect(ok.archiveEntry.data.archived).toBe(true);
  });

  it('deletes with the WRITE scope (deleting data is changing data), not with READ', async () => {
    const [e] = await createEntries(c, form.id, [{ customer: 'Doomed' }]);
    const DELETE = `mutation($id: ID!) { deleteEntry(id: $id) { __typename ... on MutationDeleteEntrySuccess { deleted { id } data } } }`;
    const reader = await apiKeyFor(t.server.db, tenant.workspaceId, ['READ']);
    expect((await t.client.as(reader).errors(DELETE, { id: e!.id }))[0]!.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'WRITE' });
    const writer = await apiKeyFor(t.server.db, tenant.workspaceId, ['READ', 'WRITE']);
    const r = await t.client.as(writer).data<any, any>(DELETE, { id: e!.id });
    expect(r.deleteEntry).toEqual({ __typename: 'MutationDeleteEntrySuccess', deleted: { id: e!.id }, data: e!.id });
    expect((await c.data<any, any>(`query($id: ID!) { node(id: $id) { id } }`, { id: e!.id })).node).toBeNull();
  });
});

describe('tenant isolation', () => {
  it("answers another workspace's forms and entries as not found", async () => {
    const other = await createTenant(t.server.db);
    const o = t.client.as(other.key);
    const [e] = await createEntries(c, form.id, [{ customer: 'Private' }]);
    expect((await o.data<any, any>(`query($id: ID!) { form(id: $id) { id } }`, { id: form.id })).form).toBeNull();
    expect((await o.data<any, any>(`query($id: ID!) { node(id: $id) { id } }`, { id: e!.id })).node).toBeNull();
    expect((await o.data<any, any>(`query($id: ID!) { node(id: $id) { id } }`, { id: form.id })).node).toBeNull();
    expect((await o.data<any, any>(`{ forms(first: 10) { totalCount } }`)).forms.totalCount).toBe(0);
    const created = await createEntry(o, form.id, { customer: 'x' });
    expect(created).toMatchObject({ __typename: 'UserError', code: 'NOT_FOUND', message: 'Form not found' });
    const patched = (await o.data<any, any>(UPDATE('patchEntry'), { id: e!.id, values: { qty: 1 } })).patchEntry;
    expect(patched).toMatchObject({ code: 'NOT_FOUND', message: 'Entry not found' });
    const missing = (
      await c.data<any, any>(UPDATE('patchEntry'), { id: Buffer.from('Entry:6f1c7a52-3b8e-4c1e-9a55-0d2a9c1e7b44').toString('base64'), values: { qty: 1 } })
    ).patchEntry;
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'Entry not found' });
    const del = await o.data<any, any>(`mutation($id: ID!) { deleteForm(id: $id) { __typename ... on UserError { code } } }`, { id: form.id });
    expect(del.deleteForm.code).toBe('NOT_FOUND');
  });
});

describe('SQL statements per operation', () => {
  it('lists 50 entries with their form and fields in as many statements as 5', async () => {
    const f = await createForm(c, {
      name: 'Count',
      fields: [
        { key: 'a', label: 'A', type: 'TEXT' },
        { key: 'n', label: 'N', type: 'AUTO_NUMBER' },
      ],
    });
    await createEntries(
      c,
      f.id,
      Array.from({ length: 60 }, (_, i) => ({ a: `v${i}` })),
    );
    const Q = `query($id: ID!, $first: Int) { form(id: $id) { name entryCount fields { key type options { id } } entries(first: $first) { totalCount edges { node { id version values createdBy { id } value(key: "a") { text } } } } } }`;
    const five = await c.request<any, any>(Q, { id: f.id, first: 5 });
    const fifty = await c.request<any, any>(Q, { id: f.id, first: 50 });
    expect(five.errors).toBeUndefined();
    expect(fifty.data.form.entries.edges).toHaveLength(50);
    expect(fifty.statements).toBe(five.statements);
    expect(fifty.statements).toBeLessThanOrEqual(8);
  });

  it('lists forms with their fields and entry counts in as many statements for 2 forms as for 8', async () => {
    const other = await createTenant(t.server.db);
    const o = t.client.as(other.key);
    const Q = `query($first: Int) { forms(first: $first) { totalCount edges { node { name entryCount fields { key } } } } }`;
    for (let i = 0; i < 8; i++)
      await createForm(o, {
        name: `F${i}`,
        fields: [
          { key: 'a', label: 'A', type: 'TEXT' },
          { key: `k${i}`, label: 'K', type: 'NUMBER' },
        ],
      });
    const two = await o.request<any, any>(Q, { first: 2 });
    const eight = await o.request<any, any>(Q, { first: 8 });
    expect(eight.data.forms.edges).toHaveLength(8);
    expect(eight.data.forms.edges.map((e: any) => e.node.fields.length)).toEqual(Array(8).fill(2));
    expect(eight.statements).toBe(two.statements);
  });
});
