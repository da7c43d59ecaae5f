/**
 * Every mutation and every root query, each string, ID, JSON, DateTime, filter and list argument
 * (and input field) fed the hostile values of HOSTILE over real HTTP: no answer may be INTERNAL or
 * a 5xx, and an answer that is an error (top-level or a UserError) must leave every table as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { buildSchema } from '../../../src/schema.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import { MAX_LIST_LENGTH } from '../../../src/graphql/input-guard.js';

const schema = buildSchema();
const FAKE_UUID = '00000000-0000-4000-8000-000000000000';

type Kind = 'string' | 'id' | 'json' | 'datetime' | 'filter' | 'list' | 'file';

const nested = (levels: number, leaf: unknown): unknown => {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
};
const deepFilter = (levels: number): unknown => {
  let f: unknown = { field: 'title', operator: 'EQ', value: 'x' };
  for (let i = 0; i < levels; i++) f = { and: [f] };
  return f;
};

/** The hostile values, by the kind of argument they are fed to. */
const HOSTILE: Record<Kind, Array<[string, unknown]>> = {
  string: [
    ['NUL', 'x\u0000y'],
    ['lone high surrogate', 'a\ud800'],
    ['emoji, CJK and RTL override', '😀 報告 \u202e'],
    ['LIKE and quote characters', `%_\\'"; select 1 --`],
    ['100,000 characters', 'x'.repeat(100_000)],
    ['empty', ''],
  ],
  // ids are decoded before any resolver runs: the values that could get past decoding
  id: [
    ['NUL', 'x\u0000y'],
    ['empty', ''],
  ],
  json: [
    ['NUL in a value', { title: 'x\u0000' }],
    ['NUL in a key, lone surrogate in a value', { 'k\u0000': ['\ud800'] }],
    ['nested 40 levels', nested(40, 1)],
    ['nested 300 levels', nested(300, 1)],
    [`${MAX_LIST_LENGTH + 1} elements`, Array.from({ length: MAX_LIST_LENGTH + 1 }, () => 0)],
  ],
  datetime: [
    ['year 0000', '0000-01-01T00:00:00Z'],
    ['year 294277', '294277-01-01T00:00:00Z'],
    ['not a date', 'tomorrow'],
  ],
  filter: [
    ['nested 200 levels', deepFilter(200)],
    ['NUL value', { field: 'title', operator: 'EQ', value: '\u0000' }],
    ['NUL field', { field: 'ti\u0000tle', operator: 'EQ', value: 'x' }],
  ],
  list: [],
  file: [
    ['NUL in the name', 'a\u0000b.csv'],
    ['lone surrogate in the name', '\ud800.csv'],
    ['CJK and emoji name', '報告 😀.csv'],
  ],
};

/**
 * Minimal valid arguments per mutation, over the world built in beforeAll (`w`: global ids by
 * type). Arguments not given are generated from their types; ids of objects not in the world are
 * ids of nothing (those mutations answer NOT_FOUND). Every mutation must have an entry: a new one
 * fails the walk below until it is added here.
 */
type World = Record<string, string>;
type Fixture = (w: World) => Record<string, unknown>;
const none: Fixture = () => ({});
const fieldInput = { key: 'extra', label: 'Extra', type: 'TEXT' };
const task = { kind: 'log', parameters: { message: 'hi' } };
const chartConfig = { kind: 'BAR', x: { field: 'title' }, count: 'title' };
const MUTATIONS: Record<string, Fixture> = {
  createApiKey: () => ({ name: 'k', scopes: ['READ'] }),
  revokeApiKey: none,
  removeMember: none,
  createOAuthClient: () => ({ name: 'c', scopes: ['READ'] }),
  signUp: () => ({ email: `someone${Date.now()}@example.com`, name: 'S', password: 'a long passphrase', workspaceName: 'W' }),
  createWorkflow: () => ({ input: { name: 'wf', tasks: [task] } }),
  updateWorkflow: (w) => ({ id: w.Workflow, input: { name: 'wf2' } }),
  deleteWorkflow: none,
  createJob: (w) => ({ input: { workflow: w.Workflow } }),
  cancelJob: none,
  updateJob: (w) => ({ id: w.Job, input: {} }),
  createTag: () => ({ input: { name: 'manual', mode: 'MANUAL' } }),
  updateTag: (w) => ({ id: w.Tag, input: { displayName: 'Manual' } }),
  deleteTag: none,
  updateOnboarding: () => ({ input: { category: 'GENERAL', onboarded: true } }),
  createProject: () => ({ name: 'P1' }),
  renameProject: (w) => ({ id: w.Project, name: 'P2' }),
  deleteProject: none,
  createSurvey: () => ({ input: { name: 'S', type: 'LINK' } }),
  updateSurvey: (w) => ({ id: w.Survey, input: { name: 'S2' } }),
  changeSurveyStatus: (w) => ({ id: w.Survey, status: 'IN_PROGRESS' }),
  deleteSurvey: none,
  createResponse: () => ({ input: { feedback: 'hello' } }),
  submitResponse: (w) => ({ input: { surveyId: w.Survey, answers: [] } }),
  deleteResponse: none,
  addResponseTags: (w) => ({ responseId: w.Response, tagIds: [w.Tag] }),
  removeResponseTags: (w) => ({ responseId: w.Response, tagIds: [w.Tag] }),
  createImport: () => ({ file: 'feedback,feedback_date\nhello,2024-01-01\n', dryRun: true }),
  updateImport: none,
  deleteImport: none,
  createExport: () => ({ type: 'RESPONSES' }),
  uploadFile: () => ({ file: 'hello' }),
  createField: (w) => ({ form: w.Form, input: fieldInput }),
  updateField: (w) => ({ id: w.Field, input: { label: 'Title' } }),
  reorderFields: (w) => ({ form: w.Form, fieldIds: [w.Field] }),
  removeField: none,
  createView: (w) => ({ form: w.Form, input: { name: 'v' } }),
  updateView: (w) => ({ id: w.View, input: { name: 'v2' } }),
  deleteView: none,
  createEntry: (w) => ({ form: w.Form, values: { title: 'a' } }),
  createEntries: (w) => ({ form: w.Form, values: [{ title: 'a' }] }),
  updateEntry: (w) => ({ id: w.Entry, values: { title: 'b' } }),
  patchEntry: (w) => ({ id: w.Entry, values: { title: 'c' } }),
  archiveEntry: none,
  unarchiveEntry: none,
  deleteEntry: none,
  createForm: () => ({ input: { name: 'F', fields: [{ key: 'title', label: 'Title', type: 'TEXT' }] } }),
  updateForm: (w) => ({ id: w.Form, input: { name: 'F2' } }),
  deleteForm: none,
  createModuleField: (w) => ({ module: w.Module, input: fieldInput }),
  updateModuleField: none,
  reorderModuleFields: none,
  removeModuleField: none,
  createModuleView: (w) => ({ module: w.Module, input: { name: 'v' } }),
  updateModuleView: none,
  deleteModuleView: none,
  createModuleRecord: (w) => ({ module: w.Module, values: { title: 'a' } }),
  createModuleRecords: (w) => ({ module: w.Module, values: [{ title: 'a' }] }),
  updateModuleRecord: (w) => ({ id: w.ModuleRecord, values: { title: 'b' } }),
  patchModuleRecord: (w) => ({ id: w.ModuleRecord, values: { title: 'c' } }),
  deleteModuleRecord: none,
  createModule: () => ({ input: { name: 'M', handle: `m${Date.now() % 100000}`, fields: [{ key: 'title', label: 'Title', type: 'TEXT' }] } }),
  updateModule: (w) => ({ id: w.Module, input: { name: 'M2' } }),
  deleteModule: () => ({ force: false }),
  createChart: (w) => ({ input: { name: 'C', module: w.Module, configuration: chartConfig } }),
  updateChart: (w) => ({ id: w.Chart, input: { name: 'C2' } }),
  deleteChart: none,
  createPage: () => ({ input: { title: 'Home' } }),
  updatePage: (w) => ({ id: w.Page, input: { title: 'Home 2' } }),
  reorderPages: (w) => ({ pageIds: [w.Page] }),
  deletePage: () => ({ strategy: 'CASCADE' }),
};

/** Objects created first, in order, to give the fixtures real ids: [mutation, type of its data]. */
const WORLD: Array<[string, string]> = [
  ['updateOnboarding', ''],
  ['createForm', 'Form'],
  ['createField', 'Field'],
  ['createEntry', 'Entry'],
  ['createView', 'View'],
  ['createModule', 'Module'],
  ['createModuleRecord', 'ModuleRecord'],
  ['createProject', 'Project'],
  ['createTag', 'Tag'],
  ['createResponse', 'Response'],
  ['createSurvey', 'Survey'],
  ['createWorkflow', 'Workflow'],
  ['createJob', 'Job'],
  ['createPage', 'Page'],
  ['createChart', 'Chart'],
];

interface RelayIdExtensions {
  isRelayGlobalID?: boolean;
  relayGlobalIDFor?: { typename: string }[] | null;
}

/** A value of the type that its scalar accepts (ids: the world's object of that type, else an id of nothing). */
function generate(type: GraphQLInputType, ext: RelayIdExtensions, w: World): unknown {
  const t = getNullableType(type) as GraphQLInputType;
  if (isListType(t)) return [generate(t.ofType, ext, w)];
  if (isEnumType(t)) return t.getValues()[0]!.value === undefined ? t.getValues()[0]!.name : t.getValues()[0]!.name;
  if (isInputObjectType(t)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(t.getFields()))
      if (isNonNullType(f.type) && f.defaultValue === undefined) out[f.name] = generate(f.type, f.extensions as RelayIdExtensions, w);
    return out;
  }
  if (ext.isRelayGlobalID || t.name === 'ID') {
    const typename = ext.relayGlobalIDFor?.[0]?.typename ?? 'Workspace';
    return w[typename] ?? encodeGlobalID(typename, FAKE_UUID);
  }
  switch (t.name) {
    case 'String':
      return 'x';
    case 'Int':
      return 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    case 'DateTime':
      return '2030-01-01T00:00:00Z';
    case 'JSON':
      return {};
    case 'Decimal':
      return '1.00';
    case 'Upload':
      return 'content';
    default:
      return 'x';
  }
}

interface Slot {
  path: string[];
  kind: Kind;
  /** the element of a list, to repeat for the huge-list case */
  element?: GraphQLInputType;
  elementExt?: RelayIdExtensions;
}

/** Every place a hostile value can go: leaves of string-like scalars, JSON, DateTime, filters, lists. */
function slotsOf(args: readonly (GraphQLArgument | GraphQLInputField)[], prefix: string[] = [], depth = 0): Slot[] {
  const slots: Slot[] = [];
  for (const a of args) {
    const path = [...prefix, a.name];
    const t = getNullableType(a.type) as GraphQLInputType;
    const named = getNamedType(t);
    if (isListType(t)) slots.push({ path, kind: 'list', element: t.ofType, elementExt: a.extensions as RelayIdExtensions });
    if (named.name === 'RecordFilter') slots.push({ path, kind: 'filter' });
    else if (isInputObjectType(named)) {
      if (depth < 3 && !isListType(t)) slots.push(...slotsOf(Object.values(named.getFields()), path, depth + 1));
    } else if (named.name === 'JSON') slots.push({ path, kind: 'json' });
    else if (named.name === 'DateTime') slots.push({ path, kind: 'datetime' });
    else if (named.name === 'Upload') slots.push({ path, kind: 'file' });
    else if (named.name === 'ID' || (a.extensions as RelayIdExtensions).isRelayGlobalID) slots.push({ path, kind: 'id' });
    else if (named.name === 'String') slots.push({ path, kind: 'string' });
  }
  return slots;
}

/** `base` with `value` at `path`, generating the required fields of objects on the way. */
function withValue(field: GraphQLField<unknown, unknown>, base: Record<string, unknown>, path: string[], value: unknown, w: World) {
  const out = structuredClone(base);
  let target: Record<string, unknown> = out;
  let fields: Record<string, GraphQLArgument | GraphQLInputField> = Object.fromEntries(field.args.map((a) => [a.name, a]));
  for (const [i, key] of path.entries()) {
    const def = fields[key]!;
    if (i === path.length - 1) {
      target[key] = isListType(getNullableType(def.type)) && !Array.isArray(value) && getNamedType(def.type).name !== 'JSON' ? [value] : value;
      break;
    }
    if (typeof target[key] !== 'object' || target[key] === null) target[key] = generate(def.type, def.extensions as RelayIdExtensions, w);
    target = target[key] as Record<string, unknown>;
    fields = (getNamedType(def.type) as unknown as { getFields(): Record<string, GraphQLInputField> }).getFields();
  }
  return out;
}

function selectionOf(field: GraphQLField<unknown, unknown>): string {
  const named = getNamedType(field.type);
  if (isScalarType(named) || isEnumType(named)) return '';
  if (!isUnionType(named)) return '{ __typename }';
  const success = named.getTypes().find((t) => t.name !== 'UserError') as GraphQLObjectType | undefined;
  const data = success?.getFields().data;
  const dataType = data && getNamedType(data.type);
  const id = dataType && isObjectType(dataType) && dataType.getFields().id ? ' data { id }' : '';
  return `{ __typename ... on UserError { code issues { path } } ${success ? `... on ${success.name} { __typename${id} }` : ''} }`;
}

function operationOf(keyword: 'mutation' | 'query', field: GraphQLField<unknown, unknown>, variables: Record<string, unknown>) {
  const used = field.args.filter((a) => variables[a.name] !== undefined);
  const defs = used.length ? `(${used.map((a) => `$${a.name}: ${String(a.type)}`).join(', ')})` : '';
  const args = used.length ? `(${used.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
  return `${keyword}${defs} { ${field.name}${args} ${selectionOf(field)} }`;
}

let t: TestServer;
let tenant: Tenant;
const world: World = {};

/** Upload arguments go as file parts (multipart request spec): the value is the content, or for the `file` kind the name. */
async function send(field: GraphQLField<unknown, unknown>, keyword: 'mutation' | 'query', variables: Record<string, unknown>, fileName = 'upload.csv') {
  const query = operationOf(keyword, field, variables);
  const uploads = field.args.filter((a) => getNamedType(a.type).name === 'Upload' && variables[a.name] !== undefined);
  const headers: Record<string, string> = { authorization: `Bearer ${tenant.key}`, accept: 'application/graphql-response+json, application/json' };
  let body: string | FormData;
  if (uploads.length) {
    const form = new FormData();
    const vars = { ...variables };
    for (const u of uploads) vars[u.name] = null;
    form.set('operations', JSON.stringify({ query, variables: vars }));
    form.set('map', JSON.stringify(Object.fromEntries(uploads.map((u, i) => [String(i), [`variables.${u.name}`]]))));
    uploads.forEach((u, i) => form.set(String(i), new File([String(variables[u.name])], fileName, { type: 'text/csv' })));
    body = form;
  } else {
    headers['content-type'] = 'application/json';
    body = JSON.stringify({ query, variables });
  }
  const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers, body });
  const text = await res.text();
  return {
    query,
    status: res.status,
    text,
    json: JSON.parse(text) as { data?: Record<string, any> | null; errors?: Array<{ extensions?: { code?: string } }> },
  };
}

/** Row count and content hash of every table: any write shows. */
let snapshotSql = '';
async function snapshot(): Promise<string> {
  const rows = await t.server.db.$queryRawUnsafe<Array<{ s: string }>>(snapshotSql);
  return rows[0]!.s;
}

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTenant(t.server.db);
  const tables = await t.server.db.$queryRawUnsafe<Array<{ name: string }>>(
    `select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like '\\_prisma%' order by 1`,
  );
  // ApiKey.lastUsedAt moves on every authenticated request: counted, not hashed
  snapshotSql = `select concat_ws(',', ${tables
    .map(({ name }) =>
      name === 'ApiKey'
        ? `(select count(*)::text from "ApiKey")`
        : `(select count(*)::text || ':' || coalesce(sum(hashtext(x::text)::bigint), 0)::text from "${name}" x)`,
    )
    .join(', ')}) as s`;
  const mutations = schema.getMutationType()!.getFields();
  for (const [name, type] of WORLD) {
    const field = mutations[name]!;
    const r = await send(field, 'mutation', baseOf(field, MUTATIONS[name]!(world)));
    const result = r.json.data?.[name];
    expect(String(result?.__typename), `${name}: ${r.text.slice(0, 500)}`).toMatch(/Success$/);
    if (type) world[type] = result.data.id;
  }
  // a module field and view for the module mutations (their ids are Field and View too)
}, 120_000);
afterAll(() => t?.stop());

function baseOf(field: GraphQLField<unknown, unknown>, given: Record<string, unknown>) {
  const out: Record<string, unknown> = { ...given };
  for (const a of field.args)
    if (out[a.name] === undefined && isNonNullType(a.type) && a.defaultValue === undefined)
      out[a.name] = generate(a.type, a.extensions as RelayIdExtensions, world);
  return out;
}

interface Case {
  label: string;
  field: GraphQLField<unknown, unknown>;
  keyword: 'mutation' | 'query';
  variables: () => Record<string, unknown>;
  fileName?: string;
}

function casesOf(keyword: 'mutation' | 'query', field: GraphQLField<unknown, unknown>, fixture: Fixture): Case[] {
  const cases: Case[] = [];
  for (const slot of slotsOf(field.args)) {
    const at = slot.path.join('.');
    if (slot.kind === 'list') {
      cases.push({
        label: `${at} = ${MAX_LIST_LENGTH + 1} elements`,
        field,
        keyword,
        variables: () => {
          const element = generate(slot.element!, slot.elementExt ?? {}, world);
          return withValue(
            field,
            baseOf(field, fixture(world)),
            slot.path,
            Array.from({ length: MAX_LIST_LENGTH + 1 }, () => element),
            world,
          );
        },
      });
      continue;
    }
    for (const [name, value] of HOSTILE[slot.kind]) {
      if (slot.kind === 'file')
        cases.push({ label: `${at} named with ${name}`, field, keyword, variables: () => baseOf(field, fixture(world)), fileName: value as string });
      else cases.push({ label: `${at} = ${name}`, field, keyword, variables: () => withValue(field, baseOf(field, fixture(world)), slot.path, value, world) });
    }
  }
  return cases;
}

const mutationFields = Object.values(schema.getMutationType()!.getFields());
const queryFields = Object.values(schema.getQueryType()!.getFields()).filter((f) => f.args.length > 0);

describe('the fixture map', () => {
  it('has an entry for every mutation, and only for mutations', () => {
    expect(
      mutationFields.map((f) => f.name).filter((n) => !MUTATIONS[n]),
      'add these mutations to MUTATIONS',
    ).toEqual([]);
    expect(Object.keys(MUTATIONS).filter((n) => !mutationFields.some((f) => f.name === n))).toEqual([]);
  });
});

const cases = [...mutationFields.flatMap((f) => casesOf('mutation', f, MUTATIONS[f.name] ?? none)), ...queryFields.flatMap((f) => casesOf('query', f, none))];

describe('hostile values never answer INTERNAL or 5xx, and a refusal writes nothing', () => {
  it('covers every mutation with an argument and every kind of hostile value', () => {
    expect(new Set(cases.map((c) => c.field.name)).size).toBeGreaterThan(60);
    expect(cases.length).toBeGreaterThan(500);
  });

  // the tables as the previous case left them: one snapshot per case
  let before: string | null = null;
  it.each(cases.map((c) => [`${c.keyword} ${c.field.name}: ${c.label}`, c] as const))('%s', async (_name, c) => {
    before ??= await snapshot();
    const r = await send(c.field, c.keyword, c.variables(), c.fileName);
    const detail = `${r.query}\n-> ${r.status} ${r.text.slice(0, 600)}`;
    expect(r.status, detail).toBeLessThan(500);
    expect(r.text, detail).not.toMatch(/"INTERNAL"/);
    const result = r.json.data?.[c.field.name] as { __typename?: string } | null | undefined;
    const refused = (r.json.errors?.length ?? 0) > 0 || result?.__typename === 'UserError';
    const after = await snapshot();
    const expected = before;
    before = after;
    if (refused) expect(after, `refused but wrote: ${detail}`).toBe(expected);
    // issue paths start at an argument of the field: a client can point at what it sent
    const issues = [
      ...(r.json.errors ?? []).flatMap((e) => (e.extensions as { issues?: Array<{ path: string[] }> } | undefined)?.issues ?? []),
      ...((result as { issues?: Array<{ path: string[] }> } | null)?.issues ?? []),
    ];
    const names = c.field.args.map((a) => a.name);
    for (const issue of issues) expect(names, `issue path ${JSON.stringify(issue.path)}: ${detail}`).toContain(issue.path[0]);
  });
});
