import { AsyncLocalStorage } from 'node:async_hooks';

/** What one HTTP request or WebSocket operation carries through its async calls. */
export interface RequestScope {
  requestId: string;
  /** SQL statements sent for it */
  statements: number;
  /** their time as the server waited for them (sent until answered), in milliseconds */
  sqlMs: number;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

export const newRequestScope = (requestId: string): RequestScope => ({ requestId, statements: 0, sqlMs: 0 });

/**
 * Counts SQL statements per request, and their time: Prisma's query event (and the raw pool of the
 * records engine) call this. Tests read the count from the `x-sql-statements` response header; the
 * HTTP benchmark compares `x-sql-ms` with the request's own time.
 */
export function countStatement(event?: { duration?: number }) {
  const scope = requestScope.getStore();
  if (!scope) return;
  scope.statements += 1;
  scope.sqlMs += Number(event?.duration ?? 0);
}
