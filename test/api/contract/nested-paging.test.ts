import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, memberOf, type Tenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { onboard } from '../feedback/helpers.js';

/**
 * Lists inside objects (Job.logs, Workflow.jobs, Import.responses, Workspace.members) follow the
 * same paging contract as root lists, and load in batch: a parent list selecting them costs the
 * same statements for 2 parents as for 10.
 */

let t: TestServer;
let tenant: Tenant;
let c: GraphQLClient;

const PAGE = 'totalCount nodes { id } edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
const ARGS = '$first: Int, $after: String, $last: Int, $before: String, $offset: Int';
const PASS = 'first: $first, after: $after, last: $last, before: $before, offset: $offset';
interface Page {
  totalCount: number;
  nodes: { id: string }[];
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}
type Args = Record<string, unknown>;
interface NestedList {
  /** the list of one parent, as a function of its paging arguments */
  page: (parent: string, args: Args) => Promise<Page>;
  errors: (parent: string, args: Args) => Promise<{ code?: string; issues?: { path: string[]; code: string }[] }[]>;
  /** a parent with more items than a default page, and another parent with items */
  parents: [string, string];
  defaultSize: number;
  maxSize: number;
  count: number;
}
const lists: Record<string, NestedList> = {};
const ids = (p: Page) => p.edges.map((e) => e.node.id);

/** A nested list reached through a root lookup (`job(id:) { logs(...) }`). */
function nested(root: string, field: string, node = 'id'): Pick<NestedList, 'page' | 'errors'> {
  const doc = `query($id: ID!, ${ARGS}) { ${root}(id: $id) { ${field}(${PASS}) { ${PAGE.replace('node { id }', `node { ${node} }`).replace('nodes { id }', `nodes { ${node} }`)} } } }`;
  return {
    page: async (id, args) => (await c.data<any, any>(doc, { id, ...args }))[root][field],
    errors: async (id, args) => (await c.errors(doc, { id, ...args })).map((e) => e.extensions ?? {}),
  };
}

let created = 0;
async function createWorkflows(count: number, jobsEach: number, logsEach: number) {
  const workflows: string[] = [];
  for (let w = 0; w < count; w++) {
    const workflow = await t.server.db.workflow.create({ data: { workspaceId: tenant.workspaceId, name: `Workflow ${++created}`, tasks: [] } });
    workflows.push(workflow.id);
    for (let j = 0; j < jobsEach; j++) {
      const job = await t.server.db.job.create({
        // jobs of one workflow share createdAt in pairs: the id breaks the tie
        data: {
          workspaceId: tenant.workspaceId,
          kind: 'WORKFLOW',
          workflowId: workflow.id,
          status: 'OK',
          createdAt: new Date(Date.UTC(2025, 0, 1 + Math.floor(j / 2))),
        },
      });
      await t.server.db.jobLog.createMany({
        data: Array.from({ length: logsEach }, (_, i) => ({ jobId: job.id, level: 'INFO' as const, message: `line ${i}` })),
      });
    }
  }
  return workflows;
}

async function createImports(count: number, responsesEach: number) {
  const imports: string[] = [];
  for (let i = 0; i < count; i++) {
    const imp = await t.server.db.import.create({
      data: {
        workspaceId: tenant.workspaceId,
        name: `Import ${i}`,
        status: 'COMPLETED',
        fileName: `import-${i}.csv`,
        byteSize: 1,
        columns: [],
        totalRows: responsesEach,
        validRows: responsesEach,
        invalidRows: 0,
        uploadId: crypto.randomUUID(),
      },
    });
    imports.push(imp.id);
    await t.server.db.response.createMany({
      data: Array.from({ length: responsesEach }, (_, r) => ({
        workspaceId: tenant.workspaceId,
        importId: imp.id,
        feedback: `row ${r}`,
        feedbackDate: new Date(),
      })),
    });
  }
  return imports;
}

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTenant(t.server.db);
  c = t.client.as(tenant.key);
  await onboard(c);

  // one workflow with 25 jobs (the first of them with 45 log lines), one with 3 jobs of 3 lines
  const [big, small] = await createWorkflows(1, 25, 0).then(async (first) => [...first, ...(await createWorkflows(1, 3, 3))]);
  const bigJobs = await t.server.db.job.findMany({ where: { workflowId: big! }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  await t.server.db.jobLog.createMany({
    data: Array.from({ length: 45 }, (_, i) => ({ jobId: bigJobs[0]!.id, level: 'INFO' as const, message: `line ${i}` })),
  });
  const smallJob = (await t.server.db.job.findFirstOrThrow({ where: { workflowId: small! } })).id;
  const [bigImport, smallImport] = [...(await createImports(1, 30)), ...(await createImports(1, 2))];
  for (let i = 0; i < 22; i++) await memberOf(t.server.db, tenant.workspaceId, 'VIEWER');

  const gid = (type: string, id: string) => encodeGlobalID(type, id);
  lists['Job.logs'] = {
    ...nested('job', 'logs', 'sequence'),
    parents: [gid('Job', bigJobs[0]!.id), gid('Job', smallJob)],
    defaultSize: 20,
    maxSize: 100,
    count: 45,
  };
  // logs have no id: the test reads their sequence as theirs
  const logs = lists['Job.logs'];
  const asIds = (p: Page): Page => ({
    ...p,
    nodes: p.nodes.map((n) => ({ id: (n as unknown as { sequence: string }).sequence })),
    edges: p.edges.map((e) => ({ ...e, node: { id: (e.node as unknown as { sequence: string }).sequence } })),
  });
  const pageOfLogs = logs.page;
  logs.page = async (parent, args) => asIds(await pageOfLogs(parent, args));
  lists['Workflow.jobs'] = {
    ...nested('workflow', 'jobs'),
    parents: [gid('Workflow', big!), gid('Workflow', small!)],
    defaultSize: 20,
    maxSize: 100,
    count: 25,
  };
  lists['Import.responses'] = {
    ...nested('import', 'responses'),
    parents: [gid('Import', bigImport!), gid('Import', smallImport!)],
    defaultSize: 25,
    maxSize: 100,
    count: 30,
  };
  // members are reached through node(id:) on the workspace; another workspace is not visible, so both parents are this one
  const membersDoc = `query($id: ID!, ${ARGS}) { node(id: $id) { ... on Workspace { members(${PASS}) {
    totalCount nodes { user { id } } edges { cursor node { user { id } } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } } }`;
  const byUser = (p: any): Page => ({
    ...p,
    nodes: p.nodes.map((n: any) => ({ id: n.user.id })),
    edges: p.edges.map((e: any) => ({ cursor: e.cursor, node: { id: e.node.user.id } })),
  });
  const workspace = gid('Workspace', tenant.workspaceId);
  lists['Workspace.members'] = {
    page: async (id, args) => byUser((await c.data<any, any>(membersDoc, { id, ...args })).node.members),
    errors: async (id, args) => (await c.errors(membersDoc, { id, ...args })).map((e) => e.extensions ?? {}),
    parents: [workspace, workspace],
    defaultSize: 20,
    maxSize: 100,
    count: 22,
  };
});
afterAll(() => t?.stop());

describe.each(['Job.logs', 'Workflow.jobs', 'Import.responses', 'Workspace.members'])('%s follows the one paging contract', (name) => {
  const list = () => lists[name]!;
  const page = (args: Args) => list().page(list().parents[0], args);
  const errors = (args: Args) => list().errors(list().parents[0], args);

  it('pages by its default, states totalCount and gives nodes beside edges', async () => {
    const first = await page({});
    expect(first.edges).toHaveLength(list().defaultSize);
    expect(first.totalCount).toBe(list().count);
    expect(first.nodes.map((n) => n.id)).toEqual(ids(first));
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('answers BAD_USER_INPUT above the maximum, and serves the maximum itself', async () => {
    for (const args of [{ first: list().maxSize + 1 }, { last: list().maxSize + 1 }]) {
      const [error] = await errors(args);
      expect(error?.code).toBe('BAD_USER_INPUT');
      expect(error?.issues).toEqual([expect.objectContaining({ path: [Object.keys(args)[0]], code: 'OUT_OF_RANGE' })]);
    }
    expect(ids(await page({ first: list().maxSize }))).toHaveLength(list().count);
  });

  it('walks forward with cursors, jumps with offset, and walks backward to the same order', async () => {
    const all = ids(await page({ first: list().maxSize }));
    expect(new Set(all).size).toBe(list().count);
    const walked: string[] = [];
    let after: string | null = null;
    for (;;) {
      const p: Page = await page({ first: 7, after });
      walked.push(...ids(p));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(walked).toEqual(all);

    const third = await page({ first: 7, offset: 14 });
    expect(ids(third)).toEqual(all.slice(14, 21));
    expect(third.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(ids(await page({ first: 7, after: third.pageInfo.endCursor }))).toEqual(all.slice(21, 28));

    const backward: string[] = [];
    let before: string | null = null;
    for (;;) {
      const p: Page = await page({ last: 8, before });
      backward.unshift(...ids(p));
      if (!p.pageInfo.hasPreviousPage) break;
      before = p.pageInfo.startCursor;
    }
    expect(backward).toEqual(all);
  });

  it('refuses offset with a cursor, a string that is no cursor, and a cursor of another list', async () => {
    const first = await page({ first: 2 });
    expect((await errors({ first: 2, after: first.pageInfo.endCursor, offset: 4 }))[0]?.issues).toEqual([
      expect.objectContaining({ path: ['offset'], code: 'CONFLICTING_ARGUMENTS' }),
    ]);
    expect((await errors({ first: 2, after: 'bm90IGEgY3Vyc29y' }))[0]?.issues).toEqual([expect.objectContaining({ path: ['after'], code: 'INVALID_CURSOR' })]);
    const [parent, otherParent] = list().parents;
    if (parent === otherParent) return;
    const mismatch = await list().errors(otherParent, { first: 2, after: first.pageInfo.endCursor });
    expect(mismatch[0]?.issues).toEqual([expect.objectContaining({ path: ['after'], code: 'CURSOR_MISMATCH' })]);
  });
});

describe('nested lists load in batch', () => {
  const WORKFLOWS = `query($first: Int) { workflows(first: $first) { nodes { id jobs(first: 2) { totalCount nodes { id logs(first: 2) { totalCount nodes { message } } } } } } }`;
  const IMPORTS = `query($first: Int) { imports(first: $first) { nodes { id responses(first: 2) { totalCount metrics { responseCount } nodes { id feedback } } } } }`;

  it('runs as many statements for 2 parents as for 10', async () => {
    await createWorkflows(10, 3, 3);
    await createImports(10, 3);
    for (const doc of [WORKFLOWS, IMPORTS]) {
      const two = await c.request(doc, { first: 2 });
      const ten = await c.request(doc, { first: 10 });
      expect(two.errors).toBeUndefined();
      expect(ten.errors).toBeUndefined();
      const root = Object.keys(ten.data as object)[0]!;
      const parents = (
        ten.data as Record<string, { nodes: { jobs?: { nodes: unknown[] }; responses?: { nodes: unknown[]; metrics: { responseCount: number } } }[] }>
      )[root]!.nodes;
      expect(parents).toHaveLength(10);
      for (const p of parents) expect((p.jobs ?? p.responses)!.nodes).toHaveLength(2);
      for (const p of parents) if (p.responses) expect(p.responses.metrics.responseCount).toBe(3);
      expect(ten.statements).toBe(two.statements);
    }
  });
});
