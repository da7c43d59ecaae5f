import { AsyncLocalStorage } from 'node:async_hooks';

/** What one HTTP request or WebSocket operation carries through its async calls. */
export interface RequestScope {
  requestId: string;
  statements: number;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

/**
 * Counts SQL statements per request: Prisma's query event (and the raw pool of the records
 * engine) call this. Tests read the figure from the `x-sql-statements` response header.
 */
export function countStatement() {
  const scope = requestScope.getStore();
  if (scope) scope.statements += 1;
}
