import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, memberOf, type Tenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { createEntries, createForm, entries, entryErrors } from './helpers.js';

/**
 * Every operator on every field type it applies to, checked against an oracle written here in JS
 * over the same data; every operator a type does not take is refused naming both.
 */
let t: TestServer;
let tenant: Tenant;
let c: GraphQLClient;
let formId: string;
let rows: Array<{ id: string; values: Record<string, any> }>;
let catalog: Array<{ id: string; operators: string[] }>;
let fieldTypes: Record<string, string>;
const OPERATORS = [
  'CONTAINS',
  'DOES_NOT_CONTAIN',
  'IS',
  'IS_NOT',
  'GREATER',
  'GREATER_OR_EQUAL',
  'LESS',
  'LESS_OR_EQUAL',
  'BETWEEN',
  'IS_EMPTY',
  'IS_NOT_EMPTY',
  'IN',
  'NOT_IN',
];

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTenant(t.server.db);
  c = t.client.as(tenant.key);
  const ann = await memberOf(t.server.db, tenant.workspaceId, 'EDITOR');
  const bob = await memberOf(t.server.db, tenant.workspaceId, 'VIEWER');
  const parts = await createForm(c, { name: 'Parts', fields: [{ key: 'n', label: 'N', type: 'NUMBER' }] });
  const p = await createEntries(c, parts.id, [{ n: 1 }, { n: 10 }, { n: 100 }]);
  const partIds = p.map((e) => Buffer.from(e.id, 'base64').toString().split(':')[1]!);
  const form = await createForm(c, {
    name: 'All types',
    fields: [
      { key: 'title', label: 'Title', type: 'TEXT' },
      { key: 'email', label: 'Email', type: 'EMAIL' },
      { key: 'site', label: 'Site', type: 'WEBSITE' },
      { key: 'phone', label: 'Phone', type: 'PHONE_NUMBER' },
      { key: 'qty', label: 'Qty', type: 'NUMBER', indexed: true },
      { key: 'due', label: 'Due', type: 'DATETIME' },
      { key: 'done', label: 'Done', type: 'BOOLEAN' },
      {
        key: 'color',
        label: 'Color',
        type: 'STATIC_SELECT',
        options: [
          { id: 'red', label: 'Red' },
          { id: 'green', label: 'Green' },
          { id: 'blue', label: 'Blue' },
        ],
        indexed: true,
      },
      {
        key: 'tags',
        label: 'Tags',
        type: 'STATIC_SELECT',
        allowMultiple: true,
        options: [
          { id: 'a', label: 'A' },
          { id: 'b', label: 'B' },
          { id: 'c', label: 'C' },
        ],
      },
      { key: 'price', label: 'Price', type: 'CURRENCY', config: { currency: 'EUR' } },
      { key: 'no', label: 'No', type: 'AUTO_NUMBER' },
      { key: 'todo', label: 'Todo', type: 'CHECKLIST' },
      { key: 'owner', label: 'Owner', type: 'USER' },
      { key: 'parts', label: 'Parts', type: 'LINK', allowMultiple: true, config: { target: parts.id } },
      { key: 'nparts', label: 'Number of parts', type: 'COUNT', config: { linkField: 'parts' } },
      { key: 'total', label: 'Total', type: 'ROLLUP', config: { linkField: 'parts', targetField: 'n', function: 'SUM' } },
    ],
  });
  formId = form.id;
  fieldTypes = Object.fromEntries(form.fields.map((f) => [f.key, f.type]));
  rows = await createEntries(c, formId, [
    {
      title: 'Alpha report',
      email: 'ann@example.com',
      site: 'https://a.example.com',
      phone: '+4930111',
      qty: 5,
      due: '2026-01-10T00:00:00Z',
      done: true,
      color: 'red',
      tags: ['a', 'b'],
      price: '10.50',
      todo: [{ label: 'Call Bob', checked: true }],
      owner: ann.user.id,
      parts: [partIds[0], partIds[1]],
    },
    {
      title: 'beta',
      email: 'bob@example.org',
      qty: -2,
      due: '2026-03-01T12:00:00Z',
      done: false,
      color: 'blue',
      tags: ['c'],
      price: '0.99',
      owner: bob.user.id,
      parts: [partIds[2]],
    },
    { title: 'Gamma 100%', qty: 5, color: 'green', tags: ['a'], price: '250', todo: [{ label: 'write' }] },
    { title: 'delta_x', site: 'https://d.example.net', phone: '+4930222', qty: 40.5, due: '2025-12-31T23:59:59Z', done: true },
    { email: 'cy@example.com', qty: 0, color: 'red', price: '-3.25', parts: [partIds[0]] },
    {},
  ]);
  catalog = (await c.data<any, any>(`{ fieldTypes { id operators } }`)).fieldTypes;
});
afterAll(() => t?.stop());

const num = (v: any) => (v === undefined ? undefined : typeof v === 'object' && v !== null ? Number(v.amount) : Number(v));
const listOf = (v: any): any[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The oracle: what an operator means, in plain JS over the values the API returned. */
function matches(type: string, v: any, op: string, x: any, xs: any[]): boolean {
  const empty = v === undefined || v === null;
  if (op === 'IS_EMPTY') return type === 'COUNT' || type === 'AUTO_NUMBER' ? false : empty;
  if (op === 'IS_NOT_EMPTY') return !matches(type, v, 'IS_EMPTY', x, xs);
  if (['NUMBER', 'CURRENCY', 'AUTO_NUMBER', 'COUNT', 'ROLLUP'].includes(type)) {
    const a = num(v);
    const cmp = (b: any) => (a === undefined ? null : a - Number(b));
    switch (op) {
      case 'IS':
        return cmp(x) === 0;
      case 'IS_NOT':
        return cmp(x) !== 0;
      case 'GREATER':
        return (cmp(x) ?? -Infinity) > 0;
      case 'GREATER_OR_EQUAL':
        return (cmp(x) ?? -Infinity) >= 0;
      case 'LESS':
        return (cmp(x) ?? Infinity) < 0;
      case 'LESS_OR_EQUAL':
        return (cmp(x) ?? Infinity) <= 0;
      case 'BETWEEN':
        return a !== undefined && a >= Number(xs[0]) && a <= Number(xs[1]);
      case 'IN':
        return xs.some((y) => cmp(y) === 0);
      case 'NOT_IN':
        return !xs.some((y) => cmp(y) === 0);
    }
  }
  if (type === 'DATETIME') {
    const a = empty ? undefined : Date.parse(v);
    const b = (s: string) => Date.parse(s);
    switch (op) {
      case 'IS':
        return a === b(x);
      case 'IS_NOT':
        return a !== b(x);
      case 'GREATER':
        return a !== undefined && a > b(x);
      case 'GREATER_OR_EQUAL':
        return a !== undefined && a >= b(x);
      case 'LESS':
        return a !== undefined && a < b(x);
      case 'LESS_OR_EQUAL':
        return a !== undefined && a <= b(x);
      case 'BETWEEN':
        return a !== undefined && a >= b(xs[0]) && a <= b(xs[1]);
    }
  }
  if (type === 'CHECKLIST') {
    const has = listOf(v).some((i) => i.label.toLowerCase().includes(String(x).toLowerCase()));
    return op === 'CONTAINS' ? has : !has;
  }
  if (type === 'LINK' || (type === 'STATIC_SELECT' && Array.isArray(v)) || type === 'TAGS') {
    const l = listOf(v);
    switch (op) {
      case 'CONTAINS':
      case 'IS':
        return l.includes(x);
      case 'DOES_NOT_CONTAIN':
      case 'IS_NOT':
        return !l.includes(x);
      case 'IN':
        return xs.some((y) => l.includes(y));
      case 'NOT_IN':
        return !xs.some((y) => l.includes(y));
    }
  }
  switch (op) {
    case 'IS':
      return v === x;
    case 'IS_NOT':
      return v !== x;
    case 'CONTAINS':
      return !empty && String(v).toLowerCase().includes(String(x).toLowerCase());
    case 'DOES_NOT_CONTAIN':
      return empty || !String(v).toLowerCase().includes(String(x).toLowerCase());
    case 'IN':
      return xs.includes(v);
    case 'NOT_IN':
      return !xs.includes(v);
  }
  throw new Error(`oracle has no ${op} for ${type}`);
}

/** Operands taken from the data (so each operator selects something), per field. */
function operands(key: string, type: string, op: string): { value?: any; values?: any[] } {
  const present = rows.map((r) => r.values[key]).filter((v) => v !== undefined);
  const scalar = (v: any) =>
    type === 'CURRENCY' ? v.amount : type === 'LINK' ? v[0] : type === 'CHECKLIST' ? v[0].label.slice(0, 3) : Array.isArray(v) ? v[0] : v;
  const first = scalar(present[0]);
  const second = scalar(present[present.length - 1]);
  if (op === 'BETWEEN') {
    const sorted = present
      .map(scalar)
      .sort((a, b) => (typeof a === 'string' && Number.isNaN(Number(a)) ? String(a).localeCompare(String(b)) : Number(a) - Number(b)));
    return { values: [sorted[0], sorted[Math.floor(sorted.length / 2)]] };
  }
  if (op === 'IN' || op === 'NOT_IN') return { values: [first, second] };
  if (op === 'CONTAINS' || op === 'DOES_NOT_CONTAIN')
    return { value: typeof first === 'string' && !['LINK'].includes(type) && first.length > 3 ? first.slice(1, 4).toUpperCase() : first };
  return { value: first };
}

const idsOf = (page: Awaited<ReturnType<typeof entries>>) => page.edges.map((e) => e.node.id).sort();

describe('operators', () => {
  it('applies every operator of every field type as the oracle says', async () => {
    let checked = 0;
    for (const [key, type] of Object.entries(fieldTypes)) {
      const ops = catalog.find((x) => x.id === type)!.operators;
      for (const op of ops) {
        const operand = operands(key, type, op);
        const oracleType = type === 'STATIC_SELECT' && key === 'tags' ? 'TAGS' : type;
        const expected = rows
          .filter((r) => matches(oracleType, r.values[key], op, operand.value, operand.values ?? []))
          .map((r) => r.id)
          .sort();
        const page = await entries(c, formId, { filter: { field: key, operator: op, ...operand }, first: 100 });
        expect(idsOf(page), `${key} (${type}) ${op} ${JSON.stringify(operand)}`).toEqual(expected);
        expect(page.totalCount).toBe(expected.length);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('refuses every operator a type does not take, naming the operator and the field', async () => {
    for (const [key, type] of Object.entries(fieldTypes)) {
      const ops = catalog.find((x) => x.id === type)!.operators;
      for (const op of OPERATORS.filter((o) => !ops.includes(o))) {
        const errors = await entryErrors(c, formId, { filter: { field: key, operator: op, value: 1, values: [1, 2] } });
        expect(errors[0]!.extensions?.code).toBe('BAD_USER_INPUT');
        expect(errors[0]!.message).toContain(op);
        expect(errors[0]!.message).toContain(`"${key}"`);
        expect(errors[0]!.extensions?.issues?.[0]?.code).toBe('OPERATOR_NOT_APPLICABLE');
      }
    }
  });

  it('filters on system fields', async () => {
    const all = await entries(c, formId, { first: 100 });
    const some = rows.slice(1, 3).map((r) => Buffer.from(r.id, 'base64').toString().split(':')[1]);
    const byId = await entries(c, formId, { filter: { field: 'id', operator: 'IN', values: some } });
    expect(idsOf(byId)).toEqual(
      rows
        .slice(1, 3)
        .map((r) => r.id)
        .sort(),
    );
    const later = await entries(c, formId, { filter: { field: 'createdAt', operator: 'GREATER_OR_EQUAL', value: '2000-01-01T00:00:00Z' } });
    expect(later.totalCount).toBe(all.totalCount);
    const none = await entries(c, formId, { filter: { field: 'archived', operator: 'IS', value: true } });
    expect(none.totalCount).toBe(0);
    const errors = await entryErrors(c, formId, { filter: { field: 'createdAt', operator: 'CONTAINS', value: 'x' } });
    expect(errors[0]!.message).toContain('createdAt');
  });

  it('nests and / or / not', async () => {
    const filter = {
      or: [
        { and: [{ field: 'qty', operator: 'GREATER', value: 1 }, { not: { field: 'color', operator: 'IS', value: 'red' } }] },
        { field: 'title', operator: 'IS_EMPTY' },
      ],
    };
    const expected = rows
      .filter((r) => (r.values.qty > 1 && r.values.color !== 'red') || r.values.title === undefined)
      .map((r) => r.id)
      .sort();
    expect(idsOf(await entries(c, formId, { filter }))).toEqual(expected);
    const neither = {
      not: {
        or: [
          { field: 'done', operator: 'IS', value: true },
          { field: 'tags', operator: 'IN', values: ['a'] },
        ],
      },
    };
    const expected2 = rows
      .filter((r) => !(r.values.done === true || (r.values.tags ?? []).includes('a')))
      .map((r) => r.id)
      .sort();
    expect(idsOf(await entries(c, formId, { filter: neither }))).toEqual(expected2);
  });

  it('reports every filter problem at once', async () => {
    const errors = await entryErrors(c, formId, {
      filter: {
        and: [
          { field: 'nope', operator: 'IS', value: 1 },
          { field: 'qty', operator: 'IS', value: 'x' },
          { field: 'color', operator: 'IS', value: 'purple' },
          { field: 'qty', operator: 'BETWEEN', values: [1] },
        ],
      },
    });
    expect(errors[0]!.extensions?.issues?.map((i) => i.code)).toEqual(['UNKNOWN_FIELD', 'INVALID_TYPE', 'UNKNOWN_OPTION', 'INVALID_VALUE']);
  });

  it('searches text-like fields case-insensitively and literally', async () => {
    const s = await entries(c, formId, { search: 'EXAMPLE.ORG' });
    expect(idsOf(s)).toEqual([rows[1]!.id]);
    const pct = await entries(c, formId, { search: '100%' });
    expect(idsOf(pct)).toEqual([rows[2]!.id]);
    const underscore = await entries(c, formId, { search: 'a_x' });
    expect(idsOf(underscore)).toEqual([rows[3]!.id]);
    expect((await entries(c, formId, { search: 'call bob' })).edges.map((e) => e.node.id)).toEqual([rows[0]!.id]);
  });

  it('computes COUNT and ROLLUP server-side', async () => {
    expect(rows[0]!.values.nparts).toBe(2);
    expect(rows[0]!.values.total).toBe(11);
    expect(rows[1]!.values.total).toBe(100);
    expect(rows[5]!.values.nparts).toBe(0);
    expect(rows[5]!.values.total).toBeUndefined();
    expect(rows.map((r) => r.values.no)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('links', () => {
  it('refuses links to records of another form, and unlinks deleted records', async () => {
    const other = await createForm(c, { name: 'Other', fields: [{ key: 'n', label: 'N', type: 'NUMBER' }] });
    const [foreign] = await createEntries(c, other.id, [{ n: 1 }]);
    const raw = (gid: string) => Buffer.from(gid, 'base64').toString().split(':')[1]!;
    const refused = await createEntries(c, formId, [{ parts: [raw(foreign!.id)] }]).catch((e) => e);
    expect(String(refused)).toContain('NOT_FOUND');
    const linked = rows[0]!.values.parts as string[];
    // linked ids are the global ids of the entries
    const del = await c.data<any, any>(`mutation($id: ID!) { deleteEntry(id: $id) { __typename } }`, { id: linked[0] });
    expect(del.deleteEntry.__typename).toBe('MutationDeleteEntrySuccess');
    const after = await c.data<any, any>(`query($id: ID!) { node(id: $id) { ... on Entry { values } } }`, { id: rows[0]!.id });
    expect(after.node.values.parts).toEqual([linked[1]]);
    expect(after.node.values.nparts).toBe(1);
    expect(after.node.values.total).toBe(10);
  });
});
