import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { createModule, createRecords } from './helpers.js';

/** One rule for every date filter: a date-only bound is its whole (UTC) day. */
describe('date-only bounds cover their whole day', () => {
  let t: TestServer;
  let api: GraphQLClient;
  let moduleId: string;
  const CLOSED = [
    '2017-12-31T23:00:00.000Z',
    '2018-01-01T00:00:00.000Z',
    '2018-06-15T10:00:00.000Z',
    '2018-12-31T00:00:00.000Z',
    '2018-12-31T18:30:00.000Z',
    '2019-01-01T00:00:00.000Z',
  ];

  beforeAll(async () => {
    t = await startTestServer();
    api = t.client.as((await createTenant(t.server.db)).key);
    const m = await createModule(api, 'Deals', 'deals', [
      { key: 'name', label: 'Name', type: 'TEXT', required: true },
      { key: 'closed_at', label: 'Closed at', type: 'DATETIME' },
    ]);
    moduleId = m.id;
    await createRecords(api, moduleId, [...CLOSED.map((closed_at, i) => ({ name: `deal ${i}`, closed_at })), { name: 'open deal' }]);
  });
  afterAll(() => t?.stop());

  const closedAt = async (filter: unknown) => {
    const d = (await api.data(
      `query($m: ID!, $f: RecordFilter) { module(id: $m) { records(filter: $f, first: 100) { totalCount edges { node { values } } } } }`,
      { m: moduleId, f: filter },
    )) as {
      module: { records: { totalCount: number; edges: { node: { values: { closed_at?: string } } }[] } };
    };
    expect(d.module.records.totalCount).toBe(d.module.records.edges.length);
    return d.module.records.edges.map((e) => e.node.values.closed_at ?? null).sort();
  };

  it('a chart range max "2018-12-31" includes records later that day', async () => {
    const d = (await api.data(`query($m: ID!, $c: ChartConfigurationInput!) { chartData(module: $m, configuration: $c) { labels datasets { data } } }`, {
      m: moduleId,
      c: { kind: 'BAR', x: { field: 'closed_at', min: '2018-01-01', max: '2018-12-31', bucket: 'YEAR' } },
    })) as { chartData: { labels: string[]; datasets: { data: number[] }[] } };
    expect(d.chartData).toEqual({ labels: ['2018'], datasets: [{ data: [4] }] });
    const byDay = (await api.data(`query($m: ID!, $c: ChartConfigurationInput!) { chartData(module: $m, configuration: $c) { keys datasets { data } } }`, {
      m: moduleId,
      c: { kind: 'LINE', x: { field: 'closed_at', min: '2018-12-30', max: '2018-12-31' } },
    })) as { chartData: { keys: string[]; datasets: { data: number[] }[] } };
    expect(byDay.chartData).toEqual({ keys: ['2018-12-30', '2018-12-31'], datasets: [{ data: [0, 2] }] });
  });

  it('a chart range of one day is valid, and a max before the min is refused', async () => {
    const one = await api.request(`query($m: ID!, $c: ChartConfigurationInput!) { chartData(module: $m, configuration: $c) { datasets { data } } }`, {
      m: moduleId,
      c: { kind: 'BAR', x: { field: 'closed_at', min: '2018-12-31T12:00:00Z', max: '2018-12-31', bucket: 'DAY' } },
    });
    expect(one.errors).toBeUndefined();
    expect(one.data).toEqual({ chartData: { datasets: [{ data: [1] }] } });
    const bad = await api.request(`query($m: ID!, $c: ChartConfigurationInput!) { chartData(module: $m, configuration: $c) { labels } }`, {
      m: moduleId,
      c: { kind: 'BAR', x: { field: 'closed_at', min: '2019-01-01T00:00:01Z', max: '2018-12-31' } },
    });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((bad.errors?.[0]?.extensions?.issues as { path: string[]; code: string }[])[0]).toMatchObject({
      path: ['configuration', 'x', 'max'],
      code: 'OUT_OF_RANGE',
    });
  });

  it('records filters read a date-only operand as its whole day, a date-time as its instant', async () => {
    const [y2017, jan1, jun15, dec31a, dec31b, y2019] = CLOSED;
    const cond = (operator: string, value: unknown) => ({ field: 'closed_at', operator, ...(Array.isArray(value) ? { values: value } : { value }) });
    expect(await closedAt(cond('LESS_OR_EQUAL', '2018-12-31'))).toEqual([y2017, jan1, jun15, dec31a, dec31b]);
    expect(await closedAt(cond('IS', '2018-12-31'))).toEqual([dec31a, dec31b]);
    expect(await closedAt(cond('IS_NOT', '2018-12-31'))).toEqual([y2017, jan1, jun15, y2019, null]);
    expect(await closedAt(cond('GREATER', '2018-12-31'))).toEqual([y2019]);
    expect(await closedAt(cond('GREATER_OR_EQUAL', '2018-12-31'))).toEqual([dec31a, dec31b, y2019]);
    expect(await closedAt(cond('LESS', '2018-01-01'))).toEqual([y2017]);
    expect(await closedAt(cond('BETWEEN', ['2018-01-01', '2018-12-31']))).toEqual([jan1, jun15, dec31a, dec31b]);
    // instants stay instants
    expect(await closedAt(cond('LESS_OR_EQUAL', '2018-12-31T00:00:00Z'))).toEqual([y2017, jan1, jun15, dec31a]);
    expect(await closedAt(cond('IS', '2018-12-31T18:30:00Z'))).toEqual([dec31b]);
    // system dates follow the same rule: every record was created today (or, past midnight, yesterday)
    const today = new Date().toISOString().slice(0, 10);
    expect(await closedAt({ field: 'createdAt', operator: 'LESS_OR_EQUAL', value: today })).toHaveLength(CLOSED.length + 1);
  });

  it('refuses a date that does not exist, naming the operand', async () => {
    const r = await api.request(`query($m: ID!, $f: RecordFilter) { module(id: $m) { records(filter: $f) { totalCount } } }`, {
      m: moduleId,
      f: { field: 'closed_at', operator: 'IS', value: '2018-02-30' },
    });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((r.errors?.[0]?.extensions?.issues as { path: string[] }[])[0]!.path).toEqual(['filter', 'value']);
  });
});
