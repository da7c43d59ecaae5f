/**
 * Pothos hands resolvers an empty `{ select: {} }` when a client selects only `__typename` (or
 * nothing of the object's columns); Prisma refuses an empty select. Select the id instead.
 */
export function nonEmpty<Q extends { select?: object; include?: object }>(query: Q): Q {
  if (query.select && Object.keys(query.select).length === 0) return { ...query, select: { id: true } };
  return query;
}
