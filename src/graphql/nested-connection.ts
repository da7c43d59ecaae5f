import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import { queryFromInfo } from '@pothos/plugin-prisma';
import type { Prisma } from '../generated/prisma/client.js';
import type { GraphQLContext } from '../context.js';
import type { PageArgs, PageRules } from '../core/paging/index.js';
import { buildPage, keysetPage, selectKeysSql, type KeyRow, type KeysetPage, type SortKey } from '../modules/feedback/paging.js';

/**
 * A list nested in an object (`Job.logs`, `Workflow.jobs`, ...), paged by the one engine like the
 * root lists, and loaded for every parent of a request at once: one SQL statement for the pages of
 * all parents, one for their nodes, one for their counts when `totalCount` is asked.
 */
export interface NestedList<Node> {
  /** `Type.field`: part of every cursor's binding, with the parent's id */
  name: string;
  rules: PageRules;
  /** the node's GraphQL type, whose selection under `edges.node` and `nodes` is loaded */
  typeName: string;
  /** the child table, aliased `t`: Prisma.sql`"JobLog" t` */
  table: Prisma.Sql;
  /** the child's uuid column naming its parent: Prisma.sql`t."jobId"` */
  parent: Prisma.Sql;
  /** the list's order; the last key is unique */
  keys: SortKey[];
  /** the child's primary key */
  id: Prisma.Sql;
  /** the nodes with these ids (as text), selecting `query` */
  find: (ctx: GraphQLContext, query: object, ids: string[]) => Promise<Node[]>;
  /** a node's id as text, as `id` reads in SQL */
  idOf: (node: Node) => string;
}

export interface NestedPage<Node> {
  edges: { cursor: string; node: Node }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: () => Promise<number>;
}

type ParentRow = KeyRow & { parent: string };
interface PageKey {
  parentId: string;
  page: KeysetPage;
}

/** The resolver of a nested list: validates the arguments (BAD_USER_INPUT, cursors bound to this parent's list), then loads in batch. */
export function nestedConnection<Node>(list: NestedList<Node>) {
  return async (parentId: string, args: PageArgs, ctx: GraphQLContext, info: GraphQLResolveInfo): Promise<NestedPage<Node>> => {
    const page = keysetPage(list.keys, `${list.name}:${parentId}`, args, list.rules);
    const { rows, nodes } = await pageLoader(list, ctx, info, args).load({ parentId, page });
    return {
      ...buildPage(rows, nodes, page),
      totalCount: () => countLoader(list, ctx).load(parentId),
    };
  };
}

/** One loader per list, place in the query (aliases apart) and arguments: the parents it batches share one selection and one page request. */
function pageLoader<Node>(list: NestedList<Node>, ctx: GraphQLContext, info: GraphQLResolveInfo, args: PageArgs) {
  const key = `nested:${list.name}:${fieldPlace(info.path)}:${JSON.stringify(args)}`;
  return ctx.loaders.get(
    key,
    () =>
      new DataLoader<PageKey, { rows: ParentRow[]; nodes: Map<string, Node> }, string>(
        async (keys) => {
          const { page } = keys[0]!;
          const parentIds = keys.map((k) => k.parentId);
          const rows: ParentRow[] = await ctx.db.$queryRaw`SELECT CAST(p.parent AS text) AS parent, c.*
          FROM unnest(CAST(${parentIds} AS uuid[])) AS p(parent)
          CROSS JOIN LATERAL (
            SELECT CAST(${list.id} AS text) AS id, ${selectKeysSql(list.keys)} FROM ${list.table}
            WHERE ${list.parent} = p.parent AND ${page.after}
            ORDER BY ${page.orderBy} ${page.limit}
          ) c`;
          const byParent = new Map<string, ParentRow[]>();
          for (const row of rows) byParent.set(row.parent, [...(byParent.get(row.parent) ?? []), row]);
          // the row past each page only tells that more follow: its node is not loaded
          const ids = [...byParent.values()].flatMap((own) => own.slice(0, page.request.size).map((r) => r.id));
          const query = queryFromInfo({ context: ctx, info, typeName: list.typeName, paths: [['edges', 'node'], ['nodes']] });
          const found = ids.length ? await list.find(ctx, query, ids) : [];
          const nodes = new Map(found.map((n) => [list.idOf(n), n]));
          return keys.map((k) => ({ rows: byParent.get(k.parentId) ?? [], nodes }));
        },
        { cacheKeyFn: (k) => k.parentId },
      ),
  );
}

function countLoader<Node>(list: NestedList<Node>, ctx: GraphQLContext) {
  const key = `nested-count:${list.name}`;
  return ctx.loaders.get(
    key,
    () =>
      new DataLoader<string, number>(async (parentIds) => {
        const rows: { parent: string; n: number }[] = await ctx.db.$queryRaw`SELECT CAST(${list.parent} AS text) AS parent, CAST(count(*) AS int) AS n
        FROM ${list.table} WHERE ${list.parent} = ANY(CAST(${parentIds} AS uuid[])) GROUP BY 1`;
        const counts = new Map(rows.map((r) => [r.parent, r.n]));
        return parentIds.map((id) => counts.get(id) ?? 0);
      }),
  );
}

/** `jobs.edges.node.logs` for every item of a list: the response keys (aliases) of the path, without list indexes. */
function fieldPlace(path: GraphQLResolveInfo['path'] | undefined): string {
  const keys: string[] = [];
  for (let p = path; p; p = p.prev) if (typeof p.key === 'string') keys.unshift(p.key);
  return keys.join('.');
}
