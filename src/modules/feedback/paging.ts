import { Prisma } from '../../generated/prisma/client.js';
import { invalidField } from '../../errors.js';

/** One column of a keyset sort. `sql` must never be NULL (coalesce it). */
export interface SortKey {
  sql: Prisma.Sql;
  dir: 'ASC' | 'DESC';
  type: 'timestamp' | 'text' | 'int' | 'float' | 'uuid';
}

export const PAGE_SIZE = { min: 1, max: 100, default: 20 } as const;

/** The page size (`first`): 1..100, default 20. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return PAGE_SIZE.default;
  if (!Number.isInteger(first) || first < PAGE_SIZE.min || first > PAGE_SIZE.max)
    throw invalidField(['first'], 'OUT_OF_RANGE', `first must be between ${PAGE_SIZE.min} and ${PAGE_SIZE.max}`);
  return first;
}

/**
 * Cursors are opaque base64url JSON: the sort they were made for (`binding`, which includes
 * anything the order depends on, e.g. the search term for RELEVANCE) and the row's sort values.
 * A cursor presented with another sort is refused: its values would mean nothing there.
 */
export function encodeCursor(binding: string, values: string[]): string {
  return Buffer.from(JSON.stringify({ b: binding, v: values })).toString('base64url');
}

export function decodeCursor(cursor: string, binding: string, n: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const p = parsed as { b?: unknown; v?: unknown } | null;
  if (!p || typeof p.b !== 'string' || !Array.isArray(p.v)) throw invalidField(['after'], 'INVALID_CURSOR', 'after is not a cursor of this list');
  if (p.b !== binding)
    throw invalidField(['after'], 'CURSOR_SORT_MISMATCH', 'after was made for another sort order or search; page again from the start');
  if (p.v.length !== n || !p.v.every((x) => typeof x === 'string')) throw invalidField(['after'], 'INVALID_CURSOR', 'after is not a cursor of this list');
  return p.v as string[];
}

const cast = (v: string, type: SortKey['type']) => {
  switch (type) {
    case 'timestamp':
      return Prisma.sql`CAST(${v} AS timestamp(3))`;
    case 'int':
      return Prisma.sql`CAST(${v} AS int)`;
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

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** Orders `nodes` (fetched by id) like `rows` and builds the edges. */
export function buildPage<T extends { id: string }>(rows: KeyRow[], nodes: T[], limit: number, binding: string, keyCount: number, hasPrevious: boolean): Page<T> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const pageRows = rows.slice(0, limit);
  const edges = pageRows
    .filter((r) => byId.has(r.id))
    .map((r) => ({ cursor: encodeCursor(binding, Array.from({ length: keyCount }, (_, i) => r[`k${i}`]!)), node: byId.get(r.id)! }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > limit, hasPreviousPage: hasPrevious, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
