import { builder } from './builder.js';
import { describePaging, type PageRules } from '../core/paging/index.js';

/** `offset`, which every list takes besides `first/after` and `last/before`. */
export const offsetArg = builder.args((t) => ({
  offset: t.int({
    required: false,
    description: 'Items to skip from the start, to jump to a page (page N of size S: offset (N-1)*S, with `first: S`). Not with after, before or last.',
  }),
}));

/** The four cursor arguments and `offset`, for lists whose connection field is not paged by Pothos. */
export const pagingArgs = builder.args((t) => ({
  first: t.int({ required: false, description: 'Page size, paging forward from the start or from `after`' }),
  after: t.string({ required: false, description: '`endCursor` of the previous page; only valid with the same filter, search and order' }),
  last: t.int({ required: false, description: 'Page size, paging backward from the end or from `before`' }),
  before: t.string({ required: false, description: '`startCursor` of the next page; only valid with the same filter, search and order' }),
  ...offsetArg,
}));

/** A list field's description with its paging rules. */
export const pagedDescription = (description: string, rules: PageRules) => `${description} ${describePaging(rules)}`;

/** Pothos-paged lists (prismaConnection): skip `offset` rows more. */
export const withOffset = <Q extends { skip?: number }>(query: Q, args: { offset?: number | null }): Q => ({
  ...query,
  skip: (query.skip ?? 0) + (args.offset ?? 0),
});

/**
 * Options for a root list Pothos pages itself (prismaConnection): its sizes,
 * and the marker by which the contract plugin validates its arguments and describes its rules.
 */
export const pothosPaging = (rules: PageRules) => ({ defaultSize: rules.defaultSize, maxSize: rules.maxSize, extensions: { paging: rules } });
