import { afterAll, beforeAll, expect, it } from 'vitest';
import { engineContext, FORMS } from './helpers.js';
import * as rec from '../../../src/core/records/index.js';

let env: Awaited<ReturnType<typeof engineContext>>;
beforeAll(async () => {
  env = await engineContext();
});
afterAll(() => env?.close());

it('round trip', async () => {
  const ctx = env.ctx();
  const target = await rec.createCollection(ctx, FORMS, { name: 'T', fields: [{ key: 'n', label: 'N', type: 'NUMBER' }] });
  const form = await rec.createCollection(ctx, FORMS, {
    name: 'F',
    fields: [
      { key: 'name', label: 'Name', type: 'TEXT', required: true, indexed: true },
      { key: 'age', label: 'Age', type: 'NUMBER', indexed: true },
      { key: 'color', label: 'Color', type: 'STATIC_SELECT', options: [{ label: 'Red' }, { label: 'Blue' }] },
      { key: 'tags', label: 'Tags', type: 'STATIC_SELECT', allowMultiple: true, options: [{ label: 'A' }, { label: 'B' }] },
      { key: 'price', label: 'Price', type: 'CURRENCY', config: { currency: 'EUR' } },
      { key: 'no', label: 'No', type: 'AUTO_NUMBER' },
      { key: 'links', label: 'Links', type: 'LINK', allowMultiple: true, config: { targetCollectionId: target.id } },
      { key: 'cnt', label: 'Cnt', type: 'COUNT', config: { linkField: 'links' } },
      { key: 'tot', label: 'Tot', type: 'ROLLUP', config: { linkField: 'links', targetField: 'n', function: 'SUM' } },
      { key: 'when', label: 'When', type: 'DATETIME' },
    ],
  });
  const ts = await rec.createRecords(ctx, FORMS, target.id, [{ n: 2 }, { n: 3.5 }]);
  const rows = await rec.createRecords(ctx, FORMS, form.id, [
    { name: 'a', age: 3, color: 'red', tags: ['a', 'b'], price: '12.50', links: ts.map((t) => t.id), when: '2026-01-05T00:00:00Z' },
    { name: 'b', age: null, color: 'Blue', price: { amount: '0.10', currency: 'EUR' } },
  ]);
  expect(rows[0]!.values).toMatchObject({ no: 1, cnt: 2, tot: 5.5, price: { amount: '12.5', currency: 'EUR' } });
  const page = await rec.queryRecords(ctx, FORMS, form.id, {
    filter: {
      or: [
        { field: 'age', operator: 'GREATER', value: 1 },
        { field: 'tags', operator: 'IN', values: ['b'] },
      ],
    },
    orderBy: [{ field: 'age', direction: 'ASC' }],
    first: 1,
  });
  expect(page.rows.map((r) => r.values.name)).toEqual(['a']);
  expect(await page.totalCount()).toBe(1);
  const next = await rec.queryRecords(ctx, FORMS, form.id, {
    orderBy: [{ field: 'age' }],
    first: 5,
    after: (await rec.queryRecords(ctx, FORMS, form.id, { orderBy: [{ field: 'age' }], first: 1 })).cursors[0],
  });
  expect(next.rows.map((r) => r.values.name)).toEqual(['b']);
  const agg = await rec.aggregateRecords(ctx, FORMS, form.id, {
    aggregates: [{ field: 'price', functions: ['SUM', 'AVG', 'COUNT_EMPTY'] }],
    groupBy: { field: 'when', bucket: 'MONTH' },
  });
  expect(agg.count).toBe(2);
  expect(agg.aggregates[0]!.sum).toBe('12.6');
  expect(agg.groups!.map((g) => [g.key, g.count])).toEqual([
    ['2026-01-01', 1],
    [null, 1],
  ]);
  const up = await rec.updateRecord(ctx, FORMS, rows[1]!.id, { age: 9 }, { mode: 'patch', expectedVersion: 1 });
  expect(up.version).toBe(2);
  await rec.deleteRecord(ctx, FORMS, ts[0]!.id);
});
