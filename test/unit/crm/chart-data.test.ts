import { describe, expect, it } from 'vitest';
import { bucketRange, bucketStart, shapeChartData, type ChartLabels } from '../../../src/modules/crm/chart-data.js';
import { measureOf, type ChartConfiguration } from '../../../src/modules/crm/chart-config.js';

const base: ChartConfiguration = { kind: 'LINE', x: null, y: null, groupBy: null, sum: null, count: null, filter: null };
const plain: ChartLabels = { x: (k) => k, series: (k) => k };

describe('chart data shaping', () => {
  it('starts buckets on UTC days, ISO weeks (Monday), months and years', () => {
    const d = new Date('2026-05-07T23:30:00Z'); // a Thursday
    expect(bucketStart(d, 'DAY')).toBe('2026-05-07');
    expect(bucketStart(d, 'WEEK')).toBe('2026-05-04');
    expect(bucketStart(new Date('2026-05-03T10:00:00Z'), 'WEEK')).toBe('2026-04-27'); // a Sunday
    expect(bucketStart(d, 'MONTH')).toBe('2026-05-01');
    expect(bucketStart(d, 'YEAR')).toBe('2026-01-01');
    expect(bucketRange('2026-11-01', '2027-02-01', 'MONTH')).toEqual(['2026-11-01', '2026-12-01', '2027-01-01', '2027-02-01']);
  });

  it('fills every date bucket between min and max, with 0 for sums', () => {
    const config = { ...base, x: { field: 'closed_at', min: '2026-01-15T00:00:00Z', max: '2026-04-02T00:00:00Z', bucket: 'MONTH' as const }, sum: 'value' };
    const data = shapeChartData(
      config,
      measureOf(config),
      [
        { x: '2026-02-01', series: null, value: '1500.50' },
        { x: '2026-04-01', series: null, value: '20' },
      ],
      plain,
    );
    expect(data.labels).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
    expect(data.datasets).toEqual([{ label: 'sum(value)', key: null, data: [0, 1500.5, 0, 20], exact: ['0', '1500.50', '0', '20'] }]);
  });

  it('leaves missing averages empty and keeps one dataset per series in the given order', () => {
    const config = {
      ...base,
      kind: 'BAR' as const,
      x: { field: 'country', min: null, max: null, bucket: null },
      groupBy: 'type',
      y: { field: 'value', aggregate: 'AVG' as const, min: null, max: null },
    };
    const data = shapeChartData(
      config,
      measureOf(config),
      [
        { x: 'DE', series: 'new', value: '10' },
        { x: 'FR', series: 'existing', value: '4' },
        { x: 'DE', series: 'existing', value: null },
      ],
      { ...plain, series: (k) => (k ? k.toUpperCase() : null), seriesOrder: (keys) => [...keys].sort() },
    );
    expect(data.labels).toEqual(['DE', 'FR']);
    expect(data.datasets.map((d) => [d.label, d.data])).toEqual([
      ['EXISTING', [null, 4]],
      ['NEW', [10, null]],
    ]);
  });

  it('shows a gauge as one value', () => {
    const config = { ...base, kind: 'GAUGE' as const, count: 'email' };
    expect(shapeChartData(config, measureOf(config), [{ x: null, series: null, value: 7 }], plain)).toEqual({
      labels: ['count(email)'],
      keys: [null],
      datasets: [{ label: 'count(email)', key: null, data: [7], exact: ['7'] }],
    });
  });

  it('refuses a date range with too many buckets, naming the bucket', () => {
    const config = { ...base, x: { field: 'd', min: '2000-01-01T00:00:00Z', max: '2026-01-01T00:00:00Z', bucket: 'DAY' as const } };
    expect(() => shapeChartData(config, measureOf(config), [], plain)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', issues: [expect.objectContaining({ path: ['configuration', 'x', 'bucket'] })] }),
    );
  });
});
