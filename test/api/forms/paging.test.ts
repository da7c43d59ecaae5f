import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { createEntries, createForm, entries, entryErrors } from './helpers.js';

let t: TestServer;
let tenant: Tenant;
let c: GraphQLClient;
let formId: string;
let rows: Array<{ id: string; values: Record<string, any>; autoNumber: number }>;

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTenant(t.server.db);
  c = t.client.as(tenant.key);
  const form = await createForm(c, {
    name: 'Paging',
    fields: [
      { key: 'n', label: 'N', type: 'NUMBER', indexed: true },
      {
        key: 'grp',
        label: 'Group',
        type: 'STATIC_SELECT',
        options: [
          { id: 'x', label: 'X' },
          { id: 'y', label: 'Y' },
          { id: 'z', label: 'Z' },
        ],
      },
      { key: 'day', label: 'Day', type: 'DATETIME' },
      { key: 'amount', label: 'Amount', type: 'CURRENCY', config: { currency: 'USD' } },
      { key: 'name', label: 'Name', type: 'TEXT' },
    ],
  });
  formId = form.id;
  // many ties and nulls: n in 0..4 or empty, groups in z/x/y or empty
  const values = Array.from({ length: 120 }, (_, i) => ({
    ...(i % 6 === 5 ? {} : { n: i % 5 }),
    ...(i % 4 === 3 ? {} : { grp: ['z', 'x', 'y'][i % 3] }),
    day: new Date(Date.UTC(2025, i % 14, 1 + (i % 27), i % 24)).toISOString(),
    ...(i % 7 === 0 ? {} : { amount: `${i}.${String(i % 100).padStart(2, '0')}` }),
    name: `n${i}`,
  }));
  rows = await createEntries(c, formId, values);
});
afterAll(() => t?.stop());

const cmpNullable = (a: any, b: any, desc: boolean, nullsFirst: boolean) => {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return nullsFirst ? -1 : 1;
  if (b === undefined) return nullsFirst ? 1 : -1;
  return (a < b ? -1 : a > b ? 1 : 0) * (desc ? -1 : 1);
};

async function walk(args: Record<string, unknown>, size: number, backward = false) {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const page = await entries(c, formId, backward ? { ...args, last: size, before: cursor } : { ...args, first: size, after: cursor });
    const ids = page.edges.map((e) => e.node.id);
    if (backward) seen.unshift(...ids);
    else seen.push(...ids);
    if (!(backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage)) break;
    cursor = backward ? page.pageInfo.startCursor : page.pageInfo.endCursor;
  }
  return seen;
}

describe('ordering', () => {
  for (const [direction, nulls] of [
    ['ASC', null],
    ['ASC', 'FIRST'],
    ['DESC', null],
    ['DESC', 'LAST'],
  ] as const) {
    it(`sorts by a number ${direction} nulls ${nulls ?? 'default'} with the auto-number as tie-break, across pages both ways`, async () => {
      const desc = direction === 'DESC';
      const nullsFirst = nulls ? nulls === 'FIRST' : desc;
      // ties broken by the auto-number (creation order) in the direction of the term
      const no = new Map(rows.map((r: any) => [r.id, r.autoNumber as number]));
      const expected = [...rows]
        .sort((a, b) => cmpNullable(a.values.n, b.values.n, desc, nullsFirst) || (no.get(a.id)! - no.get(b.id)!) * (desc ? -1 : 1))
        .map((r) => r.id);
      const orderBy = [{ field: 'n', direction, ...(nulls ? { nulls } : {}) }];
      expect(await walk({ orderBy }, 7)).toEqual(expected);
      expect(await walk({ orderBy }, 11, true)).toEqual(expected);
    });
  }

  it('sorts select options in their option order, then by a second term', async () => {
    const order = ['x', 'y', 'z'];
    const page = await entries(c, formId, { orderBy: [{ field: 'grp' }, { field: 'name', direction: 'DESC' }], first: 500 });
    const got = page.edges.map((e) => [e.node.values.grp, e.node.values.name]);
    const expected = rows
      .map((r) => [r.values.grp, r.values.name])
      .sort(
        (a, b) =>
          cmpNullable(a[0] === undefined ? undefined : order.indexOf(a[0]), b[0] === undefined ? undefined : order.indexOf(b[0]), false, false) ||
          (a[1] < b[1] ? 1 : -1),
      );
    expect(got).toEqual(expected);
  });

  it('refuses fields that do not sort and unknown fields', async () => {
    const errors = await entryErrors(c, formId, { orderBy: [{ field: 'missing' }] });
    expect(errors[0]!.extensions?.issues?.[0]?.code).toBe('UNKNOWN_FIELD');
  });
});

describe('cursors', () => {
  it('pages forward while entries are inserted: no duplicate, none missing of those that existed', async () => {
    const before = rows.map((r) => r.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    const inserted: string[] = [];
    for (let i = 0; i < 40; i++) {
      const page = await entries(c, formId, { orderBy: [{ field: 'createdAt', direction: 'ASC' }], first: 10, after: cursor });
      seen.push(...page.edges.map((e) => e.node.id));
      inserted.push(...(await createEntries(c, formId, [{ name: `late${i}a` }, { name: `late${i}b` }])).map((e) => e.id));
      if (!page.pageInfo.hasNextPage) break;
      cursor = page.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of before) expect(seen).toContain(id);
    // ascending by creation: everything inserted before the last page was read shows up too
    expect(seen.filter((id) => inserted.includes(id)).length).toBeGreaterThan(0);
  });

  it('pages backward from the end with the default order and matches the forward walk', async () => {
    const forward = await walk({}, 13);
    const backward = await walk({}, 9, true);
    expect(backward).toEqual(forward);
    expect(new Set(forward).size).toBe(forward.length);
  });

  it('refuses a cursor reused with another order or filter, and garbage cursors', async () => {
    const page = await entries(c, formId, { orderBy: [{ field: 'n' }], first: 5 });
    const other = await entryErrors(c, formId, { orderBy: [{ field: 'n', direction: 'DESC' }], first: 5, after: page.pageInfo.endCursor });
    expect(other[0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(other[0]!.extensions?.issues?.[0]?.code).toBe('CURSOR_MISMATCH');
    const filtered = await entryErrors(c, formId, {
      orderBy: [{ field: 'n' }],
      filter: { field: 'n', operator: 'IS', value: 1 },
      after: page.pageInfo.endCursor,
    });
    expect(filtered[0]!.extensions?.issues?.[0]?.code).toBe('CURSOR_MISMATCH');
    const garbage = await entryErrors(c, formId, { after: 'not-a-cursor' });
    expect(garbage[0]!.extensions?.issues?.[0]?.code).toBe('INVALID_CURSOR');
  });

  it('caps the page size', async () => {
    const errors = await entryErrors(c, formId, { first: 501 });
    expect(errors[0]!.extensions?.code).toBe('BAD_USER_INPUT');
    const page = await entries(c, formId, {});
    expect(page.edges.length).toBe(50);
  });
});

describe('aggregates', () => {
  const AGG = `query($id: ID!, $filter: RecordFilter, $aggregates: [AggregateInput!], $groupBy: GroupByInput) {
    form(id: $id) { entryAggregates(filter: $filter, aggregates: $aggregates, groupBy: $groupBy) {
      count aggregates { field count countEmpty countNotEmpty sum avg min max }
      groups { key label count aggregates { field count countEmpty sum min max } } } } }`;

  it('computes count, empty/not empty, sum, avg, min, max on the filtered set, exactly', async () => {
    const all = (await entries(c, formId, { first: 500 })).edges.map((e) => e.node.values);
    const filtered = all.filter((v) => v.n !== undefined && v.n >= 2);
    const r = await c.data<any, any>(AGG, {
      id: formId,
      filter: { field: 'n', operator: 'GREATER_OR_EQUAL', value: 2 },
      aggregates: [
        { field: 'amount', functions: ['COUNT', 'COUNT_EMPTY', 'COUNT_NOT_EMPTY', 'SUM', 'AVG', 'MIN', 'MAX'] },
        { field: 'n', functions: ['SUM', 'MAX'] },
      ],
    });
    const a = r.form.entryAggregates;
    expect(a.count).toBe(filtered.length);
    const amounts = filtered.filter((v) => v.amount).map((v) => v.amount.amount as string);
    // exact decimal sum in cents, computed with BigInt
    const cents = amounts.reduce((s, x) => s + BigInt(Math.round(Number(x) * 100)), 0n);
    const [amount, n] = a.aggregates;
    expect(amount.count).toBe(filtered.length);
    expect(amount.countEmpty).toBe(filtered.length - amounts.length);
    expect(amount.countNotEmpty).toBe(amounts.length);
    expect(Number(amount.sum) * 100).toBeCloseTo(Number(cents), 6);
    expect(amount.sum).toMatch(/^\d+(\.\d{1,2})?$/);
    // an average amount is rounded to the currency's minor unit (cents)
    expect(amount.avg).toMatch(/^\d+\.\d{2}$/);
    expect(Math.abs(Number(amount.avg) - Number(cents) / 100 / amounts.length)).toBeLessThanOrEqual(0.005 + 1e-9);
    expect(Number(amount.min)).toBe(Math.min(...amounts.map(Number)));
    expect(Number(amount.max)).toBe(Math.max(...amounts.map(Number)));
    expect(Number(n.sum)).toBe(filtered.reduce((s, v) => s + v.n, 0));
    expect(n.max).toBe('4');
  });

  it('groups by a select field with labels and per-group aggregates', async () => {
    const all = (await entries(c, formId, { first: 500 })).edges.map((e) => e.node.values);
    const r = await c.data<any, any>(AGG, { id: formId, groupBy: { field: 'grp' }, aggregates: [{ field: 'n', functions: ['SUM', 'COUNT_EMPTY'] }] });
    const groups = r.form.entryAggregates.groups as Array<any>;
    const keys = [...new Set(all.map((v) => v.grp ?? null))].sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : 1));
    expect(groups.map((g) => g.key)).toEqual(keys);
    for (const g of groups) {
      const members = all.filter((v) => (v.grp ?? null) === g.key);
      expect(g.count).toBe(members.length);
      expect(Number(g.aggregates[0].sum ?? 0)).toBe(members.reduce((s, v) => s + (v.n ?? 0), 0));
      expect(g.aggregates[0].countEmpty).toBe(members.filter((v) => v.n === undefined).length);
      expect(g.label).toBe(g.key === null ? null : g.key.toUpperCase());
    }
    expect(r.form.entryAggregates.count).toBe(all.length);
  });

  for (const bucket of ['DAY', 'WEEK', 'MONTH', 'YEAR'] as const) {
    it(`groups a date-time field by ${bucket} in UTC`, async () => {
      const all = (await entries(c, formId, { first: 500 })).edges.map((e) => e.node.values);
      const key = (iso: string | undefined) => {
        if (iso === undefined) return null;
        const d = new Date(iso);
        if (bucket === 'YEAR') return `${d.getUTCFullYear()}-01-01`;
        if (bucket === 'MONTH') return `${iso.slice(0, 7)}-01`;
        if (bucket === 'DAY') return iso.slice(0, 10);
        const monday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7)));
        return monday.toISOString().slice(0, 10);
      };
      const expected = new Map<string | null, number>();
      for (const v of all) expected.set(key(v.day), (expected.get(key(v.day)) ?? 0) + 1);
      const r = await c.data<any, any>(AGG, { id: formId, groupBy: { field: 'day', bucket } });
      const got = new Map((r.form.entryAggregates.groups as any[]).map((g) => [g.key, g.count]));
      expect([...got.keys()]).toEqual([...expected.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : 1)));
      expect(got).toEqual(expected);
    });
  }

  it('refuses aggregates a type does not take', async () => {
    const errors = await c.errors<any, any>(AGG, { id: formId, aggregates: [{ field: 'name', functions: ['SUM'] }] });
    expect(errors[0]!.extensions?.issues?.[0]?.code).toBe('AGGREGATE_NOT_APPLICABLE');
    expect(errors[0]!.message).toContain('"name"');
  });
});

describe('views', () => {
  it('saves a filter and order that entries(view:) applies, combined with the given filter', async () => {
    const r = await c.data<any, any>(
      `mutation($form: ID!, $input: ViewInput!) { createView(form: $form, input: $input) { __typename ... on MutationCreateViewSuccess { data { id name isDefault visibleFields filter } } ... on UserError { code message } } }`,
      {
        form: formId,
        input: {
          name: 'Big n',
          filter: { field: 'n', operator: 'GREATER', value: 2 },
          orderBy: [{ field: 'name', direction: 'DESC' }],
          visibleFields: ['n', 'name'],
          isDefault: true,
        },
      },
    );
    const view = r.createView.data;
    expect(view.isDefault).toBe(true);
    const all = (await entries(c, formId, { first: 500 })).edges.map((e) => e.node.values);
    const viaView = await entries(c, formId, { view: view.id, first: 500 });
    const expected = all
      .filter((v) => v.n > 2)
      .map((v) => v.name)
      .sort()
      .reverse();
    expect(viaView.edges.map((e) => e.node.values.name)).toEqual(expected);
    const narrowed = await entries(c, formId, { view: view.id, filter: { field: 'n', operator: 'IS', value: 4 }, first: 500 });
    expect(narrowed.totalCount).toBe(all.filter((v) => v.n === 4).length);
    // a second default view takes the flag over
    const second = await c.data<any, any>(
      `mutation($form: ID!, $input: ViewInput!) { createView(form: $form, input: $input) { ... on MutationCreateViewSuccess { data { id isDefault } } } }`,
      { form: formId, input: { name: 'All', isDefault: true } },
    );
    const views = await c.data<any, any>(`query($id: ID!) { form(id: $id) { views { id isDefault } } }`, { id: formId });
    expect(views.form.views).toEqual([
      { id: view.id, isDefault: false },
      { id: second.createView.data.id, isDefault: true },
    ]);
    // an invalid view is refused at save time
    const bad = await c.data<any, any>(
      `mutation($form: ID!, $input: ViewInput!) { createView(form: $form, input: $input) { __typename ... on UserError { code } } }`,
      { form: formId, input: { name: 'Bad', filter: { field: 'name', operator: 'GREATER', value: 'a' } } },
    );
    expect(bad.createView).toEqual({ __typename: 'UserError', code: 'BAD_USER_INPUT' });
    const upd = await c.data<any, any>(
      `mutation($id: ID!, $input: ViewInput!) { updateView(id: $id, input: $input) { ... on MutationUpdateViewSuccess { data { name filter } } } }`,
      { id: view.id, input: { name: 'Renamed', filter: null } },
    );
    expect(upd.updateView.data).toEqual({ name: 'Renamed', filter: null });
    const del = await c.data<any, any>(`mutation($id: ID!) { deleteView(id: $id) { __typename } }`, { id: view.id });
    expect(del.deleteView.__typename).toBe('MutationDeleteViewSuccess');
    const gone = await entryErrors(c, formId, { view: view.id });
    expect(gone[0]!.extensions?.code).toBe('NOT_FOUND');
  });
});
