/**
 * Record rows as GraphQL faces receive them. Rows the engine read carry computed values
 * (AUTO_NUMBER, COUNT, ROLLUP); rows Prisma read (node lookups, relations) do not, so their
 * values are re-read through the engine, batched per collection and request.
 */
import type { GraphQLContext } from '../../context.js';
import { loadSchema, readRecords, runnerFor, type Json, type RecordRow, type RecordScope } from '../../core/records/index.js';
import { loaderFor } from './loaders.js';

const engineRows = new WeakSet<object>();

/** Marks rows as read by the engine (their values are complete). */
export const markEngineRows = <T extends RecordRow>(rows: T[]): T[] => {
  for (const r of rows) engineRows.add(r);
  return rows;
};

export async function recordValues(ctx: GraphQLContext, scope: RecordScope, row: { id: string; collectionId: string; values: unknown }): Promise<Record<string, Json>> {
  if (engineRows.has(row)) return row.values as Record<string, Json>;
  const loader = loaderFor<RecordRow>(ctx, `records:values:${scope.kind}:${row.collectionId}`, async (ids) => {
    const schema = await loadSchema(ctx, row.collectionId, scope);
    const rows = await readRecords(runnerFor(ctx), schema, [...ids]);
    return ids.map((id) => rows.find((r) => r.id === id) ?? null);
  });
  return (await loader.load(row.id))?.values ?? (row.values as Record<string, Json>);
}
