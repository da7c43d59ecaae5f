/**
 * The one rule for date filters: a calendar day ("2018-12-31", UTC) stands for the whole day, so
 * "on or before 2018-12-31" keeps everything that happened that day; a date-time stands for its
 * instant. Every date filter (records engine conditions, chart x ranges, response date ranges)
 * turns its bounds into comparisons here.
 */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DAY_MS = 86_400_000;

/** The instants a bound names: [start, end) for a day; start === end for a date-time. */
export interface DateBound {
  start: Date;
  end: Date;
}

export const isWholeDay = (b: DateBound) => b.end.getTime() !== b.start.getTime();

/** A day "YYYY-MM-DD" or an ISO 8601 date-time (years 1000..9999); null when it is neither. */
export function parseDateBound(v: unknown): DateBound | null {
  if (typeof v !== 'string') return null;
  const s = v.trim();
  const day = DAY.exec(s);
  if (day) {
    const start = new Date(Date.UTC(+day[1]!, +day[2]! - 1, +day[3]!));
    // 2018-02-30 would roll over into March
    if (start.getUTCFullYear() !== +day[1]! || start.getUTCMonth() !== +day[2]! - 1 || start.getUTCDate() !== +day[3]!) return null;
    return inYears(start) ? { start, end: new Date(start.getTime() + DAY_MS) } : null;
  }
  if (!DATE_TIME.test(s)) return null;
  const at = new Date(s);
  return Number.isNaN(at.getTime()) || !inYears(at) ? null : { start: at, end: at };
}

const inYears = (d: Date) => d.getUTCFullYear() >= 1000 && d.getUTCFullYear() <= 9999;

export type DateRelation = 'ON_OR_AFTER' | 'AFTER' | 'ON_OR_BEFORE' | 'BEFORE';
export type DateComparison = { op: '>=' | '>' | '<' | '<='; at: Date };

/** How an instant compares with a bound so that whole days stay whole. */
export function dateComparison(relation: DateRelation, b: DateBound): DateComparison {
  const day = isWholeDay(b);
  switch (relation) {
    case 'ON_OR_AFTER':
      return { op: '>=', at: b.start };
    case 'AFTER':
      return day ? { op: '>=', at: b.end } : { op: '>', at: b.start };
    case 'ON_OR_BEFORE':
      return day ? { op: '<', at: b.end } : { op: '<=', at: b.start };
    case 'BEFORE':
      return { op: '<', at: b.start };
  }
}
