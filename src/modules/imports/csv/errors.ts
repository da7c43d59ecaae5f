/** Stable codes of the import validation report (documented on the GraphQL `ImportIssueCode`). */
export const IMPORT_ISSUE_CODES = [
  // the whole file is refused
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
  // one row is invalid
  'FIELD_COUNT',
  'REQUIRED',
  'INVALID_DATE',
  'INVALID_SCORE',
  'TOO_LONG',
] as const;
export type ImportIssueCode = (typeof IMPORT_ISSUE_CODES)[number];

/** A problem that refuses the whole file, whatever the policy. */
export class CsvFileError extends Error {
  constructor(
    readonly code: ImportIssueCode,
    message: string,
    /** more problems found at the same time (e.g. every bad header cell) */
    readonly issues: Array<{ column: string | null; code: ImportIssueCode; message: string }> = [],
  ) {
    super(message);
    this.name = 'CsvFileError';
  }
}
