/**
 * Turns the groups the records engine computed in SQL into chart labels and datasets: dates in
 * buckets get every bucket between the first and the last (or the x axis min and max), so a line
 * has no silent gaps; series keep their order; missing cells are 0 for counts and sums, null for
 * averages and extremes.
 */
import type { ChartConfiguration, DateBucket, Measure } from './chart-config.js';
import { MAX_DATASETS, MAX_LABELS, SINGLE_SERIES_KINDS } from './chart-config.js';
import { badInput } from '../../errors.js';

/** One cell from SQL: the x key, the series key (null without groupBy), the measured value. */
export interface ChartCell {
  x: string | null;
  series: string | null;
  /** decimal text (rounded for reading: currency minor unit, else two decimals) or an integer count; null when nothing to measure */
  value: string | number | null;
}

export interface ChartDataset {
  /** the groupBy value's label, or the measure's name */
  label: string | null;
  /** the groupBy value as stored (option id, user id, text), null for empty or no groupBy */
  key: string | null;
  data: (number | null)[];
  /** the same values as decimal text */
  exact: (string | null)[];
}

export interface ChartData {
  labels: (string | null)[];
  /** the x values as stored (bucket start dates for dates) */
  keys: (string | null)[];
  datasets: ChartDataset[];
}

export interface ChartLabels {
  x(key: string | null): string | null;
  series(key: string | null): string | null;
  /** keys in display order for a field with its own order (select options); others sort as given */
  xOrder?: (keys: (string | null)[]) => (string | null)[];
  seriesOrder?: (keys: (string | null)[]) => (string | null)[];
}

const pad = (n: number) => String(n).padStart(2, '0');
const day = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** The first day (UTC) of the bucket holding `date`, as the engine keys it ("YYYY-MM-DD"). */
export function bucketStart(date: Date, bucket: DateBucket): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  if (bucket === 'WEEK') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  if (bucket === 'MONTH') d.setUTCDate(1);
  if (bucket === 'YEAR') d.setUTCMonth(0, 1);
  return day(d);
}

function nextBucket(key: string, bucket: DateBucket): string {
  const d = new Date(`${key}T00:00:00Z`);
  if (bucket === 'DAY') d.setUTCDate(d.getUTCDate() + 1);
  if (bucket === 'WEEK') d.setUTCDate(d.getUTCDate() + 7);
  if (bucket === 'MONTH') d.setUTCMonth(d.getUTCMonth() + 1);
  if (bucket === 'YEAR') d.setUTCFullYear(d.getUTCFullYear() + 1);
  return day(d);
}

/** A bucket's label: 2026-05-04 (day, week start), 2026-05 (month), 2026 (year). */
export function bucketLabel(key: string, bucket: DateBucket): string {
  return bucket === 'MONTH' ? key.slice(0, 7) : bucket === 'YEAR' ? key.slice(0, 4) : key;
}

/** Every bucket from the first to the last, inclusive; refuses more than MAX_LABELS. */
export function bucketRange(from: string, to: string, bucket: DateBucket): string[] {
  const keys: string[] = [];
  for (let k = from; k <= to; k = nextBucket(k, bucket)) {
    keys.push(k);
    if (keys.length > MAX_LABELS)
      throw badInput(`The x axis spans more than ${MAX_LABELS} ${bucket.toLowerCase()}s; choose a larger bucket or a narrower min and max`, [
        { path: ['configuration', 'x', 'bucket'], code: 'TOO_MANY_LABELS', message: `More than ${MAX_LABELS} labels` },
      ]);
  }
  return keys;
}

export function shapeChartData(config: ChartConfiguration, measure: Measure, cells: ChartCell[], labels: ChartLabels): ChartData {
  const zero = measure.aggregate === 'COUNT' || measure.aggregate === 'COUNT_NOT_EMPTY' || measure.aggregate === 'SUM' ? '0' : null;
  const measureName = measure.field ? `${measure.aggregate.toLowerCase().replace('_not_empty', '')}(${measure.field})` : 'count';
  if (config.kind === 'GAUGE') {
    const v = cells[0]?.value ?? zero;
    const exact = v === null ? null : String(v);
    return {
      labels: [measureName],
      keys: [null],
      datasets: [{ label: measureName, key: null, data: [exact === null ? null : Number(exact)], exact: [exact] }],
    };
  }

  let xKeys = [...new Set(cells.map((c) => c.x))];
  const bucket = config.x?.bucket ?? null;
  if (bucket) {
    const present = xKeys.filter((k): k is string => k !== null).sort();
    const from = config.x?.min ? bucketStart(new Date(config.x.min), bucket) : present[0];
    const to = config.x?.max ? bucketStart(new Date(config.x.max), bucket) : present[present.length - 1];
    xKeys = from && to ? bucketRange(from, to, bucket) : [];
    if (xKeys.length === 0 && present.length) xKeys = present;
  } else if (labels.xOrder) xKeys = labels.xOrder(xKeys);
  if (xKeys.length > MAX_LABELS)
    throw badInput(`The chart has more than ${MAX_LABELS} labels; narrow it with a filter or the x axis min and max`, [
      { path: ['configuration', 'x', 'field'], code: 'TOO_MANY_LABELS', message: `More than ${MAX_LABELS} labels` },
    ]);

  let seriesKeys = [...new Set(cells.map((c) => c.series))];
  if (labels.seriesOrder) seriesKeys = labels.seriesOrder(seriesKeys);
  if (seriesKeys.length === 0) seriesKeys = [null];
  if (seriesKeys.length > MAX_DATASETS || (SINGLE_SERIES_KINDS.includes(config.kind) && seriesKeys.length > 1))
    throw badInput(`The chart would have more than ${MAX_DATASETS} datasets; group by a field with fewer values`, [
      { path: ['configuration', 'groupBy'], code: 'TOO_MANY_DATASETS', message: `More than ${MAX_DATASETS} datasets` },
    ]);

  const cell = new Map(cells.map((c) => [`${c.series ?? '\u0000'}|${c.x ?? '\u0000'}`, c.value]));
  return {
    labels: xKeys.map((k) => (k === null ? null : bucket ? bucketLabel(k, bucket) : labels.x(k))),
    keys: xKeys,
    datasets: seriesKeys.map((s) => {
      const exact = xKeys.map((x) => {
        const v = cell.get(`${s ?? '\u0000'}|${x ?? '\u0000'}`);
        return v === undefined || v === null ? (v === undefined ? zero : null) : String(v);
      });
      return { label: config.groupBy ? labels.series(s) : measureName, key: s, data: exact.map((e) => (e === null ? null : Number(e))), exact };
    }),
  };
}
