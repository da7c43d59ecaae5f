/**
 * Record rows as GraphQL faces receive them. Rows the engine read carry computed values
 * (AUTO_NUMBER, COUNT, ROLLUP); rows Prisma read (node lookups, relations) do not, so their
 * values are re-read through the engine, batched per collection and request.
 */
import type { GraphQLContext } from '../../context.js';
import { loadSchema, readRecords, runnerFor, type Json, type RecordRow, type RecordScope } from '../../core/records/index.js';
import { inKeyOrder, loaderFor } from '../../loaders.js';

const engineRows = new WeakSet<object>();

/** Marks rows as read by the engine (their values are complete). */
export const markEngineRows = <T extends RecordRow>(rows: T[]): T[] => {
  for (const r of rows) engineRows.add(r);
  return rows;
};

export async function recordValues(
  ctx: GraphQLContext,
  scope: RecordScope,
  row: { id: string; collectionId: string; values: unknown },
): Promise<Record<string, Json>> {
  if (engineRows.has(row)) return row.values as Record<string, Json>;
  const loader = loaderFor(
    ctx,
    `records:values:${scope.kind}`,
    async (ids) => inKeyOrder(ids, await readRecords(runnerFor(ctx), await loadSchema(ctx, row.collectionId, scope), [...ids])),
    { group: row.collectionId },
  );
  return (await loader.load(row.id))?.values ?? (row.values as Record<string, Json>);
}

const visible = new WeakMap<object, Set<string>>();

/** Limits `values`/`fieldValues` of rows a view returned to the view's visible fields (none: all). */
export function limitFields<T extends object>(rows: T[], keys: string[]): T[] {
  if (keys.length) for (const r of rows) visible.set(r, new Set(keys));
  return rows;
}

/** The keys a row may show, or null for all. */
export const visibleKeys = (row: object): Set<string> | null => visible.get(row) ?? null;
