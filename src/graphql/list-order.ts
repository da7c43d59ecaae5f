import { builder } from './builder.js';
import { SortDirectionEnum } from './enums.js';
import { badInput, type FieldIssue } from '../errors.js';
import { movedArgument } from './renamed-argument.js';

export type SortDirection = 'ASC' | 'DESC';
export interface ListOrder<F extends string> {
  field: F;
  direction: SortDirection;
}

/**
 * The `<Type>Order` input of a list, in the shape every list's `orderBy` takes (docs/api-conventions.md):
 * `{ field: <Type>OrderField!, direction: SortDirection! }`.
 */
export function orderInput<F extends string>(type: string, fields: Record<F, { description: string }>) {
  const fieldEnum = builder.enumType(`${type}OrderField`, { description: `What a ${type} list can be ordered by`, values: fields });
  return builder.inputType(`${type}Order`, {
    description: `One order term of a ${type} list`,
    fields: (t) => ({
      field: t.field({ type: fieldEnum }),
      direction: t.field({ type: SortDirectionEnum }),
    }),
  });
}

/**
 * The one order term of a list that takes `orderBy` and still its deprecated `sortBy` enum (mapped
 * to a term by `fromSortBy`); null for the list's default. Both given, or more than one term, is
 * BAD_USER_INPUT.
 */
export function listOrder<F extends string, S extends string>(
  args: { orderBy?: readonly ListOrder<F>[] | null; sortBy?: S | null },
  fromSortBy: Record<S, ListOrder<F>>,
): ListOrder<F> | null {
  const issues: FieldIssue[] = [];
  const terms = args.orderBy?.length ? args.orderBy : null;
  if (terms && terms.length > 1) issues.push({ path: ['orderBy'], code: 'TOO_MANY', message: 'This list takes one order term' });
  const sortBy = args.sortBy ?? null;
  const order = movedArgument({ path: ['orderBy'], value: terms?.[0] }, { path: ['sortBy'], value: sortBy === null ? null : fromSortBy[sortBy] }, issues);
  if (issues.length) throw badInput(issues.map((i) => i.message).join('; '), issues);
  return order;
}
