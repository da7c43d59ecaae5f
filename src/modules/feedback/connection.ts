import type { GraphQLResolveInfo } from 'graphql';
import { queryFromInfo } from '@pothos/plugin-prisma';
import { buildPage, type KeyRow, type KeysetPage } from './paging.js';

/**
 * Turns a page of ids chosen in SQL into connection edges: the nodes are loaded with one Prisma
 * query that selects what the client asked for under `edges.node` (so relations load in one go).
 */
export async function loadEdges<T extends { id: string }>(
  ctx: object,
  info: GraphQLResolveInfo,
  typeName: string,
  page: { rows: KeyRow[]; page: Pick<KeysetPage, 'request' | 'binding' | 'keyCount'> },
  find: (query: object, ids: string[]) => Promise<T[]>,
) {
  const ids = page.rows.slice(0, page.page.request.size).map((r) => r.id);
  const query = queryFromInfo({ context: ctx, info, typeName, paths: [['edges', 'node'], ['nodes']] });
  const nodes = ids.length ? await find(query, ids) : [];
  return buildPage(page.rows, new Map(nodes.map((n) => [n.id, n])), page.page);
}
