import type { GraphQLResolveInfo } from 'graphql';
import { queryFromInfo } from '@pothos/plugin-prisma';
import { buildPage, type KeyRow } from './paging.js';

/**
 * Turns a page of ids chosen in SQL into connection edges: the nodes are loaded with one Prisma
 * query that selects what the client asked for under `edges.node` (so relations load in one go).
 */
export async function loadEdges<T extends { id: string }>(
  ctx: object,
  info: GraphQLResolveInfo,
  typeName: string,
  page: { rows: KeyRow[]; limit: number; binding: string; keyCount: number },
  hasPrevious: boolean,
  find: (query: object, ids: string[]) => Promise<T[]>,
) {
  const ids = page.rows.slice(0, page.limit).map((r) => r.id);
  const query = queryFromInfo({ context: ctx, info, typeName, path: ['edges', 'node'] });
  const nodes = ids.length ? await find(query, ids) : [];
  return buildPage(page.rows, nodes, page.limit, page.binding, page.keyCount, hasPrevious);
}
