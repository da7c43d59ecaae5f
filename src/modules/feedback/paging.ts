import { Prisma } from '../../generated/prisma/client.js';
import type { Db } from '../../db/prisma.js';
import {
  FEEDBACK_PAGE,
  cursorBinding,
  type PageRules,
  decodeCursor,
  encodeCursor,
  invalidCursor,
  pageRequest,
  slicePage,
  type PageArgs,
  type PageRequest,
} from '../../core/paging/index.js';

/** One column of a keyset sort. `sql` must never be NULL (coalesce it). */
export interface SortKey {
  sql: Prisma.Sql;
  dir: 'ASC' | 'DESC';
  type: 'timestamp' | 'text' | 'int' | 'bigint' | 'float' | 'uuid';
}

const cast = (v: string, type: SortKey['type']) => {
  switch (type) {
    case 'timestamp':
      return Prisma.sql`CAST(${v} AS timestamp(3))`;
    case 'int':
      return Prisma.sql`CAST(${v} AS int)`;
    case 'bigint':
      return Prisma.sql`CAST(${v} AS bigint)`;
    case 'float':
      return Prisma.sql`CAST(${v} AS float8)`;
    case 'uuid':
      return Prisma.sql`CAST(${v} AS uuid)`;
    case 'text':
      return Prisma.sql`CAST(${v} AS text)`;
  }
};

/** Rows strictly after `values` in the order of `keys`. Same-direction keys use a row comparison (index friendly). */
export function keysetAfter(keys: SortKey[], values: string[]): Prisma.Sql {
  if (keys.every((k) => k.dir === keys[0]!.dir)) {
    const op = Prisma.raw(keys[0]!.dir === 'ASC' ? '>' : '<');
    return Prisma.sql`(${Prisma.join(keys.map((k) => k.sql))}) ${op} (${Prisma.join(keys.map((k, i) => cast(values[i]!, k.type)))})`;
  }
  const ors = keys.map((k, i) => {
    const eq = keys.slice(0, i).map((p, j) => Prisma.sql`${p.sql} = ${cast(values[j]!, p.type)}`);
    const cmp = Prisma.sql`${k.sql} ${Prisma.raw(k.dir === 'ASC' ? '>' : '<')} ${cast(values[i]!, k.type)}`;
    return Prisma.sql`(${Prisma.join([...eq, cmp], ' AND ')})`;
  });
  return Prisma.sql`(${Prisma.join(ors, ' OR ')})`;
}

export const orderBySql = (keys: SortKey[]) => Prisma.join(keys.map((k) => Prisma.sql`${k.sql} ${Prisma.raw(k.dir)}`));

/** `k0, k1, ...` as text, to build the next cursor exactly (timestamps keep their milliseconds). */
export const selectKeysSql = (keys: SortKey[]) => Prisma.join(keys.map((k, i) => Prisma.sql`CAST(${k.sql} AS text) AS ${Prisma.raw(`"k${i}"`)}`));

export interface KeyRow {
  id: string;
  [k: `k${number}`]: string;
}

export const reversed = (keys: SortKey[]): SortKey[] => keys.map((k) => ({ ...k, dir: k.dir === 'ASC' ? 'DESC' : 'ASC' }));

/** A feedback list's page in SQL: the keyset condition, order and LIMIT/OFFSET of one request. */
export interface KeysetPage {
  request: PageRequest;
  binding: string;
  keyCount: number;
  /** `true` or the rows past the cursor */
  after: Prisma.Sql;
  orderBy: Prisma.Sql;
  /** LIMIT size + 1 (one more tells whether a page follows) and the OFFSET */
  limit: Prisma.Sql;
}

/** Paging arguments over `keys` (by default the feedback lists' rules); `binding` names what the order depends on. */
export function keysetPage(keys: SortKey[], binding: string, args: PageArgs, rules: PageRules = FEEDBACK_PAGE): KeysetPage {
  const request = pageRequest(args, rules);
  const bind = cursorBinding(binding);
  const effective = request.backward ? reversed(keys) : keys;
  const values = request.cursor ? decodeCursor(request.cursor, bind, keys.length, request.cursorArg) : null;
  if (values?.some((v) => v === null)) throw invalidCursor(request.cursorArg);
  return {
    request,
    binding: bind,
    keyCount: keys.length,
    after: values ? keysetAfter(effective, values as string[]) : Prisma.sql`true`,
    orderBy: orderBySql(effective),
    limit: Prisma.sql`LIMIT ${request.size + 1} OFFSET ${request.offset}`,
  };
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** Orders the nodes (fetched by id, keyed by it) like `rows` and builds the edges; a row whose node is gone is left out. */
export function buildPage<T>(rows: KeyRow[], nodes: ReadonlyMap<string, T>, page: Pick<KeysetPage, 'request' | 'binding' | 'keyCount'>): Page<T> {
  const slice = slicePage(rows, page.request);
  const edges = slice.rows
    .filter((r) => nodes.has(r.id))
    .map((r) => ({
      cursor: encodeCursor(
        page.binding,
        Array.from({ length: page.keyCount }, (_, i) => r[`k${i}`]!),
      ),
      node: nodes.get(r.id)!,
    }));
  return {
    edges,
    pageInfo: {
      hasNextPage: slice.hasNextPage,
      hasPreviousPage: slice.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/**
 * A page and one-row facts about its list (the onboarding gate, totals) in one statement. The
 * facts are the left side of a lateral join, so an empty page still answers them; a one-row
 * outer side joins in a nested loop, which keeps the page in its own order. `facts` are named
 * columns that must not clash with the page's; without facts the page runs alone.
 */
export async function pageWithFacts<F extends object, R extends { id: string }>(
  db: Db,
  facts: Prisma.Sql[],
  page: Prisma.Sql,
): Promise<{ facts: F; rows: R[] }> {
  if (facts.length === 0) return { facts: {} as F, rows: await db.$queryRaw<R[]>(page) };
  const rows = await db.$queryRaw<Array<F & { id: string | null }>>`
    SELECT * FROM (SELECT ${Prisma.join(facts)}) f LEFT JOIN LATERAL (${page}) p ON true`;
  return { facts: rows[0]!, rows: rows.filter((r) => r.id !== null) as unknown as R[] };
}
