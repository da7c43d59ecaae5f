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

/**
 * Every code a client can find in `issues[].code`, by the domain that raises it: one registry, so
 * that a code means one thing everywhere and a new one is a deliberate addition here.
 */
export const ISSUE_CODES = {
  input: [
    'REQUIRED',
    'INVALID_VALUE',
    'INVALID_TYPE',
    'UNKNOWN_FIELD',
    'TOO_LONG',
    'TOO_SHORT',
    'TOO_MANY',
    'TOO_FEW',
    'TOO_LARGE',
    'TOO_DEEP',
    'OUT_OF_RANGE',
    'EMPTY',
    'DUPLICATE',
    'TAKEN',
    'NOT_FOUND',
    'NOT_ALLOWED',
    'CYCLE',
    'NUL_CHARACTER',
    'INVALID_UNICODE',
  ],
  paging: ['INVALID_CURSOR', 'CURSOR_MISMATCH', 'CONFLICTING_ARGUMENTS'],
  identity: ['INVALID_EMAIL', 'IN_THE_PAST', 'LAST_OWNER'],
  records: [
    'INVALID_KEY',
    'RESERVED_KEY',
    'DUPLICATE_KEY',
    'DUPLICATE_OPTION',
    'UNKNOWN_OPTION',
    'INVALID_CURRENCY',
    'READ_ONLY',
    'VALUES_DO_NOT_CONVERT',
    'OPERATOR_NOT_APPLICABLE',
    'TOO_MANY_CONDITIONS',
    'NOT_SORTABLE',
    'NOT_GROUPABLE',
    'NOT_APPLICABLE',
    'AGGREGATE_NOT_APPLICABLE',
  ],
  /** formula fields: `config.expression` */
  formulas: ['SYNTAX_ERROR', 'TYPE_MISMATCH', 'CIRCULAR_REFERENCE', 'UNKNOWN_FUNCTION', 'BREAKS_DEPENDENT_FORMULA'],
  crm: [
    'UNKNOWN_BLOCK_TYPE',
    'BUCKET_NEEDS_DATE',
    'SAME_AS_X',
    'CONFLICT',
    'NOT_SUMMED',
    'NOT_COUNTED',
    'NOT_AGGREGATED',
    'NOT_NUMERIC',
    'INCOMPLETE',
    'NOT_A_CHILD',
    'NOT_A_RECORD_PAGE',
    'TOO_MANY_DATASETS',
    'TOO_MANY_LABELS',
  ],
  feedback: ['INVALID_CHOICE', 'UNKNOWN_QUESTION', 'NOT_MANUAL', 'RULES_NOT_MET'],
  /** the CSV validation report (GraphQL `ImportIssueCode`) */
  imports: [
    'TOO_LARGE',
    'NOT_UTF8',
    'EMPTY_FILE',
    'NO_ROWS',
    'MALFORMED_CSV',
    'MISSING_COLUMN',
    'RESERVED_COLUMN',
    'DUPLICATE_COLUMN',
    'EMPTY_COLUMN_NAME',
    'TOO_MANY_COLUMNS',
    'FIELD_COUNT',
    'REQUIRED',
    'INVALID_DATE',
    'INVALID_SCORE',
    'TOO_LONG',
  ],
  jobs: ['INVALID_NAME', 'ILLEGAL_TRANSITION', 'NOT_QUEUED', 'NOT_RUNNING'],
  workflows: ['UNKNOWN_TASK_KIND', 'INVALID_TEMPLATE', 'MISSING_PARAMETER', 'DISABLED'],
} as const;
export type IssueCode = (typeof ISSUE_CODES)[keyof typeof ISSUE_CODES][number];

/** One problem with one input field; `path` points at it inside the mutation input. */
export interface FieldIssue {
  path: string[];
  code: IssueCode;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
    /** more `extensions` a client may see, e.g. `requiredScope` of a FORBIDDEN */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Expected outcomes of a mutation: returned as a typed `UserError` in the payload union. */
export class UserError extends AppError {}

export const badInput = (message: string, issues: FieldIssue[] = []) => new UserError('BAD_USER_INPUT', message, issues);
export const invalidField = (path: string[], code: IssueCode, message: string) => new UserError('BAD_USER_INPUT', message, [{ path, code, message }]);
/** Same message whether the object never existed or belongs to another workspace. */
export const notFound = (what: string) => new UserError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string) => new UserError('CONFLICT', message);
export const failedDependency = (message: string) => new UserError('FAILED_DEPENDENCY', message);
export const forbidden = (message = 'Not allowed') => new AppError('FORBIDDEN', message);
/** FORBIDDEN for a scope the credential lacks, named in the message and in `extensions.requiredScope`. */
export const missingScope = (scope: string, what = 'This operation') =>
  new AppError('FORBIDDEN', `${what} needs the ${scope} scope, which the credential does not have`, [], { requiredScope: scope });
export const unauthenticated = (message = 'Authentication required') => new AppError('UNAUTHENTICATED', message);

/** Throws one BAD_USER_INPUT listing every issue, when there are any. */
export function assertNoIssues(issues: FieldIssue[], message = 'Invalid input') {
  if (issues.length > 0) throw badInput(`${message}: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, issues);
}
