import { GraphQLError } from 'graphql';
import { PothosValidationError } from '@pothos/core';
import { AppError, ERROR_CODES, type ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import { requestScope } from '../db/statement-counter.js';

const KNOWN = new Set<string>(ERROR_CODES);

/**
 * The one place where errors become what clients see. AppErrors keep their code and issues;
 * errors graphql-js raises about the request itself (parse, validation, variable coercion: they
 * have no execution path) keep their message; anything else is logged in full and masked.
 */
export function createMaskError(log: Logger) {
  return function maskError(error: unknown): Error {
    const graphQLError = error instanceof GraphQLError ? error : null;
    const original = graphQLError?.originalError ?? (error instanceof Error ? error : null);
    const appError = findAppError(error);
    if (appError) {
      return new GraphQLError(appError.message, {
        nodes: graphQLError?.nodes,
        path: graphQLError?.path,
        extensions: { ...appError.extensions, code: appError.code, ...(appError.issues.length ? { issues: appError.issues } : {}) },
      });
    }
    if (
      graphQLError &&
      !graphQLError.path &&
      (!graphQLError.originalError || graphQLError.originalError instanceof TypeError || graphQLError.originalError instanceof GraphQLError)
    ) {
      const given = graphQLError.extensions?.code;
      const code: ErrorCode = typeof given === 'string' && KNOWN.has(given) ? (given as ErrorCode) : requestErrorCode(graphQLError);
      // graphql-armor words its limits as "Syntax Error: Query depth limit of 12 exceeded, found 14."
      const message = code === 'QUERY_TOO_COMPLEX' ? graphQLError.message.replace(/^Syntax Error: /, '') : graphQLError.message;
      const issues = graphQLError.extensions?.issues;
      return new GraphQLError(message, {
        nodes: graphQLError.nodes,
        extensions: { ...pickHttp(graphQLError, code), code, ...(Array.isArray(issues) ? { issues } : {}) },
      });
    }
    const requestId = requestScope.getStore()?.requestId;
    log.error({ err: original ?? error, requestId, path: graphQLError?.path }, 'unexpected error');
    return new GraphQLError('Unexpected error.', { nodes: graphQLError?.nodes, path: graphQLError?.path, extensions: { code: 'INTERNAL', requestId } });
  };
}

/**
 * Pothos raises PothosValidationError both for input it cannot read and for mistakes in our own
 * schema code; only the former are the client's fault. These are the relay/prisma plugins' own
 * messages about id types, cursors and paging arguments (malformed global ids never get here:
 * graphql/global-id.ts throws a coded error).
 */
const CLIENT_INPUT = [
  /^ID: .* is not of type: /,
  /^Invalid cursor/,
  /^Cursor must be a string$/,
  /^Invalid id received for /,
  /^Expected compound cursor /,
  /^Invalid offset cursor /,
  /^Argument "(first|last)" /,
  /^Arguments "\w+" and "\w+" are not supported at the same time$/,
];

/** Executors wrap errors in GraphQLErrors, sometimes more than once. */
function findAppError(error: unknown): AppError | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof AppError) return e;
    if (e instanceof PothosValidationError) {
      const message = e.message;
      if (CLIENT_INPUT.some((pattern) => pattern.test(message))) return new AppError('BAD_USER_INPUT', message);
    }
    e = (e as { originalError?: unknown }).originalError;
  }
  return null;
}

function requestErrorCode(error: GraphQLError): ErrorCode {
  if (error.message.startsWith('Syntax Error')) return 'GRAPHQL_PARSE_FAILED';
  if (error.message.startsWith('Variable ')) return 'BAD_USER_INPUT';
  // validation errors point into the document; errors that don't are about the request itself
  // ("POST body sent invalid JSON.", "Must provide query string.", a mutation over GET, ...)
  if (!error.nodes?.length && !error.locations?.length) return 'BAD_USER_INPUT';
  return 'GRAPHQL_VALIDATION_FAILED';
}

/**
 * Yoga uses `extensions.http` to pick the response status; keep it, but never show it. A request
 * error without one (graphql-armor's limits) is the client's: 400, like parse errors.
 */
function pickHttp(error: GraphQLError, code: ErrorCode) {
  const http = (error.extensions?.http as { status?: number; spec?: boolean } | undefined) ?? { status: 400 };
  // Yoga answers errors it marks `spec` with 200 to `accept: application/json` (GraphQL over
  // HTTP's legacy rule for documents); a limit or a malformed request (invalid JSON, no query)
  // is a 4xx whatever the client accepts
  const requestError = code === 'QUERY_TOO_COMPLEX' || (code === 'BAD_USER_INPUT' && !error.nodes?.length && !error.locations?.length);
  return { http: requestError && http.spec ? { ...http, spec: false } : http };
}
