import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { createEntries, createForm } from '../forms/helpers.js';
import { createResponse, onboard } from '../feedback/helpers.js';

/** The one paging contract (docs/api-conventions.md), as a client sees it on three kinds of list. */

let t: TestServer;
let tenant: Tenant;
let c: GraphQLClient;
let formId: string;

const PAGE = 'totalCount nodes { id } edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
interface Page {
  totalCount: number;
  nodes: { id: string }[];
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const ENTRIES = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $offset: Int, $orderBy: [RecordOrder!]) {
  form(id: $id) { entries(first: $first, after: $after, last: $last, before: $before, offset: $offset, orderBy: $orderBy) { ${PAGE} } } }`;
const RESPONSES = `query($first: Int, $after: String, $last: Int, $before: String, $offset: Int, $orderBy: [ResponseOrder!]) {
  responses(first: $first, after: $after, last: $last, before: $before, offset: $offset, orderBy: $orderBy) { ${PAGE} } }`;
const PROJECTS = `query($first: Int, $after: String, $last: Int, $before: String, $offset: Int) {
  projects(first: $first, after: $after, last: $last, before: $before, offset: $offset) { ${PAGE} } }`;
const FORMS = `query($first: Int, $after: String, $offset: Int) { forms(first: $first, after: $after, offset: $offset) { ${PAGE} } }`;

type Args = Record<string, unknown>;
/** Each list as a function of its paging arguments, and the ids it holds in its order. */
const lists: Record<
  string,
  {
    page: (args: Args) => Promise<Page>;
    errors: (args: Args) => Promise<{ code?: string; issues?: { path: string[]; code: string }[] }[]>;
    defaultSize: number;
    maxSize: number;
    count: number;
  }
> = {};

const ids = (p: Page) => p.edges.map((e) => e.node.id);

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTenant(t.server.db);
  c = t.client.as(tenant.key);
  await onboard(c);

  formId = (await createForm(c, { name: 'Paging contract', fields: [{ key: 'n', label: 'N', type: 'NUMBER' }] })).id;
  await createEntries(
    c,
    formId,
    Array.from({ length: 60 }, (_, i) => ({ n: i % 7 })),
  );
  for (let i = 0; i < 30; i++)
    await createResponse(c, { feedback: `response ${i}`, feedbackDate: new Date(Date.UTC(2025, 0, 1 + i)).toISOString(), score: i % 11, metricType: 'NPS' });
  await t.server.db.project.createMany({ data: Array.from({ length: 30 }, (_, i) => ({ workspaceId: tenant.workspaceId, name: `Project ${i}` })) });

  const errorsOf = (doc: string, pick: (args: Args) => Args) => async (args: Args) => (await c.errors(doc, pick(args))).map((e) => e.extensions ?? {});
  lists.entries = {
    page: async (args) => (await c.data<any, any>(ENTRIES, { id: formId, ...args })).form.entries,
    errors: errorsOf(ENTRIES, (args) => ({ id: formId, ...args })),
    defaultSize: 50,
    maxSize: 500,
    count: 60,
  };
  lists.responses = {
    page: async (args) => (await c.data<any, any>(RESPONSES, args)).responses,
    errors: errorsOf(RESPONSES, (a) => a),
    defaultSize: 25,
    maxSize: 100,
    count: 30,
  };
  lists.projects = {
    page: async (args) => (await c.data<any, any>(PROJECTS, args)).projects,
    errors: errorsOf(PROJECTS, (a) => a),
    defaultSize: 25,
    maxSize: 100,
    count: 30,
  };
});
afterAll(() => t?.stop());

describe.each(['entries', 'responses', 'projects'])('%s follow the one paging contract', (name) => {
  const list = () => lists[name]!;

  it('pages by the product default, states totalCount and gives nodes beside edges', async () => {
    const page = await list().page({});
    expect(page.edges).toHaveLength(list().defaultSize);
    expect(page.totalCount).toBe(list().count);
    expect(page.nodes.map((n) => n.id)).toEqual(ids(page));
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('answers BAD_USER_INPUT above the maximum instead of cutting the page, and serves the maximum itself', async () => {
    for (const args of [{ first: list().maxSize + 1 }, { last: list().maxSize + 1 }]) {
      const [error] = await list().errors(args);
      expect(error?.code).toBe('BAD_USER_INPUT');
      expect(error?.issues).toEqual([expect.objectContaining({ path: [Object.keys(args)[0]], code: 'OUT_OF_RANGE' })]);
    }
    expect(ids(await list().page({ first: list().maxSize }))).toHaveLength(list().count);
  });

  it('jumps to page N with offset, matching the cursor walk', async () => {
    const all = ids(await list().page({ first: list().maxSize }));
    const size = 7;
    const walked: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page = await list().page({ first: size, after });
      walked.push(...ids(page));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(walked).toEqual(all);
    const third = await list().page({ first: size, offset: 2 * size });
    expect(ids(third)).toEqual(all.slice(2 * size, 3 * size));
    expect(third.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    // a cursor from a page reached by offset continues from there
    expect(ids(await list().page({ first: size, after: third.pageInfo.endCursor }))).toEqual(all.slice(3 * size, 4 * size));
    const last = await list().page({ first: size, offset: all.length - 3 });
    expect(ids(last)).toEqual(all.slice(-3));
    expect(last.pageInfo.hasNextPage).toBe(false);
  });

  it('pages backward with last/before to the same order', async () => {
    const all = ids(await list().page({ first: list().maxSize }));
    const walked: string[] = [];
    let before: string | null = null;
    for (;;) {
      const page: Page = await list().page({ last: 8, before });
      walked.unshift(...ids(page));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(walked).toEqual(all);
  });

  it('refuses offset with a cursor, and names every conflicting argument', async () => {
    const first = await list().page({ first: 2 });
    const [error] = await list().errors({ first: 2, after: first.pageInfo.endCursor, offset: 4 });
    expect(error?.code).toBe('BAD_USER_INPUT');
    expect(error?.issues).toEqual([expect.objectContaining({ path: ['offset'], code: 'CONFLICTING_ARGUMENTS' })]);
    expect((await list().errors({ first: 2, offset: -1 }))[0]?.issues).toEqual([expect.objectContaining({ path: ['offset'], code: 'OUT_OF_RANGE' })]);
  });

  it('answers INVALID_CURSOR for a string that is no cursor', async () => {
    const [error] = await list().errors({ first: 2, after: 'bm90IGEgY3Vyc29y' });
    expect(error?.issues).toEqual([expect.objectContaining({ path: ['after'], code: 'INVALID_CURSOR' })]);
  });
});

describe('a cursor belongs to its list, order and filter', () => {
  it('is refused with CURSOR_MISMATCH in another order, and on another list', async () => {
    const entries = await lists.entries!.page({ first: 2 });
    const sorted = await lists.entries!.errors({ first: 2, after: entries.pageInfo.endCursor, orderBy: [{ field: 'n', direction: 'ASC' }] });
    expect(sorted[0]?.issues).toEqual([expect.objectContaining({ path: ['after'], code: 'CURSOR_MISMATCH' })]);

    const responses = await lists.responses!.page({ first: 2 });
    const resorted = await lists.responses!.errors({ first: 2, after: responses.pageInfo.endCursor, orderBy: [{ field: 'FEEDBACK_DATE', direction: 'ASC' }] });
    expect(resorted[0]?.issues).toEqual([expect.objectContaining({ path: ['after'], code: 'CURSOR_MISMATCH' })]);

    const projects = await lists.projects!.page({ first: 2 });
    const elsewhere = await c.errors(FORMS, { first: 2, after: projects.pageInfo.endCursor });
    expect(elsewhere[0]?.extensions?.issues).toEqual([expect.objectContaining({ path: ['after'], code: 'CURSOR_MISMATCH' })]);
  });
});

describe('lists inside objects', () => {
  it('refuse a page size above their maximum too', async () => {
    const r = await c.request(`{ viewer { workspace { members(first: 101) { totalCount } } } }`);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [expect.objectContaining({ path: ['first'], code: 'OUT_OF_RANGE' })] });
    const ok = await c.data<any, any>(`{ viewer { workspace { members(first: 100) { totalCount nodes { role } } } } }`);
    expect(ok.viewer.workspace.members.nodes).toHaveLength(ok.viewer.workspace.members.totalCount);
  });
});
