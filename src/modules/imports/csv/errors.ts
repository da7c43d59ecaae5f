import { ISSUE_CODES } from '../../../errors.js';

/** Stable codes of the import validation report (documented on the GraphQL `ImportIssueCode`). */
export const IMPORT_ISSUE_CODES = ISSUE_CODES.imports;
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
