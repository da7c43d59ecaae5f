/**
 * Cell values of an import file: feedback dates, scores and the inference of custom property
 * types. Pure functions; dates are UTC (a file carries no time zone).
 */

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const UNIX_SECONDS = /^\d{1,11}$/;

function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): Date | null {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // rejects 2024-02-30 and friends, which Date.UTC would roll over into March
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date;
}

/**
 * `yyyy-mm-dd hh:mm:ss`, `yyyy-mm-dd hh:mm`, `yyyy-mm-dd` (UTC) or a Unix timestamp in seconds.
 * Null when the text is none of these or names no real date.
 */
export function parseFeedbackDate(text: string): Date | null {
  const m = DATE_TIME.exec(text);
  if (m) return utc(+m[1]!, +m[2]!, +m[3]!, m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0);
  if (UNIX_SECONDS.test(text)) {
    const date = new Date(Number(text) * 1000);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

/** The form exports write, which imports read back to the same second. */
export function formatFeedbackDate(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

export const SCORE_MIN = -2147483648;
export const SCORE_MAX = 2147483647;

/** An integer score, null for blank, undefined when invalid. */
export function parseScore(text: string, range: { min: number; max: number } = { min: SCORE_MIN, max: SCORE_MAX }): number | null | undefined {
  if (text === '') return null;
  if (!/^[+-]?\d{1,10}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= range.min && n <= range.max ? n : undefined;
}

// ---- custom properties ---------------------------------------------------------------------

/** The feedback module's ResponseProperty data types. */
export const PROPERTY_DATA_TYPES = ['STRING', 'NUMBER', 'BOOLEAN', 'DATE'] as const;
export type PropertyDataType = (typeof PROPERTY_DATA_TYPES)[number];

/**
 * A decimal number as people write it. Leading zeros ("007", zip codes, ids) are text, not
 * numbers, so they survive an import unchanged; so are integers beyond 2^53, which a double
 * cannot hold exactly.
 */
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
export function isNumberText(text: string): boolean {
  if (!NUMBER.test(text)) return false;
  const n = Number(text);
  return Number.isFinite(n) && (!/^-?\d+$/.test(text) || Number.isSafeInteger(n));
}

export const isBooleanText = (text: string) => /^(true|false)$/i.test(text);

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;

/** A property date: the feedback-date formats (not Unix timestamps: those are numbers) or ISO 8601. */
export function parsePropertyDate(text: string): Date | null {
  if (DATE_TIME.test(text)) return parseFeedbackDate(text);
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return null;
  const base = utc(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, m[6] ? +m[6] : 0);
  if (!base) return null;
  const date = new Date(text.length === 16 || !m[8] ? `${text}Z` : text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Infers a column's type from every non-empty value: NUMBER when all are numbers, else BOOLEAN
 * when all are true/false (any case), else DATE when all are dates, else STRING (text). A column
 * with no values at all is STRING. Feed values one by one; memory is constant.
 */
export class TypeInference {
  private number = true;
  private boolean = true;
  private date = true;
  count = 0;

  add(text: string) {
    if (text === '') return;
    this.count++;
    if (this.number && !isNumberText(text)) this.number = false;
    if (this.boolean && !isBooleanText(text)) this.boolean = false;
    if (this.date && parsePropertyDate(text) === null) this.date = false;
  }

  get type(): PropertyDataType {
    if (this.count === 0) return 'STRING';
    if (this.number) return 'NUMBER';
    if (this.boolean) return 'BOOLEAN';
    if (this.date) return 'DATE';
    return 'STRING';
  }
}

/**
 * The stored (canonical) text of a non-empty cell of a column of the inferred type, the same
 * form the feedback module stores: NUMBER as JavaScript prints it, BOOLEAN as true/false, DATE as
 * ISO 8601 UTC, STRING as written.
 */
export function canonicalProperty(text: string, type: PropertyDataType): string {
  switch (type) {
    case 'NUMBER':
      return String(Number(text));
    case 'BOOLEAN':
      return text.toLowerCase() === 'true' ? 'true' : 'false';
    case 'DATE':
      return parsePropertyDate(text)!.toISOString();
    case 'STRING':
      return text;
  }
}
