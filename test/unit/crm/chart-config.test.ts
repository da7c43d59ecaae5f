import { describe, expect, it } from 'vitest';
import { checkChartConfiguration, type ChartField } from '../../../src/modules/crm/chart-config.js';
import { FIELD_TYPE_SPECS, isFieldType } from '../../../src/core/records/index.js';

const fields: ChartField[] = [
  { key: 'name', label: 'Name', type: 'TEXT' },
  { key: 'value', label: 'Value', type: 'CURRENCY' },
  { key: 'amount', label: 'Amount', type: 'NUMBER' },
  { key: 'closed_at', label: 'Closed', type: 'DATETIME' },
  { key: 'tags', label: 'Tags', type: 'STATIC_SELECT', allowMultiple: true },
  { key: 'contacts', label: 'Contacts', type: 'LINK' },
];
const caps = (type: string) => (isFieldType(type) ? FIELD_TYPE_SPECS[type] : undefined);
const check = (config: unknown) => checkChartConfiguration(config, fields, caps);
const issues = (config: unknown) =>
  check(config)
    .issues.map((i) => `${i.path.join('.')} ${i.code}`)
    .sort();

describe('chart configuration checks (with the records engine catalog)', () => {
  it('accepts sensible configurations and charts dates by day unless told otherwise', () => {
    expect(check({ kind: 'LINE', x: { field: 'closed_at' }, sum: 'value' }).config?.x).toEqual({ field: 'closed_at', min: null, max: null, bucket: 'DAY' });
    expect(issues({ kind: 'BAR', x: { field: 'createdAt', bucket: 'WEEK' }, y: { field: 'amount', aggregate: 'AVG' } })).toEqual([]);
    expect(issues({ kind: 'SCATTER', x: { field: 'amount', min: '-5', max: '10.5' }, count: 'name' })).toEqual([]);
    expect(issues({ kind: 'GAUGE', sum: 'amount' })).toEqual([]);
  });

  it('names the part that does not fit the field types', () => {
    expect(issues({ kind: 'LINE', x: { field: 'amount', bucket: 'MONTH' }, sum: 'name' })).toEqual([
      'configuration.sum NOT_SUMMED',
      'configuration.x.bucket BUCKET_NEEDS_DATE',
    ]);
    expect(issues({ kind: 'BAR', x: { field: 'tags' }, groupBy: 'contacts' })).toEqual([
      'configuration.groupBy NOT_GROUPABLE',
      'configuration.x.field NOT_GROUPABLE',
    ]);
    expect(issues({ kind: 'BAR', x: { field: 'name', min: 'a' }, y: { field: 'closed_at', aggregate: 'MAX' } })).toEqual([
      'configuration.x.min NOT_ALLOWED',
      'configuration.y.field NOT_NUMERIC',
    ]);
    expect(issues({ kind: 'LINE', x: { field: 'closed_at', min: '2026-05-01T00:00:00Z', max: '2026-01-01T00:00:00Z' } })).toEqual([
      'configuration.x.max OUT_OF_RANGE',
    ]);
    expect(issues({ kind: 'GAUGE', x: { field: 'name' }, groupBy: 'amount' })).toEqual(['configuration.groupBy NOT_ALLOWED', 'configuration.x NOT_ALLOWED']);
    expect(issues({ kind: 'LINE', x: { field: 'amount' }, groupBy: 'amount' })).toEqual(['configuration.groupBy SAME_AS_X']);
    expect(issues({ kind: 'PIE', x: { field: 'name' }, y: { field: 'name', aggregate: 'AVG' } })).toEqual(['configuration.y.field NOT_AGGREGATED']);
  });

  it('reports a malformed configuration by path', () => {
    expect(issues({ kind: 'RADAR', x: { field: '' } })).toEqual(['configuration.kind INVALID_VALUE', 'configuration.x.field INVALID_VALUE']);
  });
});
