/**
 * The codes a client can see in `extensions.code` or in a `UserError` payload. Documented in README.
 * Anything thrown that is not an AppError is masked as INTERNAL.
 */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'FAILED_DEPENDENCY',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'QUERY_TOO_COMPLEX',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One problem with one input field; `path` points at it inside the mutation input. */
export interface FieldIssue {
  path: string[];
  code: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Expected outcomes of a mutation: returned as a typed `UserError` in the payload union. */
export class UserError extends AppError {}

export const badInput = (message: string, issues: FieldIssue[] = []) => new UserError('BAD_USER_INPUT', message, issues);
export const invalidField = (path: string[], code: string, message: string) =>
  new UserError('BAD_USER_INPUT', message, [{ path, code, message }]);
/** Same message whether the object never existed or belongs to another workspace. */
export const notFound = (what: string) => new UserError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string) => new UserError('CONFLICT', message);
export const failedDependency = (message: string) => new UserError('FAILED_DEPENDENCY', message);
export const forbidden = (message = 'Not allowed') => new AppError('FORBIDDEN', message);
export const unauthenticated = (message = 'Authentication required') => new AppError('UNAUTHENTICATED', message);

/** Throws one BAD_USER_INPUT listing every issue, when there are any. */
export function assertNoIssues(issues: FieldIssue[], message = 'Invalid input') {
  if (issues.length > 0) throw badInput(`${message}: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, issues);
}
