import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import { createEntries, createForm, entries } from './helpers.js';

let t: TestServer;
let tenant: Tenant;
beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTenant(t.server.db);
});
afterAll(() => t?.stop());

it('creates a form and lists entries', async () => {
  const c = t.client.as(tenant.key);
  const form = await createForm(c, {
    name: 'F',
    fields: [
      { key: 'name', label: 'Name', type: 'TEXT' },
      { key: 'no', label: 'No', type: 'AUTO_NUMBER' },
    ],
  });
  const created = await createEntries(c, form.id, [{ name: 'a' }, { name: 'b' }]);
  expect(created.map((e) => e.values)).toEqual([
    { name: 'a', no: 1 },
    { name: 'b', no: 2 },
  ]);
  const page = await entries(c, form.id, { first: 1 });
  expect(page.totalCount).toBe(2);
  expect(page.edges[0]!.node.values.name).toBe('b');
});
