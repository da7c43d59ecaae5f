import type { PageRequest } from './request.js';

export interface PageSlice<T> {
  /** the page's rows, in the list's order */
  rows: T[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/**
 * Cuts the rows a list fetched for `request` (up to size + 1, in fetch order: reversed when
 * paging backward) into the page and tells whether pages follow on either side.
 */
export function slicePage<T>(fetched: T[], request: PageRequest): PageSlice<T> {
  const more = fetched.length > request.size;
  const rows = fetched.slice(0, request.size);
  if (request.backward) {
    rows.reverse();
    return { rows, hasNextPage: request.cursor !== null, hasPreviousPage: more };
  }
  return { rows, hasNextPage: more, hasPreviousPage: request.cursor !== null || request.offset > 0 };
}
