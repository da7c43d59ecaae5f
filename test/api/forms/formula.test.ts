import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { createEntries, createForm, entries } from './helpers.js';
import { USER_ERROR } from '../documents.js';

let t: TestServer;
let tenant: Tenant;
let c: GraphQLClient;
let form: Awaited<ReturnType<typeof createForm>>;

const CREATE_FIELD = `mutation($form: ID!, $input: FieldInput!) { createField(form: $form, input: $input) {
  __typename ... on MutationCreateFieldSuccess { data { id key type readOnly config } } ${USER_ERROR} } }`;
const UPDATE_FIELD = `mutation($id: ID!, $input: FieldUpdateInput!) { updateField(id: $id, input: $input) {
  __typename ... on MutationUpdateFieldSuccess { data { config } } ... on UserError { code issues { path code message } } } }`;

const formula = (key: string, expression: string) =>
  c.data<any, any>(CREATE_FIELD, { form: form.id, input: { key, label: key, type: 'FORMULA', config: { expression } } }).then((r) => r.createField);

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTenant(t.server.db);
  c = t.client.as(tenant.key);
  form = await createForm(c, {
    name: 'Orders',
    fields: [
      { key: 'first', label: 'First', type: 'TEXT' },
      { key: 'last', label: 'Last', type: 'TEXT' },
      { key: 'price', label: 'Price', type: 'CURRENCY', config: { currency: 'EUR' } },
      { key: 'qty', label: 'Qty', type: 'NUMBER' },
      { key: 'opened', label: 'Opened', type: 'DATETIME' },
      { key: 'closed', label: 'Closed', type: 'DATETIME' },
      { key: 'tags', label: 'Tags', type: 'CHECKLIST' },
    ],
  });
  await createEntries(c, form.id, [
    { first: 'Ada', last: 'Lovelace', price: '12.50', qty: 4, opened: '2026-01-01T00:00:00Z', closed: '2026-01-11T00:00:00Z' },
    { first: 'Alan', last: 'Turing', price: '100', qty: 1, opened: '2026-02-01T00:00:00Z', closed: '2026-02-03T12:00:00Z' },
    { first: 'Grace', price: '3', qty: 0, opened: '2026-03-01T00:00:00Z' },
  ]);
});
afterAll(() => t?.stop());

describe('formula fields', () => {
  it('are listed in fieldTypes with their operators, read-only', async () => {
    const r = await c.data<any, any>(`{ fieldType(id: FORMULA) { readOnly sortable operators aggregations settings } }`);
    expect(r.fieldType).toMatchObject({ readOnly: true, sortable: true, settings: ['expression'] });
    expect(r.fieldType.operators).toEqual(expect.arrayContaining(['GREATER', 'BETWEEN', 'CONTAINS', 'IS_EMPTY']));
    expect(r.fieldType.aggregations).toEqual(expect.arrayContaining(['SUM', 'AVG']));
  });

  it('compute arithmetic, text joins, date differences and IF in SQL, and read back in values', async () => {
    expect((await formula('total', 'price * qty')).data.config).toEqual({ expression: 'price * qty', resultType: 'NUMBER' });
    expect((await formula('full_name', 'first & " " & last')).data.config.resultType).toBe('TEXT');
    expect((await formula('days_open', 'DATEDIFF(closed, opened, "days")')).data.config.resultType).toBe('NUMBER');
    expect((await formula('size', 'IF(total >= 50, "big", "small")')).data.config.resultType).toBe('TEXT');
    expect((await formula('per_item', 'ROUND(price / qty, 2)')).data.config.resultType).toBe('NUMBER');
    const page = await entries(c, form.id, { orderBy: [{ field: 'first' }] });
    const v = page.edges.map((e) => e.node.values);
    expect(v.map((x) => x.total)).toEqual([50, 100, 0]);
    expect(v.map((x) => x.full_name)).toEqual(['Ada Lovelace', 'Alan Turing', 'Grace ']);
    expect(v.map((x) => x.days_open)).toEqual([10, 2, undefined]);
    expect(v.map((x) => x.size)).toEqual(['big', 'big', 'small']);
    // division by zero is empty, not an error
    expect(v.map((x) => x.per_item)).toEqual([3.13, 100, undefined]);
    const typed = await c.data<any, any>(
      `query($id: ID!) { node(id: $id) { ... on Entry { total: value(key: "total") { number } name: value(key: "full_name") { text } } } }`,
      { id: page.edges[0]!.node.id },
    );
    expect(typed.node).toEqual({ total: { number: 50 }, name: { text: 'Ada Lovelace' } });
  });

  it('filter, sort and aggregate like any field', async () => {
    const big = await entries(c, form.id, {
      filter: { field: 'total', operator: 'GREATER_OR_EQUAL', value: 50 },
      orderBy: [{ field: 'total', direction: 'DESC' }],
    });
    expect(big.edges.map((e) => e.node.values.first)).toEqual(['Alan', 'Ada']);
    const named = await entries(c, form.id, { filter: { field: 'full_name', operator: 'CONTAINS', value: 'love' } });
    expect(named.edges.map((e) => e.node.values.first)).toEqual(['Ada']);
    const open = await entries(c, form.id, { filter: { field: 'days_open', operator: 'IS_EMPTY' } });
    expect(open.edges.map((e) => e.node.values.first)).toEqual(['Grace']);
    const agg = await c.data<any, any>(
      `query($id: ID!) { form(id: $id) { entryAggregates(aggregates: [{ field: "total", functions: [SUM, AVG, MAX] }], groupBy: { field: "size" }) {
      aggregates { sum max } groups { key count } } } }`,
      { id: form.id },
    );
    expect(Number(agg.form.entryAggregates.aggregates[0].sum)).toBe(150);
    expect(Number(agg.form.entryAggregates.aggregates[0].max)).toBe(100);
    expect(agg.form.entryAggregates.groups.map((g: any) => `${g.key}:${g.count}`).sort()).toEqual(['big:2', 'small:1']);
    // operators follow the result type
    const wrong = await c.errors<any, any>(
      `query($id: ID!) { form(id: $id) { entries(filter: { field: "full_name", operator: GREATER, value: 1 }) { totalCount } } }`,
      { id: form.id },
    );
    expect(wrong[0]!.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses bad expressions with clear issues at the expression path', async () => {
    const cases: Array<[string, string]> = [
      ['price * (qty', 'SYNTAX_ERROR'],
      ['price * nope', 'UNKNOWN_FIELD'],
      ['first * 2', 'TYPE_MISMATCH'],
      ['IF(qty, 1, 2)', 'TYPE_MISMATCH'],
      ['IF(qty > 1, 1, "x")', 'TYPE_MISMATCH'],
      ['tags & "x"', 'TYPE_MISMATCH'],
      ['SHELL("rm")', 'UNKNOWN_FUNCTION'],
      ['price; drop table "Record"', 'SYNTAX_ERROR'],
      ['loop + 1', 'CIRCULAR_REFERENCE'],
    ];
    for (const [expression, code] of cases) {
      const r = await formula('loop', expression);
      expect(r.__typename, expression).toBe('UserError');
      expect(r.code).toBe('BAD_USER_INPUT');
      expect(
        r.issues.map((i: any) => `${i.path.join('.')}:${i.code}`),
        expression,
      ).toEqual([`input.config.expression:${code}`]);
    }
    const missing = await c.data<any, any>(CREATE_FIELD, { form: form.id, input: { key: 'nothing', label: 'x', type: 'FORMULA' } });
    expect(missing.createField.issues[0]).toMatchObject({ path: ['input', 'config', 'expression'], code: 'REQUIRED' });
  });

  it('refuses a cycle through another formula, and changes that break dependent formulas', async () => {
    const a = await formula('fa', 'qty + 1');
    await formula('fb', 'fa * 2');
    const cycle = await c.data<any, any>(UPDATE_FIELD, { id: a.data.id, input: { config: { expression: 'fb + 1' } } });
    expect(cycle.updateField.issues.map((i: any) => `${i.path.join('.')}:${i.code}`)).toEqual(['input.config.expression:CIRCULAR_REFERENCE']);
    const retyped = await c.data<any, any>(UPDATE_FIELD, { id: a.data.id, input: { config: { expression: 'first' } } });
    expect(retyped.updateField.issues[0].code).toBe('BREAKS_DEPENDENT_FORMULA');
    const removed = await c.data<any, any>(`mutation($id: ID!) { removeField(id: $id) { __typename ... on UserError { code } } }`, { id: a.data.id });
    expect(removed.removeField.code).toBe('FAILED_DEPENDENCY');
  });

  it('are read-only in inputs', async () => {
    const r = await c.data<any, any>(`mutation($form: ID!) { createEntry(form: $form, values: { total: 5 }) { ... on UserError { issues { path code } } } }`, {
      form: form.id,
    });
    expect(r.createEntry.issues).toEqual([{ path: ['values', 'total'], code: 'READ_ONLY' }]);
  });
});
