import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { graphql } from '../../gql/index.js';
import type { ChartConfigurationInput } from '../../gql/graphql.js';
import { createModule, createRecords } from './helpers.js';

const RoundedChartData = graphql(`
  query CrmRoundedChartData($module: ID!, $configuration: ChartConfigurationInput!) {
    chartData(module: $module, configuration: $configuration) {
      labels
      datasets {
        data
        exact
      }
    }
  }
`);

const SumOfText = graphql(`
  query CrmSumOfText($id: ID!) {
    module(id: $id) {
      recordAggregates(aggregates: [{ field: "name", functions: [SUM] }]) {
        count
      }
    }
  }
`);

describe('numbers people read', () => {
  let t: TestServer;
  let api: GraphQLClient;
  let module: string;

  beforeAll(async () => {
    t = await startTestServer();
    api = t.client.as((await createTenant(t.server.db)).key);
    module = (
      await createModule(api, 'Deals', 'deal', [
        { key: 'name', label: 'Name', type: 'TEXT' },
        { key: 'kind', label: 'Kind', type: 'TEXT' },
        { key: 'score', label: 'Score', type: 'NUMBER' },
        { key: 'eur', label: 'Euros', type: 'CURRENCY', config: { currency: 'EUR' } },
        { key: 'jpy', label: 'Yen', type: 'CURRENCY', config: { currency: 'JPY' } },
      ])
    ).id;
    await createRecords(api, module, [
      { name: 'a', kind: 'x', score: 1, eur: '1.005', jpy: '100.6' },
      { name: 'b', kind: 'x', score: 2, eur: '2.0001', jpy: '0.2' },
      { name: 'c', kind: 'x', score: 2.125, eur: '0.001', jpy: '0.1' },
    ]);
  });
  afterAll(() => t?.stop());

  const chart = async (configuration: ChartConfigurationInput) => (await api.data(RoundedChartData, { module, configuration })).chartData.datasets[0]!;

  it('rounds averages of numbers to two decimals', async () => {
    // (1 + 2 + 2.125) / 3 = 1.708333…
    expect(await chart({ kind: 'BAR', x: { field: 'kind' }, y: { field: 'score', aggregate: 'AVG' } })).toEqual({ data: [1.71], exact: ['1.71'] });
    expect(await chart({ kind: 'GAUGE', y: { field: 'score', aggregate: 'AVG' } })).toEqual({ data: [1.71], exact: ['1.71'] });
  });

  it("rounds sums of amounts to their currency's minor unit", async () => {
    // 1.005 + 2.0001 + 0.001 = 3.0061 EUR; 100.6 + 0.2 + 0.1 = 100.9 JPY, which has no minor unit
    expect(await chart({ kind: 'BAR', x: { field: 'kind' }, sum: 'eur' })).toEqual({ data: [3.01], exact: ['3.01'] });
    expect(await chart({ kind: 'BAR', x: { field: 'kind' }, sum: 'jpy' })).toEqual({ data: [101], exact: ['101'] });
  });

  it('leaves counts whole', async () => {
    expect(await chart({ kind: 'BAR', x: { field: 'kind' } })).toEqual({ data: [3], exact: ['3'] });
  });

  it('says in correct English that SUM does not apply to a text field', async () => {
    const [error] = await api.errors(SumOfText, { id: module });
    expect(error!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error!.extensions?.issues?.[0]?.message).toMatch(/^SUM does not apply to field "name" \(TEXT\); it takes /);
  });
});
