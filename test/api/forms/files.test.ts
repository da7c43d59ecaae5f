import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import { createEntry, createForm, entries } from './helpers.js';

let t: TestServer;
let tenant: Tenant;

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTenant(t.server.db);
});
afterAll(() => t?.stop());

/** A GraphQL multipart request (graphql-multipart-request-spec) uploading one file. */
async function upload(key: string, name: string, content: string, type = 'text/plain') {
  const body = new FormData();
  body.set(
    'operations',
    JSON.stringify({
      query: `mutation($file: Upload!) { uploadFile(file: $file) { __typename ... on MutationUploadFileSuccess { data { id name size contentType url } } ... on UserError { code message } } }`,
      variables: { file: null },
    }),
  );
  body.set('map', JSON.stringify({ 0: ['variables.file'] }));
  body.set('0', new File([content], name, { type }));
  const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body });
  const json = (await res.json()) as any;
  if (!json.data) throw new Error(JSON.stringify(json));
  return json.data.uploadFile;
}

it('uploads a file, stores it in a FILE field and serves it to the workspace only', async () => {
  const c = t.client.as(tenant.key);
  const uploaded = await upload(tenant.key, 'notes.txt', 'hello formgraph');
  expect(uploaded.__typename).toBe('MutationUploadFileSuccess');
  expect(uploaded.data).toMatchObject({ name: 'notes.txt', size: 15, contentType: 'text/plain' });
  const rawId = Buffer.from(uploaded.data.id, 'base64').toString().split(':')[1]!;
  expect(uploaded.data.url).toBe(`/files/${rawId}`);

  const form = await createForm(c, { name: 'Docs', fields: [{ key: 'doc', label: 'Doc', type: 'FILE' }] });
  const created = await createEntry(c, form.id, { doc: rawId });
  expect(created.data.values.doc).toEqual([{ id: uploaded.data.id, name: 'notes.txt', size: 15, contentType: 'text/plain' }]);
  const missing = await createEntry(c, form.id, { doc: '6f1c7a52-3b8e-4c1e-9a55-0d2a9c1e7b44' });
  expect(missing.issues).toEqual([{ path: ['values', 'doc'], code: 'NOT_FOUND', message: 'No file with id 6f1c7a52-3b8e-4c1e-9a55-0d2a9c1e7b44' }]);
  const byName = await entries(c, form.id, { filter: { field: 'doc', operator: 'CONTAINS', value: 'NOTES' } });
  expect(byName.totalCount).toBe(1);
  const typed = await c.data<any, any>(`query($id: ID!) { node(id: $id) { ... on Entry { value(key: "doc") { files { name url } } } } }`, {
    id: created.data.id,
  });
  expect(typed.node.value.files).toEqual([{ name: 'notes.txt', url: `/files/${rawId}` }]);

  const download = await fetch(`${t.url}/files/${rawId}`, { headers: { authorization: `Bearer ${tenant.key}` } });
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toBe('text/plain');
  expect(await download.text()).toBe('hello formgraph');
  expect((await fetch(`${t.url}/files/${rawId}`)).status).toBe(401);
  const other = await createTenant(t.server.db);
  expect((await fetch(`${t.url}/files/${rawId}`, { headers: { authorization: `Bearer ${other.key}` } })).status).toBe(404);
  // another workspace cannot attach it either
  const otherForm = await createForm(t.client.as(other.key), { name: 'Theirs', fields: [{ key: 'doc', label: 'Doc', type: 'FILE' }] });
  const stolen = await createEntry(t.client.as(other.key), otherForm.id, { doc: rawId });
  expect(stolen.issues[0].code).toBe('NOT_FOUND');
});

it('refuses empty uploads', async () => {
  const r = await upload(tenant.key, 'empty.txt', '');
  expect(r).toMatchObject({ __typename: 'UserError', code: 'BAD_USER_INPUT' });
});
