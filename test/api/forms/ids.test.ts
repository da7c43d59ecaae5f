import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, memberOf, type Tenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { tokenGrant } from '../../../src/auth/oauth.service.js';
import { loadConfig } from '../../../src/config.js';
import { createEntry, createForm, entries } from './helpers.js';

let t: TestServer;
let tenant: Tenant;
let c: GraphQLClient;
let companies: Awaited<ReturnType<typeof createForm>>;
let deals: Awaited<ReturnType<typeof createForm>>;
let acme: { id: string };
let userId: string;
let file: { id: string };

const rawOf = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

async function upload(name: string, content: string) {
  const body = new FormData();
  body.set(
    'operations',
    JSON.stringify({
      query: `mutation($file: Upload!) { uploadFile(file: $file) { ... on MutationUploadFileSuccess { data { id name } } } }`,
      variables: { file: null },
    }),
  );
  body.set('map', JSON.stringify({ 0: ['variables.file'] }));
  body.set('0', new File([content], name, { type: 'text/plain' }));
  const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${tenant.key}` }, body });
  return ((await res.json()) as any).data.uploadFile.data as { id: string; name: string };
}

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTenant(t.server.db);
  c = t.client.as(tenant.key);
  companies = await createForm(c, { name: 'Companies', fields: [{ key: 'name', label: 'Name', type: 'TEXT' }] });
  deals = await createForm(c, {
    name: 'Deals',
    fields: [
      { key: 'title', label: 'Title', type: 'TEXT' },
      { key: 'company', label: 'Company', type: 'LINK', config: { target: companies.id } },
      { key: 'owner', label: 'Owner', type: 'USER' },
      { key: 'doc', label: 'Doc', type: 'FILE' },
    ],
  });
  acme = (await createEntry(c, companies.id, { name: 'Acme' })).data;
  // the User id as the API hands it out: the member's own viewer
  const m = await memberOf(t.server.db, tenant.workspaceId, 'EDITOR');
  const token = await tokenGrant(
    t.server.db,
    loadConfig({}),
    { grant_type: 'password', username: m.email, password: m.password, workspace_id: tenant.workspaceId },
    null,
  );
  userId = (await t.client.as(token.access_token).data<any, any>(`{ viewer { user { id } } }`)).viewer.user.id;
  file = await upload('terms.txt', 'the terms');
});
afterAll(() => t?.stop());

describe('ids round-trip', () => {
  it('takes the global ids the API returns as LINK, USER and FILE values, and returns the same ids', async () => {
    const created = await createEntry(c, deals.id, { title: 'Big', company: acme.id, owner: userId, doc: file.id });
    expect(created.__typename, JSON.stringify(created)).toBe('MutationCreateEntrySuccess');
    expect(created.data.values).toEqual({
      title: 'Big',
      company: [acme.id],
      owner: userId,
      doc: [{ id: file.id, name: 'terms.txt', size: 9, contentType: 'text/plain' }],
    });
    // what a read returns can be written back unchanged
    const again = await c.data<any, any>(
      `mutation($id: ID!, $values: JSON!) { updateEntry(id: $id, values: $values) { __typename ... on MutationUpdateEntrySuccess { data { values } } ... on UserError { issues { path code } } } }`,
      {
        id: created.data.id,
        values: created.data.values,
      },
    );
    expect(again.updateEntry.data.values).toEqual(created.data.values);
    // and node(id:) resolves every id found in values
    const nodes = await c.data<any, any>(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids: [acme.id, userId, file.id] });
    expect(nodes.nodes.map((n: any) => n?.__typename)).toEqual(['Entry', 'User', 'File']);
  });

  it('keeps accepting raw uuids and objects with an id, and stores the same data', async () => {
    const raw = await createEntry(c, deals.id, { title: 'Raw', company: rawOf(acme.id), owner: rawOf(userId), doc: rawOf(file.id) });
    const objects = await createEntry(c, deals.id, {
      title: 'Objects',
      company: [{ id: acme.id }],
      owner: { id: userId },
      doc: [{ id: file.id, name: 'ignored' }],
    });
    for (const r of [raw, objects]) {
      expect(r.__typename, JSON.stringify(r)).toBe('MutationCreateEntrySuccess');
      expect(r.data.values.company).toEqual([acme.id]);
      expect(r.data.values.owner).toBe(userId);
      expect(r.data.values.doc[0].id).toBe(file.id);
    }
    const stored = await t.server.db.dataRecord.findUniqueOrThrow({ where: { id: rawOf(raw.data.id) } });
    const storedObjects = await t.server.db.dataRecord.findUniqueOrThrow({ where: { id: rawOf(objects.data.id) } });
    expect((stored.values as any).company).toEqual([rawOf(acme.id)]);
    expect((storedObjects.values as any).company).toEqual([rawOf(acme.id)]);
    expect((storedObjects.values as any).owner).toBe(rawOf(userId));
  });

  it('filters by global ids and returns them in typed values', async () => {
    const byCompany = await entries(c, deals.id, {
      filter: {
        and: [
          { field: 'company', operator: 'CONTAINS', value: acme.id },
          { field: 'owner', operator: 'IS', value: userId },
        ],
      },
    });
    expect(byCompany.totalCount).toBeGreaterThanOrEqual(2);
    const one = byCompany.edges[0]!.node;
    const byId = await entries(c, deals.id, { filter: { field: 'id', operator: 'IS', value: one.id } });
    expect(byId.edges.map((e) => e.node.id)).toEqual([one.id]);
    const typed = await c.data<any, any>(
      `query($id: ID!) { node(id: $id) { ... on Entry { company: value(key: "company") { ids json } owner: value(key: "owner") { ids users { id } } doc: value(key: "doc") { files { id url } } } } }`,
      { id: one.id },
    );
    expect(typed.node.company).toEqual({ ids: [acme.id], json: [acme.id] });
    expect(typed.node.owner).toEqual({ ids: [userId], users: [{ id: userId }] });
    expect(typed.node.doc.files).toEqual([{ id: file.id, url: `/files/${rawOf(file.id)}` }]);
  });

  it('refuses a global id of the wrong type', async () => {
    const r = await createEntry(c, deals.id, { company: file.id, owner: acme.id, doc: userId });
    expect(r.code).toBe('BAD_USER_INPUT');
    expect(r.issues.map((i: any) => `${i.path.join('.')}:${i.code}`).sort()).toEqual([
      'values.company:INVALID_VALUE',
      'values.doc:INVALID_VALUE',
      'values.owner:INVALID_VALUE',
    ]);
  });
});

describe('validation', () => {
  it('reports every bad value of a record in one answer, unknown references included', async () => {
    const fields = [
      { key: 't1', label: 'T', type: 'TEXT', required: true },
      { key: 'n1', label: 'N', type: 'NUMBER' },
      { key: 'n2', label: 'N', type: 'NUMBER' },
      { key: 'd1', label: 'D', type: 'DATETIME' },
      { key: 'b1', label: 'B', type: 'BOOLEAN' },
      { key: 's1', label: 'S', type: 'STATIC_SELECT', options: [{ id: 'a', label: 'A' }] },
      { key: 'w1', label: 'W', type: 'WEBSITE' },
      { key: 'e1', label: 'E', type: 'EMAIL' },
      { key: 'p1', label: 'P', type: 'PHONE_NUMBER' },
      { key: 'c1', label: 'C', type: 'CURRENCY', config: { currency: 'EUR' } },
      { key: 'k1', label: 'K', type: 'CHECKLIST' },
      { key: 'a1', label: 'A', type: 'AUTO_NUMBER' },
      { key: 'l1', label: 'L', type: 'LINK', config: { target: companies.id } },
      { key: 'l2', label: 'L', type: 'LINK', config: { target: companies.id } },
      { key: 'u1', label: 'U', type: 'USER' },
      { key: 'f1', label: 'F', type: 'FILE' },
    ];
    const form = await createForm(c, { name: 'Strict', fields });
    const nowhere = '6f1c7a52-3b8e-4c1e-9a55-0d2a9c1e7b44';
    const r = await createEntry(c, form.id, {
      n1: 'x',
      n2: true,
      d1: 'yesterday',
      b1: 'yes',
      s1: 'zzz',
      w1: 'ftp://x.y',
      e1: 'not-mail',
      p1: '12',
      c1: 12.5,
      k1: 'x',
      a1: 7,
      l1: 'not an id',
      l2: nowhere,
      u1: nowhere,
      f1: nowhere,
      zz: 1,
    });
    expect(r.code).toBe('BAD_USER_INPUT');
    const got = r.issues.map((i: any) => `${i.path.join('.')}:${i.code}`).sort();
    expect(got).toEqual(
      [
        'values.t1:REQUIRED',
        'values.n1:INVALID_TYPE',
        'values.n2:INVALID_TYPE',
        'values.d1:INVALID_VALUE',
        'values.b1:INVALID_TYPE',
        'values.s1:UNKNOWN_OPTION',
        'values.w1:INVALID_VALUE',
        'values.e1:INVALID_VALUE',
        'values.p1:INVALID_VALUE',
        'values.c1:INVALID_TYPE',
        'values.k1:INVALID_TYPE',
        'values.a1:READ_ONLY',
        'values.l1:INVALID_VALUE',
        'values.l2:NOT_FOUND',
        'values.u1:NOT_FOUND',
        'values.f1:NOT_FOUND',
        'values.zz:UNKNOWN_FIELD',
      ].sort(),
    );
    expect(got).toHaveLength(17);
  });

  it('reports unknown references of every record of a bulk create together with their format errors', async () => {
    const nowhere = '6f1c7a52-3b8e-4c1e-9a55-0d2a9c1e7b44';
    const r = await c.data<any, any>(
      `mutation($form: ID!, $values: [JSON!]!) { createEntries(form: $form, values: $values) { ... on UserError { issues { path code } } } }`,
      {
        form: deals.id,
        values: [{ title: 5 }, { owner: nowhere }, { company: acme.id, doc: nowhere }],
      },
    );
    expect(r.createEntries.issues.map((i: any) => `${i.path.join('.')}:${i.code}`).sort()).toEqual([
      'values.0.title:INVALID_TYPE',
      'values.1.owner:NOT_FOUND',
      'values.2.doc:NOT_FOUND',
    ]);
  });
});
