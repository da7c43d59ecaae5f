/**
 * The validation pass of an import: streams a CSV file once, checks the header and every row,
 * infers the type of each custom property column, and hands valid rows to `onRows` in batches
 * (the caller stages them). Memory is bounded by one decoded chunk, one batch and the first 100
 * errors, whatever the size of the file.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, CsvError } from 'csv-parse';
import { decodeUtf8, type ByteSource } from './utf8.js';
import { CsvFileError, type ImportIssueCode } from './errors.js';
import { parseFeedbackDate, parseScore, TypeInference, type PropertyDataType } from './values.js';

export const SPECIAL_COLUMNS = ['feedback', 'feedback_date', 'user_id', 'score'] as const;
/** As in the feedback product: only the date is required; score-only rows (NPS) carry no feedback text. */
export const REQUIRED_COLUMNS = ['feedback_date'] as const;
/** Columns another tool's export carries that an import must not accept (tags are applied here). */
export const RESERVED_COLUMNS = ['tags', 'wootric_response_id'] as const;

export const MAX_ERRORS = 100;
/** custom properties per response (the feedback module's MAX_PROPERTIES) */
export const MAX_PROPERTY_COLUMNS = 100;
export const MAX_FEEDBACK_LENGTH = 100_000;
/** a property value (the feedback module's MAX_PROPERTY_VALUE) */
export const MAX_TEXT_LENGTH = 2000;
const MAX_RECORD_CHARS = 2 * 1024 * 1024;

export type ColumnRole = 'FEEDBACK' | 'FEEDBACK_DATE' | 'USER_ID' | 'SCORE' | 'PROPERTY';

export interface ImportColumn {
  /** as written in the header, trimmed */
  name: string;
  role: ColumnRole;
  /** inferred for PROPERTY columns; null for the special ones */
  dataType: PropertyDataType | null;
}

export interface ImportIssue {
  /** the record's number counting the header as row 1 (a spreadsheet's row number); null for the file */
  row: number | null;
  /** the column's name; null when the problem is the row or the file */
  column: string | null;
  code: ImportIssueCode;
  message: string;
}

export interface ValidRow {
  row: number;
  /** null when the row has no feedback text (or the file no feedback column): no sentiment then */
  feedback: string | null;
  feedbackDate: Date;
  userId: string | null;
  score: number | null;
  /** raw non-empty texts by column name; typed with the inferred column types when written */
  properties: Record<string, string>;
}

export interface ValidationReport {
  /** data rows read (the header excluded) */
  totalRows: number;
  validRows: number;
  invalidRows: number;
  /** every problem found; `issues` holds the first MAX_ERRORS */
  issueCount: number;
  issues: ImportIssue[];
  columns: ImportColumn[];
  /** a file-level problem: nothing in the file can be imported, whatever the policy */
  refused: boolean;
  bytes: number;
}

export interface ValidateOptions {
  maxBytes?: number;
  /** receives valid rows in batches of `batchSize`, awaited before reading on (backpressure) */
  onRows?: (rows: ValidRow[], report: Readonly<ValidationReport>) => Promise<void>;
  batchSize?: number;
  scoreRange?: { min: number; max: number };
  signal?: AbortSignal;
}

function planColumns(header: string[]): { columns: ImportColumn[]; problems: ImportIssue[] } {
  const problems: ImportIssue[] = [];
  const seen = new Map<string, number>();
  const columns: ImportColumn[] = header.map((raw, i) => {
    const name = raw.trim();
    const key = name.toLowerCase();
    const issue = (code: ImportIssueCode, message: string) => problems.push({ row: 1, column: name || null, code, message });
    if (!name) issue('EMPTY_COLUMN_NAME', `Column ${i + 1} has no name`);
    else if ((RESERVED_COLUMNS as readonly string[]).includes(key)) issue('RESERVED_COLUMN', `Column "${name}" is reserved and cannot be imported; remove it`);
    else if (seen.has(key)) issue('DUPLICATE_COLUMN', `Column "${name}" appears more than once (columns ${seen.get(key)! + 1} and ${i + 1})`);
    else if (name.length > 100) issue('TOO_LONG', `Column name "${name.slice(0, 20)}…" is longer than 100 characters`);
    seen.set(key, i);
    const special = (SPECIAL_COLUMNS as readonly string[]).includes(key) ? key : null;
    const role: ColumnRole = special ? (special.toUpperCase() as ColumnRole) : 'PROPERTY';
    return { name: special ?? name, role, dataType: null };
  });
  for (const required of REQUIRED_COLUMNS) {
    if (!seen.has(required)) problems.push({ row: 1, column: required, code: 'MISSING_COLUMN', message: `The required column "${required}" is missing` });
  }
  const properties = columns.filter((c) => c.role === 'PROPERTY').length;
  if (properties > MAX_PROPERTY_COLUMNS) {
    problems.push({
      row: 1,
      column: null,
      code: 'TOO_MANY_COLUMNS',
      message: `The file has ${properties} custom property columns; at most ${MAX_PROPERTY_COLUMNS} are allowed`,
    });
  }
  return { columns, problems };
}

/**
 * Validates a CSV byte stream. File-level problems (size, encoding, CSV syntax, header) end with
 * `refused: true` and the problems in `issues`; row problems are counted and the first
 * MAX_ERRORS listed. Valid rows reach `onRows` even when other rows are invalid: the caller's
 * policy decides whether to keep them.
 */
export async function validateCsv(source: ByteSource, opts: ValidateOptions = {}): Promise<ValidationReport> {
  const batchSize = opts.batchSize ?? 1000;
  const report: ValidationReport = { totalRows: 0, validRows: 0, invalidRows: 0, issueCount: 0, issues: [], columns: [], refused: false, bytes: 0 };
  const add = (issue: ImportIssue) => {
    report.issueCount++;
    if (report.issues.length < MAX_ERRORS) report.issues.push(issue);
  };
  const refuse = (issues: ImportIssue[]) => {
    report.refused = true;
    report.issues = [];
    report.issueCount = 0;
    for (const i of issues) add(i);
    return report;
  };

  let inference: TypeInference[] = [];
  const index: Record<'feedback' | 'feedback_date' | 'user_id' | 'score', number> = { feedback: -1, feedback_date: -1, user_id: -1, score: -1 };
  let sawText = false;
  let batch: ValidRow[] = [];
  const parser = parse({
    bom: false, // the decoder drops it
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
    info: true,
  });

  const counted = async function* (src: ByteSource) {
    for await (const chunk of src as AsyncIterable<Uint8Array>) {
      report.bytes += chunk.byteLength;
      yield chunk;
    }
  };
  const text = async function* () {
    for await (const s of decodeUtf8(counted(source), { maxBytes: opts.maxBytes, signal: opts.signal })) {
      if (!sawText && /\S/.test(s)) sawText = true;
      yield s;
    }
  };

  try {
    await pipeline(Readable.from(text()), parser, async (records: AsyncIterable<{ record: string[]; info: { records: number } }>) => {
      let header: string[] | null = null;
      for await (const { record, info } of records) {
        if (!header) {
          header = record;
          const plan = planColumns(record);
          if (plan.problems.length) {
            refuse(plan.problems);
            return;
          }
          report.columns = plan.columns;
          inference = plan.columns.map(() => new TypeInference());
          for (const key of SPECIAL_COLUMNS) index[key] = plan.columns.findIndex((c) => c.name === key && c.role !== 'PROPERTY');
          continue;
        }
        const row = info.records; // the header is record 1
        report.totalRows++;
        const valid = checkRow(record, row, report.columns, index, inference, add, opts.scoreRange);
        if (!valid) {
          report.invalidRows++;
          continue;
        }
        report.validRows++;
        if (opts.onRows) {
          batch.push(valid);
          if (batch.length >= batchSize) {
            await opts.onRows(batch, report);
            batch = [];
          }
        }
      }
    });
  } catch (error) {
    // the header was refused: reading stopped early on purpose
    if (report.refused) return report;
    if (error instanceof CsvFileError)
      return refuse([{ row: null, column: null, code: error.code, message: error.message }, ...error.issues.map((i) => ({ row: 1, ...i }))]);
    if (error instanceof CsvError) {
      const line = (error as unknown as { lines?: number }).lines;
      return refuse([
        { row: null, column: null, code: 'MALFORMED_CSV', message: `The file is not valid CSV${line ? ` near line ${line}` : ''}: ${csvReason(error)}` },
      ]);
    }
    throw error;
  }
  if (report.refused) return report;
  if (!sawText) return refuse([{ row: null, column: null, code: 'EMPTY_FILE', message: 'The file is empty' }]);
  if (report.totalRows === 0) return refuse([{ row: null, column: null, code: 'NO_ROWS', message: 'The file has a header but no rows' }]);
  if (batch.length && opts.onRows) await opts.onRows(batch, report);
  report.columns = report.columns.map((c, i) => (c.role === 'PROPERTY' ? { ...c, dataType: inference[i]!.type } : c));
  return report;
}

function csvReason(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quote inside a quoted field is not doubled';
    case 'CSV_MAX_RECORD_SIZE':
      return `a row is longer than ${MAX_RECORD_CHARS} characters`;
    default:
      return error.message;
  }
}

function checkRow(
  record: string[],
  row: number,
  columns: ImportColumn[],
  index: Record<'feedback' | 'feedback_date' | 'user_id' | 'score', number>,
  inference: TypeInference[],
  add: (issue: ImportIssue) => void,
  scoreRange?: { min: number; max: number },
): ValidRow | null {
  if (record.length !== columns.length) {
    add({ row, column: null, code: 'FIELD_COUNT', message: `Row has ${record.length} fields; the header has ${columns.length}` });
    return null;
  }
  let ok = true;
  const issue = (column: string, code: ImportIssueCode, message: string) => {
    ok = false;
    add({ row, column, code, message });
  };
  const cell = (i: number) => (i < 0 ? '' : record[i]!.trim());

  const feedback = cell(index.feedback);
  if (feedback.length > MAX_FEEDBACK_LENGTH) issue('feedback', 'TOO_LONG', `Feedback is longer than ${MAX_FEEDBACK_LENGTH} characters`);

  const dateText = cell(index.feedback_date);
  const feedbackDate = dateText ? parseFeedbackDate(dateText) : null;
  if (!dateText) issue('feedback_date', 'REQUIRED', 'Feedback date is required');
  else if (!feedbackDate)
    issue('feedback_date', 'INVALID_DATE', `"${clip(dateText)}" is not a date (yyyy-mm-dd hh:mm:ss, yyyy-mm-dd hh:mm, yyyy-mm-dd or a Unix timestamp)`);

  const scoreText = cell(index.score);
  const score = parseScore(scoreText, scoreRange);
  if (score === undefined) {
    issue(
      'score',
      'INVALID_SCORE',
      scoreRange ? `"${clip(scoreText)}" is not an integer from ${scoreRange.min} to ${scoreRange.max}` : `"${clip(scoreText)}" is not an integer`,
    );
  }

  const userId = cell(index.user_id);
  if (userId.length > 255) issue('user_id', 'TOO_LONG', 'User id is longer than 255 characters');

  const properties: Record<string, string> = {};
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!;
    if (column.role !== 'PROPERTY') continue;
    const value = cell(i);
    if (!value) continue;
    if (value.length > MAX_TEXT_LENGTH) {
      issue(column.name, 'TOO_LONG', `Value is longer than ${MAX_TEXT_LENGTH} characters`);
      continue;
    }
    properties[column.name] = value;
  }
  if (!ok) return null;
  // only valid rows shape the inferred types: they are the ones written
  for (let i = 0; i < columns.length; i++) if (columns[i]!.role === 'PROPERTY') inference[i]!.add(cell(i));
  return { row, feedback: feedback || null, feedbackDate: feedbackDate!, userId: userId || null, score: score ?? null, properties };
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);
