/**
 * CRM pages: a tree per workspace (parent + weight among siblings), each page a list of typed
 * blocks. Every change to the tree runs in one transaction holding the workspace's page-tree
 * lock, so two concurrent moves can never build a cycle together and weights stay consistent.
 */
import type { Db, Tx } from '../../db/prisma.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { assertNoIssues, failedDependency, notFound, type FieldIssue } from '../../errors.js';
import { blockReferences, parseBlocks, storedBlocks, type Block } from './blocks.js';

export type PageQuery = { include?: Prisma.PageInclude; select?: Prisma.PageSelect };

export const DELETE_STRATEGIES = ['ABORT', 'CASCADE', 'REBASE'] as const;
export type DeleteStrategy = (typeof DELETE_STRATEGIES)[number];

export interface PageInput {
  title?: string | null;
  description?: string | null;
  visible?: boolean | null;
  blocks?: unknown[] | null;
  /** undefined = unchanged (update) or top level (create); null = top level */
  parentId?: string | null;
  /** a record page of this module; undefined = unchanged, null = not a record page */
  moduleId?: string | null;
  /** position among the siblings; absent = after the last sibling */
  weight?: number | null;
}

const MAX_DEPTH = 50;

/** Serialises page-tree changes of one workspace (a transaction-scoped advisory lock). */
async function lockTree(tx: Tx, workspaceId: string) {
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtextextended(${`crm.pages:${workspaceId}`}, 0))`;
}

function textIssues(input: PageInput, creating: boolean): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (creating || input.title != null) {
    const t = input.title?.trim() ?? '';
    if (!t) issues.push({ path: ['title'], code: 'REQUIRED', message: 'Title is required' });
    else if (t.length > 200) issues.push({ path: ['title'], code: 'TOO_LONG', message: 'Title has at most 200 characters' });
  }
  if (input.description != null && input.description.length > 2000)
    issues.push({ path: ['description'], code: 'TOO_LONG', message: 'Description has at most 2000 characters' });
  if (input.weight != null && (input.weight < 0 || input.weight > 1_000_000))
    issues.push({ path: ['weight'], code: 'OUT_OF_RANGE', message: 'Weight is between 0 and 1000000' });
  return issues;
}

/**
 * What the blocks and the page's module reference must exist in the workspace and fit: the
 * module is a CRM module, charts exist, record lists name a module, its view and its fields, and
 * record detail blocks sit on a record page and name fields of its module. One statement per kind.
 */
async function referenceIssues(tx: Tx, workspaceId: string, blocks: Block[], moduleId: string | null): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  const { charts, modules } = blockReferences(blocks);
  const moduleIds = [...new Set([...modules.keys(), ...(moduleId ? [moduleId] : [])])];
  const found = moduleIds.length
    ? await tx.collection.findMany({ where: { id: { in: moduleIds }, workspaceId, kind: 'MODULE' }, select: { id: true, fields: { select: { key: true } } } })
    : [];
  const fieldsOf = new Map(found.map((m) => [m.id, new Set(m.fields.map((f) => f.key))]));
  if (moduleId && !fieldsOf.has(moduleId)) issues.push({ path: ['module'], code: 'NOT_FOUND', message: 'Module not found' });
  const chartIds = [...charts.keys()];
  const foundCharts = chartIds.length
    ? new Set((await tx.chart.findMany({ where: { id: { in: chartIds }, workspaceId }, select: { id: true } })).map((c) => c.id))
    : new Set<string>();
  const viewIds = blocks.flatMap((b) => (b.type === 'RECORD_LIST' && b.props.viewId ? [b.props.viewId] : []));
  const views = viewIds.length
    ? new Map(
        (await tx.view.findMany({ where: { id: { in: viewIds }, workspaceId }, select: { id: true, collectionId: true } })).map((v) => [v.id, v.collectionId]),
      )
    : new Map<string, string>();
  const unknownKeys = (keys: string[], moduleFields: Set<string> | undefined, at: string[]) =>
    keys.forEach((k, j) => {
      if (moduleFields && !moduleFields.has(k))
        issues.push({ path: [...at, 'fields', String(j)], code: 'UNKNOWN_FIELD', message: `The module has no field "${k}"` });
    });
  blocks.forEach((b, i) => {
    const at = ['blocks', String(i)];
    if (b.type === 'CHART' && !foundCharts.has(b.props.chartId))
      issues.push({ path: [...at, 'chart', 'chart'], code: 'NOT_FOUND', message: 'Chart not found' });
    if (b.type === 'RECORD_LIST') {
      const fields = fieldsOf.get(b.props.moduleId);
      if (!fields) issues.push({ path: [...at, 'recordList', 'module'], code: 'NOT_FOUND', message: 'Module not found' });
      if (b.props.viewId && views.get(b.props.viewId) !== b.props.moduleId)
        issues.push({ path: [...at, 'recordList', 'view'], code: 'NOT_FOUND', message: 'The module has no such view' });
      unknownKeys(b.props.fields, fields, [...at, 'recordList']);
    }
    if (b.type === 'RECORD_DETAIL') {
      if (!moduleId)
        issues.push({ path: [...at, 'recordDetail'], code: 'NOT_A_RECORD_PAGE', message: 'A record detail block needs a record page (a page with a module)' });
      else unknownKeys(b.props.fields, fieldsOf.get(moduleId), [...at, 'recordDetail']);
    }
  });
  return issues;
}

/** Ancestors of a page, itself first; empty when it is not a page of the workspace. */
async function ancestorsOf(tx: Tx, workspaceId: string, id: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    with recursive up(id, "parentId", depth) as (
      select id, "parentId", 0 from "Page" where id = ${id}::uuid and "workspaceId" = ${workspaceId}::uuid
      union all
      select p.id, p."parentId", up.depth + 1 from "Page" p join up on p.id = up."parentId" where up.depth < ${MAX_DEPTH}
    )
    select id::text as id from up order by depth`;
  return rows.map((r) => r.id);
}

/** A page and all its descendants, the page first. */
async function subtreeOf(tx: Tx, workspaceId: string, id: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    with recursive down(id, depth) as (
      select id, 0 from "Page" where id = ${id}::uuid and "workspaceId" = ${workspaceId}::uuid
      union all
      select p.id, down.depth + 1 from "Page" p join down on p."parentId" = down.id where down.depth < ${MAX_DEPTH}
    )
    select id::text as id from down order by depth`;
  return rows.map((r) => r.id);
}

async function nextWeight(tx: Tx, workspaceId: string, parentId: string | null) {
  const last = await tx.page.aggregate({ where: { workspaceId, parentId }, _max: { weight: true } });
  return last._max.weight === null ? 0 : last._max.weight + 1;
}

/** Checks the parent exists and, when moving `pageId`, that it is not the page or below it. */
async function parentIssues(tx: Tx, workspaceId: string, parentId: string, pageId: string | null): Promise<FieldIssue[]> {
  const chain = await ancestorsOf(tx, workspaceId, parentId);
  if (chain.length === 0) return [{ path: ['parent'], code: 'NOT_FOUND', message: 'Parent page not found' }];
  if (pageId && chain.includes(pageId))
    return [
      {
        path: ['parent'],
        code: 'CYCLE',
        message: parentId === pageId ? 'A page cannot be its own parent' : 'A page cannot move below one of its own descendants',
      },
    ];
  if (chain.length >= MAX_DEPTH) return [{ path: ['parent'], code: 'TOO_DEEP', message: `Pages nest at most ${MAX_DEPTH} levels deep` }];
  return [];
}

export async function createPage(db: Db, workspaceId: string, input: PageInput, query: PageQuery = {}) {
  const issues = textIssues(input, true);
  const parsed = parseBlocks(input.blocks ?? []);
  issues.push(...parsed.issues);
  assertNoIssues(issues);
  return db.$transaction(async (tx) => {
    await lockTree(tx, workspaceId);
    const parentId = input.parentId ?? null;
    const moduleId = input.moduleId ?? null;
    const issues = [
      ...(parentId ? await parentIssues(tx, workspaceId, parentId, null) : []),
      ...(await referenceIssues(tx, workspaceId, parsed.blocks, moduleId)),
    ];
    assertNoIssues(issues);
    return tx.page.create({
      ...query,
      data: {
        workspaceId,
        parentId,
        moduleId,
        title: input.title!.trim(),
        description: input.description?.trim() ?? '',
        visible: input.visible ?? true,
        blocks: parsed.blocks as Prisma.InputJsonValue,
        weight: input.weight ?? (await nextWeight(tx, workspaceId, parentId)),
      },
    });
  });
}

export async function updatePage(db: Db, workspaceId: string, id: string, input: PageInput, query: PageQuery = {}) {
  const issues = textIssues(input, false);
  const parsed = input.blocks != null ? parseBlocks(input.blocks) : null;
  issues.push(...(parsed?.issues ?? []));
  assertNoIssues(issues);
  return db.$transaction(async (tx) => {
    await lockTree(tx, workspaceId);
    const page = await tx.page.findFirst({ where: { id, workspaceId } });
    if (!page) throw notFound('Page');
    const moving = input.parentId !== undefined && input.parentId !== page.parentId;
    const moduleId = input.moduleId === undefined ? page.moduleId : input.moduleId;
    const issues: FieldIssue[] = [];
    if (moving && input.parentId) issues.push(...(await parentIssues(tx, workspaceId, input.parentId, id)));
    // blocks are re-checked when they change or when the page stops or starts being a record page
    if (parsed || moduleId !== page.moduleId) issues.push(...(await referenceIssues(tx, workspaceId, parsed?.blocks ?? storedBlocks(page.blocks), moduleId)));
    assertNoIssues(issues);
    const parentId = moving ? (input.parentId ?? null) : page.parentId;
    return tx.page.update({
      ...query,
      where: { id },
      data: {
        title: input.title?.trim() ?? undefined,
        description: input.description != null ? input.description.trim() : undefined,
        visible: input.visible ?? undefined,
        blocks: parsed ? (parsed.blocks as Prisma.InputJsonValue) : undefined,
        moduleId,
        parentId,
        weight: input.weight ?? (moving ? await nextWeight(tx, workspaceId, parentId) : undefined),
      },
    });
  });
}

/** Sets the order of a parent's children: `pageIds` must be exactly those children, each once. */
export async function reorderPages(db: Db, workspaceId: string, parentId: string | null, pageIds: string[]) {
  return db.$transaction(async (tx) => {
    await lockTree(tx, workspaceId);
    if (parentId && !(await tx.page.findFirst({ where: { id: parentId, workspaceId }, select: { id: true } }))) throw notFound('Parent page');
    const children = await tx.page.findMany({ where: { workspaceId, parentId }, select: { id: true } });
    const expected = new Set(children.map((c) => c.id));
    const issues: FieldIssue[] = [];
    const seen = new Set<string>();
    pageIds.forEach((pid, i) => {
      if (seen.has(pid)) issues.push({ path: ['pageIds', String(i)], code: 'DUPLICATE', message: 'This page is listed twice' });
      else if (!expected.has(pid)) issues.push({ path: ['pageIds', String(i)], code: 'NOT_A_CHILD', message: 'This page is not a child of the parent' });
      seen.add(pid);
    });
    const missing = [...expected].filter((c) => !seen.has(c)).length;
    if (missing > 0)
      issues.push({ path: ['pageIds'], code: 'INCOMPLETE', message: `${missing} of the parent's ${expected.size} children are missing from the list` });
    assertNoIssues(issues, 'The list must hold each child of the parent exactly once');
    await setWeights(tx, workspaceId, pageIds);
    return pageIds;
  });
}

/** Weights 0..n-1 in the given order, in one statement. */
async function setWeights(tx: Tx, workspaceId: string, ids: string[], parentId?: string | null) {
  if (ids.length === 0) return;
  if (parentId === undefined) {
    await tx.$executeRaw`
      update "Page" p set weight = x.ord - 1, "updatedAt" = now()
      from unnest(${ids}::uuid[]) with ordinality as x(id, ord)
      where p.id = x.id and p."workspaceId" = ${workspaceId}::uuid`;
  } else {
    await tx.$executeRaw`
      update "Page" p set weight = x.ord - 1, "parentId" = ${parentId}::uuid, "updatedAt" = now()
      from unnest(${ids}::uuid[]) with ordinality as x(id, ord)
      where p.id = x.id and p."workspaceId" = ${workspaceId}::uuid`;
  }
}

/**
 * Deletes a page. ABORT refuses when it has children; CASCADE deletes its whole subtree; REBASE
 * moves its children up to its parent, in its place among the new siblings. Returns the ids deleted.
 */
export async function deletePage(db: Db, workspaceId: string, id: string, strategy: DeleteStrategy = 'ABORT'): Promise<string[]> {
  return db.$transaction(async (tx) => {
    await lockTree(tx, workspaceId);
    const page = await tx.page.findFirst({ where: { id, workspaceId }, select: { id: true, parentId: true } });
    if (!page) throw notFound('Page');
    const children = await tx.page.findMany({
      where: { workspaceId, parentId: id },
      orderBy: [{ weight: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true },
    });
    let deleted = [id];
    if (children.length > 0) {
      if (strategy === 'ABORT')
        throw failedDependency(`The page has ${children.length} child page(s); delete them first or choose the CASCADE or REBASE strategy`);
      if (strategy === 'CASCADE') deleted = await subtreeOf(tx, workspaceId, id);
      if (strategy === 'REBASE') {
        const siblings = await tx.page.findMany({
          where: { workspaceId, parentId: page.parentId },
          orderBy: [{ weight: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
          select: { id: true },
        });
        const order = siblings.flatMap((s) => (s.id === id ? children.map((c) => c.id) : [s.id]));
        await setWeights(tx, workspaceId, order, page.parentId);
      }
    }
    await tx.page.deleteMany({ where: { workspaceId, id: { in: deleted } } });
    return deleted;
  });
}

/** Siblings in their order; ties (equal weights set by clients) break by age, then id. */
export const pageOrder: Prisma.PageOrderByWithRelationInput[] = [{ weight: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }];
