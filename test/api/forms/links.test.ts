import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { createEntries, createForm } from './helpers.js';

let t: TestServer;
let tenant: Tenant;
let c: GraphQLClient;
let companies: Awaited<ReturnType<typeof createForm>>;
let deals: Awaited<ReturnType<typeof createForm>>;
let firms: Array<{ id: string }>;
let accounts: Array<{ id: string }>;
let moduleId: string;

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTenant(t.server.db);
  c = t.client.as(tenant.key);
  companies = await createForm(c, {
    name: 'Companies',
    fields: [
      { key: 'code', label: 'Code', type: 'NUMBER' },
      { key: 'name', label: 'Name', type: 'TEXT' },
    ],
  });
  firms = await createEntries(
    c,
    companies.id,
    Array.from({ length: 60 }, (_, i) => ({ code: i, name: `Firm ${i}` })),
  );
  const mod = await c.data<any, any>(
    `mutation { createModule(input: { name: "Accounts", handle: "accounts", fields: [{ key: "label", label: "Label", type: TEXT }] }) { ... on MutationCreateModuleSuccess { data { id } } } }`,
  );
  moduleId = mod.createModule.data.id;
  const acc = await c.data<any, any>(
    `mutation($m: ID!) { createModuleRecords(module: $m, values: [{ label: "Acc A" }, {}]) { ... on MutationCreateModuleRecordsSuccess { data { id } } } }`,
    { m: moduleId },
  );
  accounts = acc.createModuleRecords.data;
  deals = await createForm(c, {
    name: 'Deals',
    fields: [
      { key: 'title', label: 'Title', type: 'TEXT' },
      { key: 'companies', label: 'Companies', type: 'LINK', allowMultiple: true, config: { target: companies.id } },
      { key: 'account', label: 'Account', type: 'LINK', config: { target: moduleId } },
    ],
  });
  await createEntries(
    c,
    deals.id,
    Array.from({ length: 50 }, (_, i) => ({ title: `Deal ${i}`, companies: [firms[i]!.id, firms[i + 1]!.id, firms[i + 2]!.id], account: accounts[i % 2]!.id })),
  );
});
afterAll(() => t?.stop());

const PAGE = `query($id: ID!, $first: Int) { form(id: $id) { entries(first: $first, orderBy: [{ field: "title" }]) { edges { node { id values
  links(field: "companies", first: 2) { totalCount items { id displayValue record { __typename ... on Entry { id values } } } }
  account: value(key: "account") { linked { totalCount items { displayValue record { __typename ... on ModuleRecord { id } } } } } } } } } }`;

it('follows LINK values to the linked entries and module records, limited by first, with their display value', async () => {
  const r = await c.request<any, any>(PAGE, { id: deals.id, first: 1 });
  expect(r.errors).toBeUndefined();
  const deal = r.data.form.entries.edges[0].node;
  expect(deal.values.title).toBe('Deal 0');
  expect(deal.links.totalCount).toBe(3);
  expect(deal.links.items.map((i: any) => i.displayValue)).toEqual(['Firm 0', 'Firm 1']);
  expect(deal.links.items.map((i: any) => i.id)).toEqual([firms[0]!.id, firms[1]!.id]);
  expect(deal.links.items[0].record).toEqual({ __typename: 'Entry', id: firms[0]!.id, values: { code: 0, name: 'Firm 0' } });
  expect(deal.account.linked).toEqual({ totalCount: 1, items: [{ displayValue: 'Acc A', record: { __typename: 'ModuleRecord', id: accounts[0]!.id } }] });
  // a record without a text value shows its auto-number
  const second = await c.data<any, any>(PAGE, { id: deals.id, first: 2 });
  expect(second.form.entries.edges[1].node.account.linked.items[0].displayValue).toBe('#2');
});

it('costs a constant number of SQL statements, whatever the page size', async () => {
  const small = await c.request<any, any>(PAGE, { id: deals.id, first: 5 });
  const large = await c.request<any, any>(PAGE, { id: deals.id, first: 50 });
  expect(large.errors).toBeUndefined();
  expect(large.data.form.entries.edges).toHaveLength(50);
  expect(large.data.form.entries.edges.every((e: any) => e.node.links.items.length === 2)).toBe(true);
  expect(Number.isFinite(small.statements)).toBe(true);
  expect(large.statements).toBe(small.statements);
});

it('refuses a field that is not a LINK and a first out of range', async () => {
  const notLink = await c.errors<any, any>(
    `query($id: ID!) { form(id: $id) { entries(first: 1) { edges { node { links(field: "title") { totalCount } } } } } }`,
    { id: deals.id },
  );
  expect(notLink[0]!.extensions?.code).toBe('BAD_USER_INPUT');
  const tooMany = await c.errors<any, any>(
    `query($id: ID!) { form(id: $id) { entries(first: 1) { edges { node { links(field: "companies", first: 1000) { totalCount } } } } } }`,
    { id: deals.id },
  );
  expect(tooMany[0]!.extensions?.code).toBe('BAD_USER_INPUT');
});
